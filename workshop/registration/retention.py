"""Keeping personal data no longer than needed, and revoking links.

A workshop's registration settings hold ``retention_days``: how many days after the workshop's
last day its participants' personal data is kept. Once that has passed, ``purge_expired`` (run by
``flask purge`` and hourly by the mail worker) removes from every registration the name, email,
position, organization, dietary and accessibility needs, dates and messages; from every
invitation the email, name and decline message; every link token of both; the workshop's
outbox messages already sent (or given up on) to those addresses, and with a ``file://``
MAIL_URL their .eml copies (another workshop's mail to the same person stays); the text details of the workshop's audit entries about its registrations and
invitations and of its exports (a filter can hold a name), and any other detail quoting a
purged name or address; the names accepted in the memo's non-attribution check and their
reasons (a reaction of the memos); and the directory contacts of those people, unless another workshop
still uses one (an invitation, a registration, an invitation list, a place on an agenda) or
it is marked ``keep``. What stays: each registration's state, category and country, so the
counts by state, category and country are still right, and who did what when in the audit log.
The audit log records each purge, without names.

Organizers can also revoke the links of one registrant or invitee (their tokens are deleted):
the old links stop working; the person can ask for new ones at ``/links/resend``.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from flask import current_app

from workshop.agenda.models import AgendaItemPerson
from workshop.people.models import Contact
from workshop.platform import audit
from workshop.platform.audit.models import AuditEntry
from workshop.platform.db import db
from workshop.platform.events import announce
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.transport import delete_file_copies
from workshop.registration.invitations import transition as move_invitation
from workshop.registration.models import (
    AccessToken,
    ContactCategory,
    Invitation,
    InvitationState,
    Registration,
    RegistrationChange,
    RegistrationSettings,
)
from workshop.platform.types import utcnow

from workshop.workshops.models import Workshop

logger = logging.getLogger("workshop.retention")

MAX_RETENTION_DAYS = 3650


@dataclass
class PurgeReport:
    workshops: list[str] = field(default_factory=list)
    registrations: int = 0
    invitations: int = 0
    messages: int = 0
    files: int = 0
    contacts: int = 0
    audit_entries: int = 0

    def __bool__(self) -> bool:
        return bool(self.registrations or self.invitations or self.messages)


def purge_due_on(workshop: Workshop, settings: RegistrationSettings) -> date | None:
    """The first day the workshop's personal data may no longer be kept; None: no period set."""
    if settings.retention_days is None:
        return None
    return workshop.end_date + timedelta(days=settings.retention_days + 1)


def workshops_due(today: date) -> list[tuple[Workshop, RegistrationSettings]]:
    rows = db.session.execute(
        sa.select(Workshop, RegistrationSettings)
        .join(RegistrationSettings, RegistrationSettings.workshop_id == Workshop.id)
        .where(RegistrationSettings.retention_days.is_not(None))
        .order_by(Workshop.id)
    ).all()
    return [(w, s) for w, s in rows if purge_due_on(w, s) <= today]


def purge_expired(now: datetime | None = None) -> PurgeReport:
    """Purge every workshop past its retention period (the caller commits)."""
    now = now or utcnow()
    report = PurgeReport()
    for workshop, settings in workshops_due(now.date()):
        done = purge_workshop(workshop, settings, now)
        if done:
            report.workshops.append(workshop.slug)
            report.registrations += done.registrations
            report.invitations += done.invitations
            report.messages += done.messages
            report.files += done.files
            report.contacts += done.contacts
            report.audit_entries += done.audit_entries
    return report


