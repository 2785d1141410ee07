"""Who appears on a workshop's participant list, for whom.

Only confirmed registrants who consented appear. "public" consent: anyone sees them (once the
organizers publish the list, and only when the workshop is on the record). "participants"
consent: only other confirmed registrants see them, through their own registration link.
"""

import sqlalchemy as sa

from workshop.platform.db import db
from workshop.registration.models import Consent, Registration, RegistrationSettings, State
from workshop.workshops.attribution_rules import AttributionRule


def public_list_allowed(workshop, settings: RegistrationSettings | None) -> bool:
    """The list is public only on the record: under the Chatham House Rule (or closed) it is for
    confirmed participants only, through their own link, whatever each person consented to."""
    return (settings is not None and settings.participants_published
            and workshop.attribution_rule == AttributionRule.ON_RECORD)


def viewer_may_see(viewer: Registration | None, settings: RegistrationSettings) -> bool:
    return settings.participants_published and viewer is not None and viewer.state == State.CONFIRMED


def visible_to(workshop, viewer: Registration | None) -> list[Registration]:
    levels = [Consent.PUBLIC]
    if viewer is not None and viewer.state == State.CONFIRMED and viewer.workshop_id == workshop.id:
        levels.append(Consent.PARTICIPANTS)
    return list(db.session.scalars(
        sa.select(Registration).where(
            Registration.workshop_id == workshop.id,
            Registration.state == State.CONFIRMED,
            Registration.purged_at.is_(None),  # personal data removed: nobody to list or tell
            Registration.consent.in_(levels),
        ).order_by(Registration.name)
    ))


def confirmed_registrants(workshop) -> list[Registration]:
    """Everyone holding a seat, whatever their consent: the people to tell about a change."""
    return list(db.session.scalars(
        sa.select(Registration).where(
            Registration.workshop_id == workshop.id,
            Registration.state == State.CONFIRMED,
            Registration.purged_at.is_(None),  # personal data removed: nobody to list or tell
        ).order_by(Registration.id)
    ))
