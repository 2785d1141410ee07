"""A workshop's registration settings and its participant categories: reading them never writes.

They are made with the workshop (``set_up``, the reaction to "workshop.created"); an older
workshop without them reads the defaults until an organizer saves its settings.
"""

import sqlalchemy as sa

from workshop.platform import audit
from workshop.platform.db import db
from workshop.registration.models import DEFAULT_CATEGORIES, Category, ContactCategory, Invitation, Mode, Registration, RegistrationSettings
from workshop.platform.errors import N_, UserError


class RegistrationError(UserError):
    """A request the rules do not allow; the message is for the person who made it."""


def set_up(workshop) -> RegistrationSettings:
    """A new workshop's settings (by invitation) and default categories."""
    settings = RegistrationSettings(workshop_id=workshop.id, mode=Mode.INVITATION)
    db.session.add(settings)
    for position, name in enumerate(DEFAULT_CATEGORIES):
        db.session.add(Category(workshop_id=workshop.id, name=name, position=position))
    db.session.flush()
    return settings


def default_settings(workshop) -> RegistrationSettings:
    """What a workshop without a settings row works by; not added to the session."""
    settings = RegistrationSettings(
        workshop_id=workshop.id, mode=Mode.INVITATION, capacity=None, opens_at=None, closes_at=None,
        moderation=False, confirm_email=True, edit_deadline=None, participants_published=False, privacy_notice="",
        retention_days=None, purged_at=None)
    settings.workshop = workshop
    return settings


# Read on every workshop page (its buttons): built once, since building a select costs more than
# running this one.
_EXISTING_SETTINGS = sa.select(RegistrationSettings).where(
    RegistrationSettings.workshop_id == sa.bindparam("workshop_id"))


def existing_settings(workshop) -> RegistrationSettings | None:
    """The settings row if the workshop has one."""
    return db.session.scalar(_EXISTING_SETTINGS, {"workshop_id": workshop.id})


def settings_for(workshop) -> RegistrationSettings:
    """The workshop's settings: its row, or the defaults (unsaved) when it has none."""
    return existing_settings(workshop) or default_settings(workshop)


def settings_to_change(workshop) -> RegistrationSettings:
    """The settings row, made now if the workshop has none (for a change, under the lock)."""
    settings = existing_settings(workshop)
    if settings is None:
        settings = default_settings(workshop)
        db.session.add(settings)
    return settings


# Categories -------------------------------------------------------------------------------------


# On every form and submission: built once (as _EXISTING_SETTINGS).
_CATEGORIES = (sa.select(Category).where(Category.workshop_id == sa.bindparam("workshop_id"))
               .order_by(Category.position, Category.id))


def categories_for(workshop) -> list[Category]:
    return list(db.session.scalars(_CATEGORIES, {"workshop_id": workshop.id}))


def category_of(workshop, category_id: int | None) -> Category | None:
    if not category_id:
        return None
    category = db.session.get(Category, category_id)
    return category if category is not None and category.workshop_id == workshop.id else None


def _clean(name: str) -> str:
    return " ".join((name or "").split())


def add_category(workshop, name: str) -> Category:
    name = _clean(name)
    existing = categories_for(workshop)
    if any(c.name.casefold() == name.casefold() for c in existing):
        raise RegistrationError(N_("This workshop already has that category."))
    category = Category(workshop_id=workshop.id, name=name,
                        position=max((c.position for c in existing), default=-1) + 1)
    db.session.add(category)
    db.session.flush()
    audit.record("category.added", workshop=workshop, target=category, name=name)
    return category


def rename_category(workshop, category: Category, name: str) -> Category:
    name = _clean(name)
    if any(c.name.casefold() == name.casefold() and c.id != category.id for c in categories_for(workshop)):
        raise RegistrationError(N_("This workshop already has that category."))
    audit.record("category.renamed", workshop=workshop, target=category, old=category.name, new=name)
    category.name = name
    db.session.flush()
    return category


def delete_category(workshop, category: Category) -> None:
    """Registrations and invitations in it keep their place, without a category."""
    db.session.execute(sa.delete(ContactCategory).where(ContactCategory.category_id == category.id))
    for model in (Invitation, Registration):
        db.session.execute(sa.update(model).where(model.category_id == category.id).values(category_id=None))
    audit.record("category.deleted", workshop=workshop, target=category, name=category.name)
    db.session.delete(category)
    db.session.flush()
