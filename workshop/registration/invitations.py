"""Invitations: made by organizers, answered by invitees through their token link. Commits."""

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from workshop.extensions import db
from workshop.people.models import Contact
from workshop.registration import notify
from workshop.registration.models import (
    ACTIVE_STATES,
    AccessToken,
    Category,
    ContactCategory,
    Invitation,
    InvitationState,
    Registration,
)
from workshop.registration.service import RegistrationError, settings_for
from workshop.registration.tokens import hash_token
from workshop.types import utcnow
from workshop.workshops.models import Workshop


def default_expiry(workshop: Workshop) -> datetime:
    """When registration closes, or else the start of the workshop's first day (local time)."""
    settings = settings_for(workshop)
    if settings.closes_at is not None:
        return settings.closes_at
    local = datetime.combine(workshop.start_date, time(0, 0), tzinfo=ZoneInfo(workshop.timezone))
    return local.astimezone(timezone.utc)


def set_contact_category(workshop: Workshop, contact: Contact, category: Category | None) -> None:
    link = db.session.scalar(sa.select(ContactCategory).where(
        ContactCategory.workshop_id == workshop.id, ContactCategory.contact_id == contact.id))
    if category is None:
        if link is not None:
            db.session.delete(link)
        return
    if link is None:
        db.session.add(ContactCategory(workshop_id=workshop.id, contact_id=contact.id, category_id=category.id))
    else:
        link.category_id = category.id


def invite(workshop: Workshop, contact: Contact, *, category: Category | None = None, by=None,
           commit: bool = True) -> Invitation | None:
    """Invite ``contact`` (bound to their email) and queue the email. None if already invited."""
    if category is not None:
        set_contact_category(workshop, contact, category)
    existing = db.session.scalar(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.email == contact.email))
    if existing is not None:
        if commit:
            db.session.commit()
        return None
    if category is None:
        link = db.session.scalar(sa.select(ContactCategory).where(
            ContactCategory.workshop_id == workshop.id, ContactCategory.contact_id == contact.id))
        category = link.category if link else None
    now = utcnow()
    invitation = Invitation(
        workshop_id=workshop.id, contact_id=contact.id, email=contact.email, name=contact.name,
        category_id=category.id if category else None, state=InvitationState.PENDING,
        created_at=now, sent_at=now, expires_at=None,  # None: follows the registration deadline
        invited_by_id=getattr(by, "id", None),
    )
    invitation.workshop = workshop
    db.session.add(invitation)
    db.session.flush()
    notify.invitation(invitation)
    if commit:
        db.session.commit()
    return invitation


def invite_many(workshop: Workshop, contacts, *, by=None) -> int:
    """Invite every contact not yet invited, in one transaction. Returns how many were invited.

    Built for a thousand at a time (issue 8, figure 5): two reads for what is already there,
    one batch of inserts, and the emails left for the mail worker to write."""
    invited = set(db.session.scalars(sa.select(Invitation.email).where(Invitation.workshop_id == workshop.id)))
    categories = dict(db.session.execute(
        sa.select(ContactCategory.contact_id, ContactCategory.category_id)
        .where(ContactCategory.workshop_id == workshop.id)).all())
    now = utcnow()
    made = []
    for contact in contacts:
        if contact.email in invited:
            continue
        invited.add(contact.email)
        made.append(Invitation(
            workshop_id=workshop.id, contact_id=contact.id, email=contact.email, name=contact.name,
            category_id=categories.get(contact.id), state=InvitationState.PENDING,
            created_at=now, sent_at=now, expires_at=None, invited_by_id=getattr(by, "id", None),
        ))
    db.session.add_all(made)
    db.session.flush()
    for invitation in made:
        notify.invitation_later(invitation, workshop)
    db.session.commit()
    return len(made)


def contacts_in_category(workshop: Workshop, category: Category) -> list[Contact]:
    return list(db.session.scalars(
        sa.select(Contact).join(ContactCategory, ContactCategory.contact_id == Contact.id)
        .where(ContactCategory.workshop_id == workshop.id, ContactCategory.category_id == category.id)
        .order_by(Contact.name)
    ))


