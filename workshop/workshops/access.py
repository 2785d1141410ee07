"""Who may do what on a workshop. Every organizer view goes through ``load_for``; every public
page of one workshop through ``load_public``."""

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from workshop.extensions import db
from workshop.workshops import service
from workshop.workshops.models import Role, Workshop, WorkshopMember


def roles_of(user, workshop: Workshop) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    rows = db.session.scalars(
        sa.select(WorkshopMember.role).where(
            WorkshopMember.workshop_id == workshop.id, WorkshopMember.user_id == user.id
        )
    )
    return set(rows)


def can_manage(user, workshop: Workshop) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or Role.ORGANIZER in roles_of(user, workshop)


def can_take_notes(user, workshop: Workshop) -> bool:
    """Rapporteurs write notes; organizers review them; admins can do both."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or bool(roles_of(user, workshop) & {Role.ORGANIZER, Role.RAPPORTEUR})


def load_for(slug: str, *, need: str = Role.ORGANIZER) -> Workshop:
    """The workshop named by ``slug`` if the signed-in user holds ``need`` on it; else 404/403.

    An unknown slug is a 404 for everyone. A known one the user may not touch is a 403.
    """
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        abort(404)
    allowed = can_manage if need == Role.ORGANIZER else can_take_notes
    if not allowed(current_user, workshop):
        abort(403)
    return workshop


def load_public(slug: str) -> Workshop:
    """The workshop named by ``slug`` if the public may see it (published, archived or
    cancelled); else 404, for drafts too, so a draft's slug gives nothing away."""
    workshop = service.get_public_workshop(slug)
    if workshop is None:
        abort(404)
    return workshop
