"""Inviting people to a workshop's team by email.

An address with an account is added at once and told by email. Any other address gets a
one-time link (``/team-invitations/<token>``, valid ``INVITATION_DAYS``) where the person sets
a name and a password, which creates the account and puts it on the team. Each step is in the
workshop's audit log.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from workshop.auth import service as accounts
from workshop.auth.models import User
from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.errors import N_
from workshop.platform.i18n import in_language, language_for
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.tokens import hash_token, new_token
from workshop.platform.types import normalize_email, utcnow
from workshop.platform.urls import absolute_url
from workshop.workshops.models import Role, TeamInvitation, Workshop, WorkshopMember
from workshop.workshops.service import WorkshopError, add_member

INVITATION_DAYS = 7
PENDING, ACCEPTED, REVOKED = "pending", "accepted", "revoked"
UNKNOWN, USED, EXPIRED = "unknown", "used", "expired"


def role_label(role: str) -> str:
    return _("organizer") if role == Role.ORGANIZER else _("rapporteur")


def invite(workshop: Workshop, email: str, role: str, *, by: User) -> tuple[str, WorkshopMember | TeamInvitation]:
    """``("added", member)`` for an existing account, ``("invited", invitation)`` otherwise."""
    if role not in set(Role):
        raise WorkshopError(N_("Choose organizer or rapporteur."))
    email = normalize_email(email)
    user = accounts.find_user(email)
    if user is not None:
        if not user.is_active:
            raise WorkshopError(N_("The account of %(email)s is disabled. Ask a site administrator to enable it."),
                                email=email)
        already = db.session.scalar(sa.select(WorkshopMember).where(
            WorkshopMember.workshop_id == workshop.id, WorkshopMember.user_id == user.id, WorkshopMember.role == role))
        if already is not None:
            raise WorkshopError(N_("%(email)s is on the team already in this role."), email=email)
        member = add_member(workshop, email, role)
        _tell_added(member)
        return "added", member
    invitation = db.session.scalar(sa.select(TeamInvitation).where(
        TeamInvitation.workshop_id == workshop.id, TeamInvitation.email == email,
        TeamInvitation.role == role, TeamInvitation.state == PENDING))
    if invitation is not None:
        resend(workshop, invitation.id)
        return "invited", invitation
    invitation = TeamInvitation(workshop_id=workshop.id, email=email, role=role, invited_by_id=by.id,
                                token_hash="", expires_at=utcnow())
    db.session.add(invitation)
    token = _new_link(invitation)
    audit.record("team.invitation_sent", workshop=workshop, target=invitation, email=email, role=role)
    _send_invitation(invitation, token, by)
    return "invited", invitation


def _new_link(invitation: TeamInvitation) -> str:
    """A fresh token (the previous link stops working) and seven days from now."""
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.sent_at = utcnow()
    invitation.expires_at = invitation.sent_at + timedelta(days=INVITATION_DAYS)
    db.session.flush()
    return token


def _pending(workshop: Workshop, invitation_id: int) -> TeamInvitation:
    invitation = db.session.get(TeamInvitation, invitation_id)
    if invitation is None or invitation.workshop_id != workshop.id or invitation.state != PENDING:
        raise WorkshopError(N_("That invitation is no longer open."))
    return invitation


def resend(workshop: Workshop, invitation_id: int, *, by: User | None = None) -> TeamInvitation:
    invitation = _pending(workshop, invitation_id)
    token = _new_link(invitation)
    audit.record("team.invitation_resent", workshop=workshop, target=invitation, email=invitation.email)
    inviter = by or (db.session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None)
    _send_invitation(invitation, token, inviter)
    return invitation


def revoke(workshop: Workshop, invitation_id: int) -> TeamInvitation:
    invitation = _pending(workshop, invitation_id)
    invitation.state = REVOKED
    invitation.answered_at = utcnow()
    audit.record("team.invitation_revoked", workshop=workshop, target=invitation, email=invitation.email)
    db.session.flush()
    return invitation


def pending_invitations(workshop: Workshop) -> list[TeamInvitation]:
    return list(db.session.scalars(sa.select(TeamInvitation).where(
        TeamInvitation.workshop_id == workshop.id, TeamInvitation.state == PENDING).order_by(TeamInvitation.id)))


def find(token: str) -> tuple[TeamInvitation | None, str | None]:
    """The invitation a link opens and None, or None and why the link does not work."""
    invitation = db.session.scalar(sa.select(TeamInvitation).where(TeamInvitation.token_hash == hash_token(token)))
    if invitation is None:
        return None, UNKNOWN
    if invitation.state == ACCEPTED:
        return None, USED
    if invitation.state == REVOKED:
        return None, REVOKED
    if invitation.expires_at <= utcnow():
        return None, EXPIRED
    return invitation, None


def accept(invitation: TeamInvitation, *, name: str | None = None, password: str | None = None,
           user: User | None = None) -> User:
    """The invitee joins: with a new account (``name`` and ``password``), or as ``user``, the
    signed-in account of the invited address."""
    if user is None:
        user = accounts.create_user(invitation.email, name or "", password or "")
    elif user.email != invitation.email:
        raise WorkshopError(N_("This invitation is for %(email)s. Sign in with that account."), email=invitation.email)
    add_member(invitation.workshop, user.email, invitation.role)
    invitation.state = ACCEPTED
    invitation.answered_at = utcnow()
    audit.record("team.invitation_accepted", workshop=invitation.workshop, target=invitation, actor=user,
                 email=user.email, role=invitation.role)
    db.session.flush()
    return user


def _send_invitation(invitation: TeamInvitation, token: str, inviter: User | None) -> None:
    workshop = invitation.workshop or db.session.get(Workshop, invitation.workshop_id)
    with in_language(language_for(workshop)):
        queue_mail(invitation.email, "team_invitation",
                   subject=_("Join the team of %(title)s", title=workshop.title),
                   context={"workshop": workshop, "role": role_label(invitation.role),
                            "inviter": inviter.name if inviter else "",
                            "link": absolute_url("team.invitation", token=token), "days": INVITATION_DAYS},
                   workshop_id=workshop.id)


def _tell_added(member: WorkshopMember) -> None:
    user, workshop = member.user or db.session.get(User, member.user_id), member.workshop
    with in_language(user.language or language_for(workshop)):
        queue_mail(user.email, "team_added", subject=_("You are on the team of %(title)s", title=workshop.title),
                   context={"user": user, "workshop": workshop, "role": role_label(member.role),
                            "link": absolute_url("manage.workshop", slug=workshop.slug)},
                   workshop_id=workshop.id)


def memberships(user: User) -> list[tuple[str, str, str]]:
    """The account page's list: each workshop the account is on, with its role."""
    from flask import url_for

    rows = db.session.execute(sa.select(Workshop, WorkshopMember.role).join(
        WorkshopMember, WorkshopMember.workshop_id == Workshop.id).where(WorkshopMember.user_id == user.id)
        .order_by(Workshop.start_date.desc(), Workshop.title))
    return [(w.title, url_for("manage.workshop", slug=w.slug), role_label(role)) for w, role in rows]