def invite_category(workshop: Workshop, category: Category, *, by=None) -> int:
    return invite_many(workshop, contacts_in_category(workshop, category), by=by)


def deadline(invitation: Invitation) -> datetime:
    """When an invitation stops working: its own expiry if an organizer set one, else the
    workshop's (so moving the registration deadline moves every invitation with it)."""
    return invitation.expires_at or default_expiry(invitation.workshop)


def expire_if_overdue(invitation: Invitation, now: datetime | None = None) -> bool:
    """Mark a pending invitation past its deadline as expired (the caller commits)."""
    now = now or utcnow()
    if invitation.state == InvitationState.PENDING and now >= deadline(invitation):
        invitation.state = InvitationState.EXPIRED
        return True
    return invitation.state == InvitationState.EXPIRED


def expire_overdue(workshop: Workshop, now: datetime | None = None) -> int:
    """Expire the workshop's overdue invitations; mark accepted those whose invitee has since
    registered another way (so they get no reminders). Commits."""
    now = now or utcnow()
    overdue = [sa.and_(Invitation.expires_at.is_not(None), Invitation.expires_at <= now)]
    if now >= default_expiry(workshop):
        overdue.append(Invitation.expires_at.is_(None))
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.workshop_id == workshop.id, Invitation.state == InvitationState.PENDING, sa.or_(*overdue))
        .values(state=InvitationState.EXPIRED)
        .execution_options(synchronize_session=False)
    )
    registered = sa.select(Registration.email).where(
        Registration.workshop_id == workshop.id, Registration.state.in_(ACTIVE_STATES))
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.workshop_id == workshop.id, Invitation.state == InvitationState.PENDING,
               Invitation.email.in_(registered))
        .values(state=InvitationState.ACCEPTED, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def expire(invitation: Invitation) -> None:
    if invitation.state != InvitationState.PENDING:
        raise RegistrationError("Only an unanswered invitation can be withdrawn.")
    invitation.state = InvitationState.EXPIRED
    db.session.commit()


def send_reminders(workshop: Workshop, now: datetime | None = None) -> int:
    """Remind everyone who has not answered a (still valid) invitation. Returns how many."""
    now = now or utcnow()
    expire_overdue(workshop, now)
    pending = db.session.scalars(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.state == InvitationState.PENDING))
    count = 0
    for invitation in pending:
        notify.invitation(invitation, reminder=True)
        invitation.reminders_sent += 1
        invitation.last_reminded_at = now
        count += 1
    db.session.commit()
    return count


def invitation_by_token(token: str, now: datetime | None = None) -> Invitation | None:
    """The invitation a link opens, or None for an unknown token. Marks overdue ones expired."""
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(
        sa.select(Invitation).join(AccessToken, AccessToken.invitation_id == Invitation.id)
        .where(AccessToken.token_hash == hash_token(token))
    )
    if invitation is not None and invitation.state == InvitationState.PENDING:
        if expire_if_overdue(invitation, now):
            db.session.commit()
    return invitation


def usable(invitation: Invitation | None) -> bool:
    return invitation is not None and invitation.state == InvitationState.PENDING


def mark_opened(invitation: Invitation, now: datetime | None = None) -> None:
    if invitation.opened_at is None:
        invitation.opened_at = now or utcnow()
        db.session.commit()


def decline(invitation: Invitation, message: str = "", now: datetime | None = None) -> None:
    if not usable(invitation):
        raise RegistrationError("This invitation can no longer be answered.")
    invitation.state = InvitationState.DECLINED
    invitation.answered_at = now or utcnow()
    invitation.decline_message = (message or "").strip()[:2000]
    db.session.commit()


def invitations_of(workshop: Workshop) -> list[Invitation]:
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.workshop_id == workshop.id).order_by(Invitation.name, Invitation.email)
    ))


def invitation_counts(workshop: Workshop) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Invitation.state, sa.func.count()).where(Invitation.workshop_id == workshop.id)
        .group_by(Invitation.state)
    )
    counts = {state.value: 0 for state in InvitationState}
    counts.update({state: n for state, n in rows})
    counts["opened"] = db.session.scalar(sa.select(sa.func.count()).where(
        Invitation.workshop_id == workshop.id, Invitation.opened_at.is_not(None)))
    return counts
