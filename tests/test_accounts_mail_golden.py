"""The words of the account emails, kept as golden files in tests/golden/emails/accounts/ (as
tests/test_mail_golden.py does for the workshop's mail). After an intended change of wording:
``UPDATE_GOLDEN=1 make test PYTEST_ARGS=tests/test_accounts_mail_golden.py``, then read the diff."""

import os
import re
from pathlib import Path

import pytest

from tests.support.registration import outbox
from tests.test_mail_golden import _text
from workshop.auth import links
from workshop.workshops import team

GOLDEN = Path(__file__).parent / "golden" / "emails" / "accounts"
TOKEN = re.compile(r"(/(?:password/reset|account/email/confirm|team-invitations)/)[A-Za-z0-9_-]{20,}")


def test_every_account_email_reads_as_its_golden_file(app, db, make_user, make_workshop):
    with app.test_request_context():
        olga = make_user("olga@example.org", "Olga Organizer", can_create_workshops=True)
        ravi = make_user("ravi@example.org", "Ravi Rapporteur")
        workshop = make_workshop(olga, title="Early Warning at the National Level", slug="early-warning")
        links.send_password_reset(ravi)                                   # password reset
        links.send_email_confirmation(ravi, "ravi.new@example.org")       # new address to confirm
        team.invite(workshop, "ravi@example.org", "rapporteur", by=olga)  # added to the team
        team.invite(workshop, "nia@example.org", "organizer", by=olga)    # invited to join
        db.session.commit()
    texts = [TOKEN.sub(r"\1<token>", _text(row)) for row in outbox(db)]
    names = [f"{n:02d}-{re.sub(r'[^a-z0-9]+', '-', t.split(chr(10))[1].lower()).strip('-')[:60]}.txt"
             for n, t in enumerate(texts, start=1)]
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.txt"):
            old.unlink()
        for name, text in zip(names, texts):
            (GOLDEN / name).write_text(text, encoding="utf-8")
        pytest.skip("golden files written; review the diff")
    expected = sorted(GOLDEN.glob("*.txt"))
    assert [p.name for p in expected] == names, "a message was added, removed or renamed"
    for path, text in zip(expected, texts):
        assert text == path.read_bytes().decode("utf-8"), f"{path.name} changed"
    assert len(texts) == 4