def purge_workshop(workshop: Workshop, settings: RegistrationSettings, now: datetime) -> PurgeReport:
    report = PurgeReport()
    emails: set[str] = set()
    names: set[str] = set()
    contact_ids: set[int] = set()
    registrations = db.session.scalars(sa.select(Registration).where(
        Registration.workshop_id == workshop.id, Registration.purged_at.is_(None))).all()
    for registration in registrations:
        emails.add(registration.email)
        names.add(registration.name)
        contact_ids.add(registration.contact_id)
        _purge_registration(registration, now)
        report.registrations += 1
    invitations = db.session.scalars(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.purged_at.is_(None))).all()
    for invitation in invitations:
        emails.add(invitation.email)
        names.add(invitation.name)
        contact_ids.add(invitation.contact_id)
        invitation.email = f"purged-{invitation.id}"
        invitation.name = ""
        invitation.decline_message = ""
        invitation.contact_id = None
        invitation.purged_at = now
        if invitation.state == InvitationState.PENDING:
            move_invitation(invitation, InvitationState.EXPIRED, now=now, actor="system")  # no address left to remind
        report.invitations += 1
    db.session.flush()
    token_owners = sa.or_(
        AccessToken.registration_id.in_([r.id for r in registrations] or [-1]),
        AccessToken.invitation_id.in_([i.id for i in invitations] or [-1]),
    )
    db.session.execute(sa.delete(AccessToken).where(token_owners).execution_options(synchronize_session=False))
    report.messages, report.files = _delete_delivered_mail(workshop, emails)
    report.contacts = _delete_unused_contacts(workshop, contact_ids, emails)
    report.audit_entries = _scrub_audit_details(workshop, names, emails)
    if report:
        settings.purged_at = now
        # Later features that copied the people's names (the memo's reviewers) forget them too.
        announce("registration.personal_data_purged", workshop=workshop)
        audit.record("registration.personal_data_purged", workshop=workshop, actor="system",
                     target=("workshop", workshop.id), registrations=report.registrations,
                     invitations=report.invitations, messages=report.messages, files=report.files,
                     contacts=report.contacts, audit_entries=report.audit_entries,
                     retention_days=settings.retention_days)
    db.session.flush()
    return report


def _purge_registration(registration: Registration, now: datetime) -> None:
    registration.email = f"purged-{registration.id}"  # unique per workshop, and not an address
    registration.name = ""
    registration.honorific = ""
    registration.position = ""
    registration.organization = ""
    registration.dietary_needs = ""
    registration.accessibility_needs = ""
    registration.arrival_date = None
    registration.departure_date = None
    registration.contact_id = None
    registration.purged_at = now
    # Features built on registration (answers to questions, letters) remove their part too.
    announce("registration.purged", registration=registration)
    # Reasons and messages written about the person; who changed what, and when, stays.
    db.session.execute(
        sa.update(RegistrationChange).where(RegistrationChange.registration_id == registration.id)
        .values(detail="").execution_options(synchronize_session=False))


def _delete_delivered_mail(workshop: Workshop, emails: set[str]) -> tuple[int, int]:
    """The workshop's outbox messages already delivered (or given up on) addressed to any of
    ``emails``, and their copies in a file outbox: ``(messages, files)`` deleted.

    Only this workshop's: the same person may be registered at another workshop that still
    keeps their data, and the mail it sent them is that workshop's record, not ours to purge.
    Messages with no workshop (account mail such as a password reset) are not about it either."""
    emails = {e for e in emails if e and "@" in e}
    if not emails:
        return 0, 0
    doomed = []
    done = (OutboxStatus.SENT, OutboxStatus.FAILED)
    for email in emails:
        candidates = db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.recipients).where(
            OutboxMessage.workshop_id == workshop.id, OutboxMessage.status.in_(done),
            OutboxMessage.recipients.contains(email))).all()
        doomed += [mid for mid, recipients in candidates
                   if email in {r.strip().lower() for r in recipients.split(",")}]
    message_ids = set()
    if doomed:
        message_ids = set(db.session.scalars(sa.select(OutboxMessage.message_id).where(OutboxMessage.id.in_(set(doomed)))))
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id.in_(set(doomed)))
                           .execution_options(synchronize_session=False))
    # The copies by Message-ID alone: a copy found by its address could be another workshop's.
    files = delete_file_copies(current_app.config["MAIL_URL"], message_ids, set())
    return len(set(doomed)), files


