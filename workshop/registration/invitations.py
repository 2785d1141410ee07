"""Invitations: made by organizers, answered by invitees through their token link.

Every change of an invitation's state goes through ``transition`` (the moves allowed are
``INVITATION_TRANSITIONS``), which also writes the audit entry. Reading never writes: an
invitation past its deadline reads as expired (``usable``, ``shown_state``) until the mail
worker's hourly job, or the next reminder round, records it.
"""

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workshop.platform.db import db
from workshop.people.models import Contact
from workshop.registration import notify
from workshop.registration.models import (
    ACTIVE_STATES,
    AccessToken,
    Category,
    INVITATION_TRANSITIONS,
    ContactCategory,
    Invitation,
    InvitationState,
    Registration,
)
from workshop.platform import audit
from workshop.platform.events import announce
from workshop.registration.settings import RegistrationError, settings_for
from workshop.registration.tokens import hash_token
from workshop.platform.types import utcnow
from workshop.workshops.models import Workshop
from workshop.platform.errors import N_


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


def invite(workshop: Workshop, contact: Contact, *, category: Category | None = None, by=None) -> Invitation | None:
    """Invite ``contact`` (bound to their email) and queue the email. None if already invited."""
    if category is not None:
        set_contact_category(workshop, contact, category)
    existing = db.session.scalar(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.email == contact.email))
    if existing is not None:
        db.session.flush()
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
    return invitation


def invite_many(workshop: Workshop, contacts, *, by=None) -> int:
    """Invite every contact not yet invited, in one transaction. Returns how many were invited.

    Built for a thousand at a time (benchmark figure 5): two reads for what is already there,
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
    notify.invitations_later(made, workshop)
    return len(made)


def contacts_in_category(workshop: Workshop, category: Category) -> list[Contact]:
    return list(db.session.scalars(
        sa.select(Contact).join(ContactCategory, ContactCategory.contact_id == Contact.id)
        .where(ContactCategory.workshop_id == workshop.id, ContactCategory.category_id == category.id)
        .order_by(Contact.name)
    ))


def invite_category(workshop: Workshop, category: Category, *, by=None) -> int:
    return invite_many(workshop, contacts_in_category(workshop, category), by=by)


def category_member_counts(workshop: Workshop) -> dict[int, int]:
    """How many contacts each of the workshop's categories holds (categories with none left out)."""
    return dict(db.session.execute(
        sa.select(ContactCategory.category_id, sa.func.count(ContactCategory.contact_id))
        .where(ContactCategory.workshop_id == workshop.id).group_by(ContactCategory.category_id)
    ).all())


def contact_categories(workshop: Workshop) -> dict[int, Category]:
    """Each filed contact's category in this workshop, by contact id."""
    return {contact_id: category for contact_id, category in db.session.execute(
        sa.select(ContactCategory.contact_id, Category)
        .join(Category, Category.id == ContactCategory.category_id)
        .where(ContactCategory.workshop_id == workshop.id)).all()}


def invited_emails(workshop: Workshop) -> set[str]:
    return set(db.session.scalars(sa.select(Invitation.email).where(Invitation.workshop_id == workshop.id)))


def contacts_by_id(ids) -> list[Contact]:
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Contact).where(Contact.id.in_(ids)).order_by(Contact.name)))


def file_contacts(workshop: Workshop, contacts, category: Category | None, *, by=None) -> int:
    """Put ``contacts`` in ``category`` for this workshop (None takes them out of any)."""
    for contact in contacts:
        set_contact_category(workshop, contact, category)
    db.session.flush()
    if contacts and by is not None:
        audit.record("category.contacts_filed", workshop=workshop, actor=by, target=category,
                     contacts=len(contacts))
    return len(contacts)


def invite_picked(workshop: Workshop, contacts, category: Category | None, *, by=None) -> int:
    """Invite the contacts ticked in the directory, filing them in ``category`` first if given.
    Returns how many new invitations were made (those already invited are skipped)."""
    if category is not None:
        file_contacts(workshop, contacts, category)
    return invite_many(workshop, contacts, by=by)


