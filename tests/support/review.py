"""Helpers for the review and follow-up tests: a workshop with a memo draft, a team and
confirmed participants, and the review links mailed to them."""

from dataclasses import dataclass

import pytest

from tests.support.memo import add_member
from tests.support.registration import details, link_from_outbox
from workshop.platform.db import db
from workshop.workshops.models import Role

DRAFT = """## Context

The workshop prepared the network's second meeting.

## Key takeaways

Focal Points need a written mandate.

Early warning information rarely reaches someone who can act.

## Recommendations

- Encourage each government to give its Focal Point a written mandate.
- Map who receives early warning information and who can act on it.
"""


@dataclass
class Setting:
    workshop: object
    organizer: object
    rapporteur: object
    memo: object
    participants: list


@pytest.fixture
def reviewed(make_user, taking_registrations):
    """A published workshop in Tokyo time, its memo drafted, two confirmed participants."""
    from workshop.memos import service as memos
    from workshop.registration import service as registration

    def make(**fields):
        from workshop.workshops import service as workshops

        workshop = taking_registrations()
        workshops.update_workshop(workshop, timezone="Asia/Tokyo", **fields)
        organizer = db.session.get(type(make_user()), workshop.members[0].user_id)
        rapporteur = make_user(name="Rita Rapporteur")
        add_member(workshop, rapporteur, Role.RAPPORTEUR)
        memo = memos.memo_for(workshop)
        memos.save(memo, DRAFT, rapporteur, None)
        people = [registration.register(workshop, details(email=email, name=name))
                  for email, name in (("ama@example.org", "Ama Mensah"), ("lars@example.org", "Lars Berg"))]
        db.session.commit()
        return Setting(workshop, organizer, rapporteur, memo, people)

    return make


def review_link(email: str) -> str:
    return link_from_outbox(db, email, kind="review")