def _delete_unused_contacts(workshop: Workshop, contact_ids: set, emails: set[str]) -> int:
    """The directory entries of the purged people (linked, or with the same address), unless
    marked ``keep`` or still used by another workshop; or named on an agenda (a chair or
    speaker is on a public record that outlives the retention period)."""
    candidates = sa.or_(Contact.id.in_({i for i in contact_ids if i} or {-1}),
                        Contact.email.in_({e for e in emails if "@" in e} or {""}))
    elsewhere = sa.or_(
        Contact.id.in_(sa.select(Invitation.contact_id).where(
            Invitation.workshop_id != workshop.id, Invitation.contact_id.is_not(None), Invitation.purged_at.is_(None))),
        Contact.id.in_(sa.select(Registration.contact_id).where(
            Registration.workshop_id != workshop.id, Registration.contact_id.is_not(None), Registration.purged_at.is_(None))),
        Contact.id.in_(sa.select(ContactCategory.contact_id).where(ContactCategory.workshop_id != workshop.id)),
        Contact.id.in_(sa.select(AgendaItemPerson.contact_id)),
    )
    doomed = db.session.scalars(sa.select(Contact).where(candidates, Contact.keep.is_(False), sa.not_(elsewhere))).all()
    if doomed:
        # This workshop's invitation lists (the cascade is not enforced on every SQLite).
        db.session.execute(sa.delete(ContactCategory).where(ContactCategory.contact_id.in_([c.id for c in doomed]))
                           .execution_options(synchronize_session=False))
    for contact in doomed:
        db.session.delete(contact)
    db.session.flush()
    return len(doomed)


# Audit entries about a registration or an invitation, and exports: their text details are about
# the person (a reason, a message, a filter typed with a name). These keys say only what happened.
_PERSON_ENTRY_TYPES = {"Registration", "Invitation", "registration", "invitation"}
_PERSON_ACTIONS = {"registration.exported"}
_EVENT_KEYS = {"from_state", "to_state", "format", "rows", "tokens"}
PURGED_TEXT = "[purged]"


def _scrub_audit_details(workshop: Workshop, names: set[str], emails: set[str]) -> int:
    """Blank the personal text in the workshop's audit entries; how many entries changed. Who
    did what, and when, stays: the actor, the action, the target's id and the states."""
    quoted = {text.lower() for text in names | emails if text and len(text.strip()) >= 3 and not text.startswith("purged-")}
    changed = 0
    for entry in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.workshop_id == workshop.id)):
        about_person = entry.object_type in _PERSON_ENTRY_TYPES or entry.action in _PERSON_ACTIONS
        detail = {key: value if about_person and key in _EVENT_KEYS else _scrub(value, quoted, blank=about_person)
                  for key, value in (entry.detail or {}).items()}
        if detail != entry.detail:
            entry.detail = detail
            changed += 1
    db.session.flush()
    return changed


def _scrub(value, quoted: set[str], *, blank: bool):
    if isinstance(value, str):
        if blank and value:
            return PURGED_TEXT
        lowered = value.lower()
        return PURGED_TEXT if any(text in lowered for text in quoted) else value
    if isinstance(value, list):
        return [_scrub(item, quoted, blank=blank) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, quoted, blank=blank) for key, item in value.items()}
    return value


# Revoking links ---------------------------------------------------------------------------------


def revoke_registration_links(registration: Registration, *, by) -> int:
    """Delete every link token of ``registration``; record it. Returns how many."""
    count = _delete_tokens(AccessToken.registration_id == registration.id)
    audit.record("registration.links_revoked", workshop=registration.workshop_id, actor=by,
                 target=registration, tokens=count)
    db.session.flush()
    return count


def revoke_invitation_links(invitation: Invitation, *, by) -> int:
    count = _delete_tokens(AccessToken.invitation_id == invitation.id)
    audit.record("invitation.links_revoked", workshop=invitation.workshop_id, actor=by,
                  target=invitation, tokens=count)
    db.session.flush()
    return count


def _delete_tokens(condition) -> int:
    result = db.session.execute(sa.delete(AccessToken).where(condition).execution_options(synchronize_session=False))
    return result.rowcount or 0


def housekeeping() -> None:
    """The mail worker's hourly job: purge what is past its retention period."""
    report = purge_expired()
    if report:
        logger.info("purged personal data of %s (%d registrations, %d invitations, %d messages)",
                    ", ".join(report.workshops), report.registrations, report.invitations, report.messages)
