"""Keeping personal data no longer than needed, and revoking links.

A workshop's registration settings hold ``retention_days``: how many days after the workshop's
last day its participants' personal data is kept. Once that has passed, ``purge_expired`` (run by
``flask purge`` and hourly by the mail worker) removes from every registration the name, email,
position, organization, dietary and accessibility needs, dates and messages; from every
invitation the email, name and decline message; every link token of both; and the outbox messages
already sent (or given up on) to those addresses. What stays: each registration's state,
category and country, so the counts by state, category and country are still right. The audit log
records each purge, without names.

Organizers can also revoke the links of one registrant or invitee (their tokens are deleted):
the old links stop working; the person can ask for new ones at ``/links/resend``.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.registration.invitations import transition as move_invitation
from workshop.registration.models import (
    AccessToken,
    Invitation,
    InvitationState,
    Registration,
    RegistrationChange,
    RegistrationSettings,
)
from workshop.platform.types import utcnow

logger = logging.getLogger("workshop.retention")
from workshop.workshops.models import Workshop

MAX_RETENTION_DAYS = 3650


@dataclass
class PurgeReport:
    workshops: list[str] = field(default_factory=list)
    registrations: int = 0
    invitations: int = 0
    messages: int = 0

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
    return report


def purge_workshop(workshop: Workshop, settings: RegistrationSettings, now: datetime) -> PurgeReport:
    report = PurgeReport()
    emails: set[str] = set()
    registrations = db.session.scalars(sa.select(Registration).where(
        Registration.workshop_id == workshop.id, Registration.purged_at.is_(None))).all()
    for registration in registrations:
        emails.add(registration.email)
        _purge_registration(registration, now)
        report.registrations += 1
    invitations = db.session.scalars(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.purged_at.is_(None))).all()
    for invitation in invitations:
        emails.add(invitation.email)
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
    report.messages = _delete_delivered_mail(emails)
    if report:
        settings.purged_at = now
        audit.record("registration.personal_data_purged", workshop=workshop, actor="system",
                     target=("workshop", workshop.id), registrations=report.registrations,
                     invitations=report.invitations, messages=report.messages,
                     retention_days=settings.retention_days)
    db.session.flush()
    return report


def _purge_registration(registration: Registration, now: datetime) -> None:
    registration.email = f"purged-{registration.id}"  # unique per workshop, and not an address
    registration.name = ""
    registration.position = ""
    registration.organization = ""
    registration.dietary_needs = ""
    registration.accessibility_needs = ""
    registration.arrival_date = None
    registration.departure_date = None
    registration.contact_id = None
    registration.purged_at = now
    # Reasons and messages written about the person; who changed what, and when, stays.
    db.session.execute(
        sa.update(RegistrationChange).where(RegistrationChange.registration_id == registration.id)
        .values(detail="").execution_options(synchronize_session=False))


def _delete_delivered_mail(emails: set[str]) -> int:
    """Outbox messages already delivered (or given up on) addressed to any of ``emails``."""
    emails = {e for e in emails if e and "@" in e}
    if not emails:
        return 0
    doomed = []
    done = (OutboxStatus.SENT, OutboxStatus.FAILED)
    for email in emails:
        candidates = db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.recipients).where(
            OutboxMessage.status.in_(done), OutboxMessage.recipients.contains(email))).all()
        doomed += [mid for mid, recipients in candidates
                   if email in {r.strip().lower() for r in recipients.split(",")}]
    if doomed:
        db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.id.in_(set(doomed)))
                           .execution_options(synchronize_session=False))
    return len(set(doomed))


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
