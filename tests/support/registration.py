"""Helpers for the registration tests: a workshop taking registrations, form data, tokens from mail."""

import re

import pytest

# The page a token opens, not the files under it (e.g. the personal calendar.ics).
TOKEN_LINK = re.compile(r"http://workshop\.test(/(?:registrations|invitations|review)/[A-Za-z0-9_-]+)(?![A-Za-z0-9_/-])")


def form_data(email: str, **overrides) -> dict:
    data = {
        "name": "Ama Mensah", "email": email, "position": "Deputy Permanent Representative",
        "organization": "Permanent Mission of Ghana", "country": "GH", "category_id": "None",
        "dietary_needs": "", "accessibility_needs": "", "arrival_date": "", "departure_date": "",
        "consent": "public", "privacy": "y",
    }
    data.update(overrides)
    return data


def details(**overrides) -> dict:
    values = {"name": "Ama Mensah", "position": "", "organization": "Mission", "country": "GH",
              "consent": "nobody"}
    values.update(overrides)
    return values


@pytest.fixture
def taking_registrations(make_workshop):
    """A published workshop with registration set up: open mode unless told otherwise. The
    address check of open registration is off unless asked for (``confirm_email=True``): most
    tests are about what happens once an address is known. The workshop is held under the
    Chatham House Rule unless ``attribution_rule`` says otherwise."""
    from workshop.platform.db import db
    from workshop.registration import service

    def make(attribution_rule=None, **settings):
        workshop = make_workshop(**({"attribution_rule": attribution_rule} if attribution_rule else {}))
        service.update_settings(workshop, **{"mode": "open", "confirm_email": False, **settings})
        db.session.commit()
        return workshop

    return make


def links_in(text: str) -> list[str]:
    return TOKEN_LINK.findall(text)


def body(message, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else ""


def outbox(db):
    """Queued messages in order, each with its bytes: those queued for the worker to write
    (bulk invitations) are written here by the worker's own function, as it would first."""
    from workshop.platform.mail.models import OutboxMessage
    from workshop.platform.mail.outbox import write_pending

    rows = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    for row in rows:
        if row.raw is None:
            row.raw, row.pending = write_pending(row.pending, row.message_id), None
    db.session.commit()
    return rows


def link_from_outbox(db, email: str, kind: str = "registrations") -> str:
    """The path of the newest link of ``kind`` mailed to ``email``."""
    from email import policy
    from email.parser import BytesParser

    for row in reversed(outbox(db)):
        if email in row.recipients.split(","):
            message = BytesParser(policy=policy.default).parsebytes(row.raw)
            for link in links_in(body(message)):
                if link.startswith(f"/{kind}/"):
                    return link
    raise AssertionError(f"no {kind} link mailed to {email}")
