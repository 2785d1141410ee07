"""Who may do what on a workshop. Every organizer view goes through ``load_for``; every public
page of one workshop through ``load_public``."""

import sqlalchemy as sa
from flask import abort, current_app
from flask_login import current_user

from workshop.platform import public_cache
from workshop.platform.db import db
from workshop.workshops import service
from workshop.workshops.models import Role, Workshop, WorkshopMember, WorkshopOrganization


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


def may_create_workshops(user) -> bool:
    """Creating a workshop makes one its organizer, and organizers read the contacts their
    workshops use: a right a site admin grants, unless WORKSHOP_CREATION is "everyone"."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin or current_app.config.get("WORKSHOP_CREATION", "granted") == "everyone":
        return True
    return bool(user.can_create_workshops)


def organized_by(user):
    """The ids of the workshops ``user`` organizes, as a select."""
    return _organized_by(user)


def _organized_by(user):
    """The ids of the workshops ``user`` organizes, as a select."""
    return sa.select(WorkshopMember.workshop_id).where(
        WorkshopMember.user_id == user.id, WorkshopMember.role == Role.ORGANIZER)


def organizes_any(user) -> bool:
    """Site admins and organizers of some workshop: who may use the shared directories."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or db.session.scalar(_organized_by(user).limit(1)) is not None


def editable_organizations(user, organizations) -> set[int]:
    """The ids among ``organizations`` that ``user`` may rename or give a new logo.

    An organization's name and logo appear on the pages of every workshop it convenes or
    co-organizes. An organizer may change one that only their own workshops use (or none yet);
    one that also appears on other organizers' workshops is changed by a site admin. (Anyone
    may add an existing organization to a workshop they create, so "used by one of mine" is not
    enough: it would let any account rename any institution.) Two queries, however many."""
    ids = {organization.id for organization in organizations}
    if not ids or not organizes_any(user):
        return set()
    if user.is_admin:
        return ids
    elsewhere = set(db.session.scalars(sa.select(WorkshopOrganization.organization_id).where(
        WorkshopOrganization.organization_id.in_(ids),
        WorkshopOrganization.workshop_id.not_in(_organized_by(user)))))
    return ids - elsewhere


def can_edit_organization(user, organization) -> bool:
    return organization.id in editable_organizations(user, [organization])


def load_for(slug: str, *, need: str = Role.ORGANIZER) -> Workshop:
    """The workshop named by ``slug`` if the signed-in user holds ``need`` on it; else 404/403.

    An unknown slug is a 404 for everyone, and so is a draft to anyone outside its team: a 403
    would confirm that the slug exists. A 403 goes to a team member without this right, and to
    outsiders on a workshop the public sees anyway.
    """
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None:
        abort(404)
    allowed = can_manage if need == Role.ORGANIZER else can_take_notes
    if not allowed(current_user, workshop):
        if not workshop.is_public and not roles_of(current_user, workshop):
            abort(404)
        abort(403)
    return workshop


def is_team_member(user, workshop: Workshop) -> bool:
    """Organizers and rapporteurs of the workshop, and site admins."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or bool(roles_of(user, workshop))


def load_public(slug: str, *, preview: bool = False, organizations: bool = True) -> Workshop:
    """The workshop named by ``slug`` if the public may see it (published, archived or
    cancelled); else 404, for drafts too, so a draft's slug gives nothing away.

    ``preview``: a page its team may see while it is a draft, to check it before publishing.
    Such an answer is marked private (``public_cache.mark_private_page``): the page says so in
    a banner, and neither the public page cache nor any shared cache keeps it.

    ``organizations``: loaded with the workshop (one query more), for pages that show them;
    a page that does not can still reach them, loaded when first read."""
    workshop = service.get_public_workshop(slug, organizations=organizations)
    if workshop is None and preview:
        draft = service.get_workshop_for_page(slug)
        if draft is not None and is_team_member(current_user, draft):
            public_cache.mark_private_page(draft)
            return draft
    if workshop is None:
        abort(404)
    return workshop
