"""What the workshop's team is told: organizers hear of new registrations, withdrawals and
declines at once or in a daily digest (their choice, per workshop); rapporteurs and organizers
hear at once when notes are submitted or approved and when the memo goes to review or is
published. The reactions run in the transaction of the change (``workshop/reactions.py``)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from workshop.auth.models import User
from workshop.platform.db import db
from workshop.platform.i18n import in_language, language_for
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.types import utcnow
from workshop.platform.urls import absolute_url
from workshop.messages.models import TeamNotice, TeamNoticePreference
from workshop.registration.models import State
from workshop.workshops.models import Role, Workshop, WorkshopMember

REGISTERED, WITHDREW, DECLINED = "registered", "withdrew", "declined"
NOTES_SUBMITTED, NOTES_APPROVED = "notes_submitted", "notes_approved"
MEMO_IN_REVIEW, MEMO_PUBLISHED = "memo_in_review", "memo_published"
# The registration news an organizer may take as a digest; the rest always goes at once.
DIGESTIBLE = (REGISTERED, WITHDREW, DECLINED)


def line(kind: str, about: str) -> str:
    """One notice in words, in the current language."""
    return {
        REGISTERED: lambda: _("New registration: %(name)s", name=about),
        WITHDREW: lambda: _("Registration withdrawn: %(name)s", name=about),
        DECLINED: lambda: _("Invitation declined: %(name)s", name=about),
        NOTES_SUBMITTED: lambda: _("Notes submitted for review: %(session)s", session=about),
        NOTES_APPROVED: lambda: _("Notes approved: %(session)s", session=about),
        MEMO_IN_REVIEW: lambda: _("The memo is ready for review: %(title)s", title=about),
        MEMO_PUBLISHED: lambda: _("The memo is published: %(title)s", title=about),
    }[kind]()


def _members(workshop_id: int, roles) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(WorkshopMember, WorkshopMember.user_id == User.id)
        .where(WorkshopMember.workshop_id == workshop_id, WorkshopMember.role.in_(roles),
               User.is_active_account.is_(True))
        .order_by(User.id).distinct()))


def preference(workshop_id: int, user_id: int) -> TeamNoticePreference | None:
    return db.session.scalar(sa.select(TeamNoticePreference).where(
        TeamNoticePreference.workshop_id == workshop_id, TeamNoticePreference.user_id == user_id))


def takes_digest(workshop_id: int, user_id: int) -> bool:
    """The digest unless the organizer asked for each at once: an open workshop with hundreds
    of registrations would otherwise fill their inbox before they had a chance to choose."""
    found = preference(workshop_id, user_id)
    return found is None or found.daily_digest


def choose(workshop, user, *, daily_digest: bool) -> None:
    found = preference(workshop.id, user.id)
    if found is None:
        found = TeamNoticePreference(workshop_id=workshop.id, user_id=user.id)
        db.session.add(found)
    found.daily_digest = daily_digest
    db.session.flush()


def _tell(workshop, user: User, kind: str, about: str, link: str) -> None:
    with in_language(language_for(workshop, user.language)):
        words = line(kind, about)
        queue_mail(user.email, "team_notice", subject=_("%(news)s · %(title)s", news=words, title=workshop.title),
                   context={"workshop_title": workshop.title, "user": user, "news": words, "link": link},
                   workshop_id=workshop.id)


def _organizers_and_digest(workshop_id: int) -> list[tuple[int, bool]]:
    """The organizers' ids, each with whether they take the digest (``takes_digest``), in one
    query: it runs for every registration, inside the workshop lock, and a digest notice needs
    the id alone (the account is loaded only for those told at once)."""
    return [(user_id, digest is None or digest)
            for user_id, digest in db.session.execute(_ORGANIZERS_AND_DIGEST, {"workshop_id": workshop_id})]


_ORGANIZERS_AND_DIGEST = (  # built once: see _organizers_and_digest
    sa.select(User.id, TeamNoticePreference.daily_digest).join(WorkshopMember, WorkshopMember.user_id == User.id)
    .outerjoin(TeamNoticePreference, sa.and_(TeamNoticePreference.workshop_id == sa.bindparam("workshop_id"),
                                             TeamNoticePreference.user_id == User.id))
    .where(WorkshopMember.workshop_id == sa.bindparam("workshop_id"), WorkshopMember.role == Role.ORGANIZER,
           User.is_active_account.is_(True))
    .order_by(User.id).distinct())


def _registration_news(workshop, kind: str, about: str) -> None:
    for user_id, digest in _organizers_and_digest(workshop.id):
        if digest:
            db.session.add(TeamNotice(workshop_id=workshop.id, user_id=user_id, kind=kind, about=about[:300]))
        else:
            _tell(workshop, db.session.get(User, user_id), kind, about,
                  absolute_url("registration.manage", slug=workshop.slug))


# Reactions ---------------------------------------------------------------------------------------


def registration_changed(registration, from_state, to_state) -> None:
    if registration.purged_at is not None:
        return
    if from_state in (None, State.UNCONFIRMED) and to_state in (State.PENDING, State.CONFIRMED, State.WAITLISTED):
        _registration_news(registration.workshop, REGISTERED, registration.name)
    elif to_state == State.WITHDRAWN and from_state != State.UNCONFIRMED:
        _registration_news(registration.workshop, WITHDREW, registration.name)


def invitation_declined(invitation) -> None:
    _registration_news(invitation.workshop, DECLINED, invitation.name or invitation.email)


def notes_changed(note, to_state) -> None:
    kind = {"submitted": NOTES_SUBMITTED, "approved": NOTES_APPROVED}.get(str(to_state))
    if kind is None:
        return
    item = note.agenda_item
    workshop = item.workshop
    link = absolute_url("notes.edit", slug=workshop.slug, item_id=item.id)
    for user in _members(workshop.id, (Role.ORGANIZER, Role.RAPPORTEUR)):
        _tell(workshop, user, kind, item.title, link)


def memo_changed(memo, to_state) -> None:
    kind = {"in_review": MEMO_IN_REVIEW, "published": MEMO_PUBLISHED}.get(str(to_state))
    if kind is None:
        return
    workshop = db.session.get(Workshop, memo.workshop_id)
    link = absolute_url("memos.public" if kind == MEMO_PUBLISHED else "memos.manage", slug=workshop.slug)
    for user in _members(workshop.id, (Role.ORGANIZER, Role.RAPPORTEUR)):
        _tell(workshop, user, kind, workshop.title, link)


# The daily digest --------------------------------------------------------------------------------


def send_digests(now: datetime | None = None) -> int:
    """An hourly job: each member with waiting notices gets them in one message, at most once a
    (UTC) day. Returns how many digests were queued."""
    today = (now or utcnow()).date()
    waiting = db.session.execute(sa.select(TeamNotice.workshop_id, TeamNotice.user_id).distinct()).all()
    sent = 0
    for workshop_id, user_id in sorted(waiting):
        found = preference(workshop_id, user_id)
        if found is not None and found.last_digest_on == today:
            continue
        notices = list(db.session.scalars(sa.select(TeamNotice).where(
            TeamNotice.workshop_id == workshop_id, TeamNotice.user_id == user_id)
            .order_by(TeamNotice.created_at, TeamNotice.id)))
        user = db.session.get(User, user_id)
        workshop = db.session.get(Workshop, workshop_id)
        if user.is_active_account:
            with in_language(language_for(workshop, user.language)):
                queue_mail(user.email, "team_digest",
                           subject=_("Daily digest for %(title)s: %(count)s new", title=workshop.title, count=len(notices)),
                           context={"workshop_title": workshop.title, "user": user,
                                    "news": [line(n.kind, n.about) for n in notices],
                                    "link": absolute_url("registration.manage", slug=workshop.slug)},
                           workshop_id=workshop.id)
            sent += 1
        for notice in notices:
            db.session.delete(notice)
        if found is None:
            found = TeamNoticePreference(workshop_id=workshop_id, user_id=user_id, daily_digest=True)
            db.session.add(found)
        found.last_digest_on = today
    db.session.flush()
    return sent