def deadline(invitation: Invitation) -> datetime:
    """When an invitation stops working: its own expiry if an organizer set one, else the
    workshop's (so moving the registration deadline moves every invitation with it)."""
    return invitation.expires_at or default_expiry(invitation.workshop)


def transition(invitation: Invitation, new_state: str, *, now: datetime | None = None, message: str = "",
               by=None, actor: str | None = None) -> None:
    """The one way an invitation's state changes: checks the move, stamps the answer, records it."""
    old_state = invitation.state
    if new_state == old_state:
        return
    if new_state not in INVITATION_TRANSITIONS.get(old_state, set()):
        raise RegistrationError(N_("This invitation can no longer be answered."))
    now = now or utcnow()
    invitation.state = new_state
    if new_state in (InvitationState.ACCEPTED, InvitationState.DECLINED):
        invitation.answered_at = now
    if new_state == InvitationState.DECLINED:
        invitation.decline_message = (message or "").strip()[:2000]
    audit.record(f"invitation.{new_state}", workshop=invitation.workshop_id, target=invitation,
                 actor=by if by is not None else actor, from_state=old_state, to_state=new_state)
    if new_state == InvitationState.DECLINED:
        announce("invitation.declined", invitation=invitation)


def overdue(invitation: Invitation, now: datetime | None = None) -> bool:
    return invitation.state == InvitationState.PENDING and (now or utcnow()) >= deadline(invitation)


def shown_state(invitation: Invitation, now: datetime | None = None) -> str:
    """The state to show: a pending invitation past its deadline is expired."""
    return InvitationState.EXPIRED if overdue(invitation, now) else invitation.state


def shown_states(workshop: Workshop, rows: list[Invitation], now: datetime | None = None) -> dict[int, str]:
    """``shown_state`` of many invitations of one workshop, its deadline read once."""
    now, fallback = now or utcnow(), default_expiry(workshop)
    return {i.id: InvitationState.EXPIRED if i.state == InvitationState.PENDING and now >= (i.expires_at or fallback)
            else i.state for i in rows}


def expire_if_overdue(invitation: Invitation, now: datetime | None = None) -> bool:
    """Record a pending invitation past its deadline as expired; True if it is expired."""
    if overdue(invitation, now):
        transition(invitation, InvitationState.EXPIRED, now=now, actor="system")
    return invitation.state == InvitationState.EXPIRED


def _overdue_clause(workshop: Workshop, now: datetime):
    clauses = [sa.and_(Invitation.expires_at.is_not(None), Invitation.expires_at <= now)]
    if now >= default_expiry(workshop):
        clauses.append(Invitation.expires_at.is_(None))
    return sa.and_(Invitation.state == InvitationState.PENDING, sa.or_(*clauses))


def expire_overdue(workshop: Workshop, now: datetime | None = None) -> int:
    """Record the workshop's overdue invitations as expired, and as accepted those whose invitee
    has since registered another way (so they get no reminders). Returns how many expired."""
    now = now or utcnow()
    registered = set(db.session.scalars(sa.select(Registration.email).where(
        Registration.workshop_id == workshop.id, Registration.state.in_(ACTIVE_STATES))))
    pending = db.session.scalars(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.state == InvitationState.PENDING)).all()
    expired = 0
    for invitation in pending:
        if invitation.email in registered:
            transition(invitation, InvitationState.ACCEPTED, now=now, actor="system")
        elif overdue(invitation, now):
            transition(invitation, InvitationState.EXPIRED, now=now, actor="system")
            expired += 1
    db.session.flush()
    return expired


def expire_all_overdue(now: datetime | None = None) -> int:
    """The mail worker's hourly job: every workshop's overdue invitations."""
    workshops = db.session.scalars(sa.select(Workshop).where(Workshop.id.in_(
        sa.select(Invitation.workshop_id).where(Invitation.state == InvitationState.PENDING)))).all()
    return sum(expire_overdue(workshop, now) for workshop in workshops)


