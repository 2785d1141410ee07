"""The review's two emails read as their golden files: the invitation to review and the one
reminder (UPDATE_GOLDEN=1 rewrites them; review the diff)."""

import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from email import policy
from email.parser import BytesParser

from tests.support.registration import body, outbox, taking_registrations  # noqa: F401
from tests.support.review import reviewed  # noqa: F401
from workshop.platform.db import db
from workshop.reviews import service

GOLDEN = Path(__file__).parent / "golden" / "reviews"
LINK = re.compile(r"(/review/)[A-Za-z0-9_-]+")
OPENED = datetime(2030, 5, 1, 9, 0, tzinfo=timezone.utc)
DEADLINE = datetime(2030, 5, 8, 8, 0, tzinfo=timezone.utc)  # 17:00 in Tokyo


def _text(row) -> str:
    message = BytesParser(policy=policy.default).parsebytes(row.raw)
    head = f"To: {message['To']}\nSubject: {message['Subject']}\n"
    if message["Reply-To"]:
        head += f"Reply-To: {message['Reply-To']}\n"
    return LINK.sub(r"\1<token>", head + "\n" + body(message).replace("\r\n", "\n").rstrip() + "\n")


def test_the_review_mails_read_as_their_golden_files(app, reviewed):
    from workshop.workshops import service as workshops

    setting = reviewed()
    workshops.update_workshop(setting.workshop, title="Preparatory Workshop for the Second Meeting",
                              contact_email="team@example.org")
    service.open_review(setting.memo, deadline=DEADLINE, registration_ids=[setting.participants[0].id],
                        by=setting.organizer, now=OPENED)
    service.send_reminders(datetime(2030, 5, 7, 12, 0, tzinfo=timezone.utc))
    db.session.commit()
    texts = [_text(row) for row in outbox(db) if "/review/" in _text(row)]
    names = ["review-invitation.txt", "review-reminder.txt"]
    assert len(texts) == 2
    if os.environ.get("UPDATE_GOLDEN"):
        for name, text in zip(names, texts):
            (GOLDEN / name).write_text(text, encoding="utf-8")
        pytest.skip("golden files written; review the diff")
    for name, text in zip(names, texts):
        assert text == (GOLDEN / name).read_text(encoding="utf-8"), f"{name} changed"