def expire(invitation: Invitation, *, by=None) -> None:
    """An organizer withdraws an unanswered invitation."""
    if invitation.state != InvitationState.PENDING:
        raise RegistrationError(N_("Only an unanswered invitation can be withdrawn."))
    transition(invitation, InvitationState.EXPIRED, by=by)
    db.session.flush()


def send_reminders(workshop: Workshop, now: datetime | None = None) -> int:
    """Remind everyone who has not answered a (still valid) invitation. Returns how many."""
    now = now or utcnow()
    expire_overdue(workshop, now)
    pending = db.session.scalars(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.state == InvitationState.PENDING))
    count = 0
    for invitation in pending:
        if not notify.invitation(invitation, reminder=True):
            continue  # they unsubscribed from this workshop's invitations
        invitation.reminders_sent += 1
        invitation.last_reminded_at = now
        count += 1
    db.session.flush()
    return count


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link opens, or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(Invitation).join(AccessToken, AccessToken.invitation_id == Invitation.id)
        .where(AccessToken.token_hash == hash_token(token))
    )


def usable(invitation: Invitation | None, now: datetime | None = None) -> bool:
    return invitation is not None and invitation.state == InvitationState.PENDING and not overdue(invitation, now)


def may_reconsider(invitation: Invitation | None, now: datetime | None = None) -> bool:
    """A declined invitation can still be accepted while its deadline has not passed and
    registration is open."""
    now = now or utcnow()
    return (invitation is not None and invitation.state == InvitationState.DECLINED
            and now < deadline(invitation) and settings_for(invitation.workshop).window_state(now) == "open")


def may_register(invitation: Invitation | None, now: datetime | None = None) -> bool:
    """The link may lead to the registration form: unanswered and valid, or declined and
    reconsidered in time."""
    return usable(invitation, now) or may_reconsider(invitation, now)


def registration_of(invitation: Invitation) -> Registration | None:
    """The registration an accepted invitation led to (or that its invitee made another way)."""
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.workshop_id == invitation.workshop_id,
            sa.or_(Registration.invitation_id == invitation.id, Registration.email == invitation.email))
        .order_by((Registration.invitation_id == invitation.id).desc()).limit(1)
    )


def mark_opened(invitation: Invitation, now: datetime | None = None) -> None:
    """The invitee has seen the invitation (their page reported it, or they answered)."""
    if invitation.opened_at is None:
        invitation.opened_at = now or utcnow()
        db.session.flush()


def decline(invitation: Invitation, message: str = "", now: datetime | None = None) -> None:
    if not usable(invitation, now):
        raise RegistrationError(N_("This invitation can no longer be answered."))
    mark_opened(invitation, now)
    transition(invitation, InvitationState.DECLINED, now=now, message=message, actor="invitee via link")
    db.session.flush()


def invitations_query(workshop: Workshop) -> sa.Select:
    return (sa.select(Invitation).where(Invitation.workshop_id == workshop.id)
            .options(selectinload(Invitation.category))
            .order_by(Invitation.name, Invitation.email, Invitation.id))


def invitations_of(workshop: Workshop) -> list[Invitation]:
    return list(db.session.scalars(invitations_query(workshop)))


def invitation_counts(workshop: Workshop) -> dict[str, int]:
    """By state as shown: pending invitations past their deadline count as expired."""
    rows = db.session.execute(
        sa.select(Invitation.state, sa.func.count()).where(Invitation.workshop_id == workshop.id)
        .group_by(Invitation.state)
    )
    counts = {state.value: 0 for state in InvitationState}
    counts.update({state: n for state, n in rows})
    late = db.session.scalar(sa.select(sa.func.count()).where(
        Invitation.workshop_id == workshop.id, _overdue_clause(workshop, utcnow())))
    counts[InvitationState.PENDING] -= late
    counts[InvitationState.EXPIRED] += late
    counts["opened"] = db.session.scalar(sa.select(sa.func.count()).where(
        Invitation.workshop_id == workshop.id, Invitation.opened_at.is_not(None)))
    return counts
