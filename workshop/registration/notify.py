"""The emails of invitations and registrations. Each one is queued in the outbox inside the
transaction of the change that causes it: committed with it, or rolled back with it."""

from dataclasses import replace
from datetime import datetime, timezone

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from workshop.calendar import ics
from workshop.platform import registry
from workshop.platform.db import db
from workshop.platform.i18n import in_language, language_for
from workshop.platform.urls import absolute_url as _absolute
from workshop.platform.mail.outbox import Letter, queue_mail, queue_mail_later
from workshop.registration import session_notices
from workshop.registration.models import AccessToken, Invitation, Registration, State
from workshop.registration.participants import confirmed_registrants
from workshop.registration.tokens import hash_token, new_token
from workshop.registration.unsubscribe import email_digest, is_unsubscribed, unsubscribe_url, unsubscribed_digests


def _issue_token(owner_column, owner_id: int) -> str:
    """A new link token; older links keep working. None is ever dropped here: a re-send is
    asked for anonymously, and must not end the person's real links. Re-sends are bounded by
    the per-inbox limit; organizers revoke links, and the retention purge removes them."""
    token = new_token()
    db.session.add(AccessToken(token_hash=hash_token(token), **{owner_column.key: owner_id}))
    db.session.flush()
    return token


def issue_invitation_token(invitation: Invitation) -> str:
    return _issue_token(AccessToken.invitation_id, invitation.id)


def issue_registration_token(registration: Registration) -> str:
    return _issue_token(AccessToken.registration_id, registration.id)


def registration_link(registration: Registration) -> str:
    return _absolute("registration.self_service", token=issue_registration_token(registration))


def registration_links(registration: Registration) -> tuple[str, str]:
    """The self-service page and the personal calendar, on one new token."""
    token = issue_registration_token(registration)
    return (_absolute("registration.self_service", token=token),
            _absolute("registration.personal_calendar", token=token))


def _reply_to(workshop) -> str | None:
    """Replies go to the people running the workshop, where it names an address."""
    return workshop.contact_email or None


def _attendee(registration: Registration) -> ics.Attendee:
    return ics.Attendee(registration.name, registration.email)


def confirmation_calendar(registration: Registration) -> tuple[bytes, str] | None:
    """The workshop as an invitation (``METHOD:REQUEST``, the registrant as ATTENDEE who has yet
    to answer), for a confirmation or a promotion from the waitlist."""
    return ics.build_request(registration.workshop, [], _attendee(registration), online=True), "REQUEST"


def cancellation_calendar(registration: Registration) -> tuple[bytes, str]:
    """``METHOD:CANCEL`` for the workshop event the confirmation put in the registrant's
    calendar: same UID, STATUS:CANCELLED, at the SEQUENCE the lost seat raised (the change is
    flushed)."""
    return ics.build_cancel(registration.workshop, [], _attendee(registration)), "CANCEL"


def edited_letter(kind: str, workshop, person: dict, pinned="current"):
    """The organizers' own text for this letter in the current language, or None: the default
    text goes out. A later feature (letters) contributes it as "letter"; it is asked here, where
    the message is written, so an edited text is used whether the request or the worker writes
    it. ``person``: name, position, honorific, link (and waitlist_place). ``pinned``: the version decided on
    when the message was queued (``letter_in_force``), for a message the worker writes later."""
    found = registry.contributions("letter", kind, workshop, str(get_locale() or "en"), person, pinned)
    return found[0] if found else None


def letter_in_force(kind: str | None, workshop) -> int | None:
    """The id of the edited version of this letter in use now, in the current language (None:
    the default text)."""
    if not kind:
        return None
    found = registry.contributions("letter version", kind, workshop, str(get_locale() or "en"))
    return found[0] if found else None


def _state_kind(from_state: str | None, to_state: str) -> str | None:
    """Which editable letter tells of this move (None: its text is fixed)."""
    if from_state == State.WAITLISTED and to_state == State.CONFIRMED:
        return "promotion"
    return STATE_LETTERS.get(to_state)


# Which editable letter tells a registrant of their new state (none: the text is fixed).
STATE_LETTERS = {State.CONFIRMED: "confirmation", State.WAITLISTED: "waitlist", State.REJECTED: "rejection"}


# Registrations --------------------------------------------------------------------------------

STATE_TEMPLATES = {
    State.UNCONFIRMED: ("registration_unconfirmed", lambda w: _("Confirm your registration: %(title)s", title=w.title)),
    State.PENDING: ("registration_received", lambda w: _("Registration received: %(title)s", title=w.title)),
    State.CONFIRMED: ("registration_confirmed", lambda w: _("Registration confirmed: %(title)s", title=w.title)),
    State.WAITLISTED: ("registration_waitlisted", lambda w: _("You are on the waitlist: %(title)s", title=w.title)),
    State.REJECTED: ("registration_rejected", lambda w: _("Your registration: %(title)s", title=w.title)),
    State.WITHDRAWN: ("registration_withdrawn", lambda w: _("Registration withdrawn: %(title)s", title=w.title)),
}
PROMOTED = ("registration_promoted", lambda w: _("A seat is yours: %(title)s", title=w.title))


def state_changed(registration: Registration, from_state: str | None, to_state: str,
                  *, reason: str = "", waitlist_place: int | None = None, later: bool = False) -> None:
    """The email that tells the registrant about their new state.

    ``later``: the mail worker writes it (templates, calendar file, MIME) when it first takes
    the row, so the transaction that decided the seat (and holds the workshop lock) only stores
    what the message needs. What could change before then is captured now: the state moved
    between, the place in line, the reason, the link token and the workshop event's SEQUENCE
    and DTSTAMP, so the message says exactly what it would have said if written at once."""
    with in_language(registration.language):
        if registration.purged_at is not None:
            return  # the retention period removed their address: nobody to write to
        token = new_token() if to_state != State.WITHDRAWN else None
        if token is not None:
            db.session.add(AccessToken(token_hash=hash_token(token), registration_id=registration.id))
        workshop = registration.workshop
        if later and from_state != State.CONFIRMED:
            queue_mail_later(registration.email, STATE_CHANGE_KIND, subject=_state_subject(workshop, from_state, to_state),
                             args={"registration_id": registration.id, "from_state": from_state,
                                   "to_state": to_state, "reason": reason, "waitlist_place": waitlist_place,
                                   "token": token, "sequence": workshop.sequence or 0,
                                   "stamp": datetime.now(timezone.utc).isoformat(),
                                   "letter_version": letter_in_force(_state_kind(from_state, to_state), workshop)},
                             workshop_id=workshop.id)
            return
        letter = _state_letter(registration, from_state, to_state, reason=reason,
                               waitlist_place=waitlist_place, token=token)
        queue_mail(letter.to, letter.template, subject=letter.subject, context=letter.context,
                   calendar=letter.calendar, calendar_method=letter.calendar_method, reply_to=letter.reply_to,
                   letter_version_id=letter.letter_version_id, workshop_id=workshop.id)
        if letter.calendar_method == "CANCEL":
            # The sessions are in their calendar too, each its own event: one CANCEL per session.
            session_notices.seat_lost(registration)


STATE_CHANGE_KIND = "registration_state"


def _state_subject(workshop, from_state: str | None, to_state: str) -> str:
    if from_state == State.WAITLISTED and to_state == State.CONFIRMED:
        return PROMOTED[1](workshop)
    return STATE_TEMPLATES[to_state][1](workshop)


def _state_letter(registration: Registration, from_state: str | None, to_state: str, *, reason: str,
                  waitlist_place: int | None, token: str | None, sequence: int | None = None,
                  stamp: datetime | None = None, language: str | None = None, pinned="current") -> Letter:
    """The state-change message as a value, in the current language, on the link ``token``."""
    workshop = registration.workshop
    if from_state == State.WAITLISTED and to_state == State.CONFIRMED:
        template = PROMOTED[0]
    else:
        template = STATE_TEMPLATES[to_state][0]
    kind = _state_kind(from_state, to_state)
    link = calendar_link = None
    if token is not None:
        link = _absolute("registration.self_service", token=token)
        calendar_link = _absolute("registration.personal_calendar", token=token)
    context = {
        "registration": registration,
        "workshop": workshop,
        "reason": reason,
        "waitlist_place": waitlist_place,
        "link": link,
        "calendar_link": calendar_link if to_state == State.CONFIRMED else None,
        "workshop_url": _absolute("workshops.show", slug=workshop.slug),
    }
    calendar = method = None
    if to_state == State.CONFIRMED:
        calendar, method = ics.build_request(workshop, [], _attendee(registration), online=True,
                                             sequence=sequence, stamp=stamp), "REQUEST"
    elif from_state == State.CONFIRMED:
        # The confirmation put the workshop in their calendar: take it out again.
        calendar, method = cancellation_calendar(registration)
    context["calendar_cancelled"] = method == "CANCEL"
    # The organizers' own text of this letter, if they edited it (asked here, where the message
    # is written, so the request and the mail worker use the same text).
    edited = kind and edited_letter(kind, workshop, {
        "name": registration.name, "position": registration.position, "honorific": registration.honorific,
        "link": link, "waitlist_place": waitlist_place}, pinned)
    context["letter"] = edited
    return Letter(registration.email, template,
                  subject=edited.subject if edited else _state_subject(workshop, from_state, to_state),
                  context=context, calendar=calendar, calendar_method=method, reply_to=_reply_to(workshop),
                  language=language, letter_version_id=edited.version_id if edited else None)


def write_state_change(args: dict) -> Letter:
    """The mail worker's writer of a message queued by ``state_changed(..., later=True)``."""
    registration = db.session.get(Registration, args["registration_id"])
    if registration is None:
        raise LookupError("the registration no longer exists")
    if registration.purged_at is not None:
        raise LookupError("the registration's address was removed by the retention period")
    with in_language(registration.language):
        return _state_letter(registration, args["from_state"], args["to_state"], reason=args["reason"],
                             waitlist_place=args["waitlist_place"], token=args["token"],
                             sequence=args["sequence"], stamp=datetime.fromisoformat(args["stamp"]),
                             language=registration.language, pinned=args.get("letter_version", "current"))


def workshop_moved(workshop) -> None:
    """New dates or place: every confirmed registrant gets the workshop event again, as a
    REQUEST with the workshop's new SEQUENCE, so the event moves in their calendar."""
    workshop_url = _absolute("workshops.show", slug=workshop.slug)
    for registration in confirmed_registrants(workshop):
        with in_language(registration.language):
            calendar, method = confirmation_calendar(registration)
            queue_mail(registration.email, "workshop_moved",
                       subject=_("New dates or place: %(title)s", title=workshop.title),
                       context={"registration": registration, "workshop": workshop,
                                "workshop_url": workshop_url},
                       calendar=calendar, calendar_method=method, reply_to=_reply_to(workshop),
                       workshop_id=workshop.id)


def workshop_cancelled(workshop) -> None:
    """The workshop is called off: every confirmed registrant gets ``METHOD:CANCEL`` for the
    workshop event their confirmation put in their calendar."""
    workshop_url = _absolute("workshops.show", slug=workshop.slug)
    for registration in confirmed_registrants(workshop):
        with in_language(registration.language):
            calendar = ics.build_cancel(workshop, [], _attendee(registration))
            letter = edited_letter("cancellation", workshop, {"name": registration.name,
                                                              "position": registration.position,
                                                              "honorific": registration.honorific})
            queue_mail(registration.email, "workshop_cancelled",
                       subject=letter.subject if letter else _("Cancelled: %(title)s", title=workshop.title),
                       context={"registration": registration, "workshop": workshop,
                                "workshop_url": workshop_url, "letter": letter},
                       calendar=calendar, calendar_method="CANCEL", reply_to=_reply_to(workshop),
                       letter_version_id=letter.version_id if letter else None, workshop_id=workshop.id)


def link_resent(registration: Registration) -> None:
    with in_language(registration.language):
        workshop = registration.workshop
        queue_mail(
            registration.email, "registration_link",
            subject=_("Your registration link: %(title)s", title=workshop.title),
            context={"registration": registration, "workshop": workshop,
                     "link": registration_link(registration)},
            reply_to=_reply_to(workshop), workshop_id=workshop.id,
        )


# Invitations ----------------------------------------------------------------------------------


def invitation_language(invitation: Invitation) -> str:
    """The contact's preferred language when the workshop offers it, else the workshop's."""
    contact = invitation.contact if invitation.contact_id else None
    return language_for(invitation.workshop, contact.language if contact else None)


def _invitation_letter(invitation: Invitation, token: str, *, reminder: bool = False, pinned="current") -> Letter:
    workshop = invitation.workshop
    link = _absolute("registration.invitation", token=token)
    contact = invitation.contact if invitation.contact_id else None
    letter = edited_letter("reminder" if reminder else "invitation", workshop, {
        "name": invitation.name or invitation.email, "position": contact.position if contact else "",
        "honorific": contact.honorific if contact else "", "link": link}, pinned)
    context = {
        "invitation": invitation,
        "workshop": workshop,
        "link": link,
        "workshop_url": _absolute("workshops.show", slug=workshop.slug),
        "reminder": reminder,
        "letter": letter,
    }
    return Letter(invitation.email, "invitation_reminder" if reminder else "invitation", context=context,
                  subject=letter.subject if letter else _invitation_subject(workshop, reminder=reminder),
                  reply_to=_reply_to(workshop),
                  unsubscribe_url=unsubscribe_url(workshop, invitation.email),
                  letter_version_id=letter.version_id if letter else None)


def _invitation_subject(workshop, *, reminder: bool = False) -> str:
    if reminder:
        return _("Reminder: invitation to %(title)s", title=workshop.title)
    return _("Invitation: %(title)s", title=workshop.title)


def invitation(invitation: Invitation, *, reminder: bool = False, asked: bool = False) -> bool:
    """Queue the invitation (or its reminder); False, and nothing queued, when the address
    unsubscribed from this workshop's optional mail, unless the person ``asked`` for it now
    (the re-send form)."""
    if not asked and is_unsubscribed(invitation.workshop_id, invitation.email):
        return False
    with in_language(invitation_language(invitation)):
        letter = _invitation_letter(invitation, issue_invitation_token(invitation), reminder=reminder)
        queue_mail(letter.to, letter.template, subject=letter.subject, context=letter.context,
                   reply_to=letter.reply_to, unsubscribe_url=letter.unsubscribe_url,
                   letter_version_id=letter.letter_version_id, workshop_id=invitation.workshop_id)
    return True


def invitation_later(invitation: Invitation, workshop) -> None:
    """A new invitation's email, written by the mail worker (bulk invitations).

    The link token is made here, where the invitation is, and rides in the outbox row until the
    worker has written the message, as every queued message carries its links."""
    invitations_later([invitation], workshop)


def invitations_later(invitations, workshop) -> None:
    """``invitation_later`` for many new invitations of one workshop (a thousand at a time):
    who opted out, and which version of the letter is in force in each language, are read
    once, not once per invitee; and nothing is flushed between them (each read would first
    write every row queued so far, one statement each)."""
    opted_out = unsubscribed_digests(workshop.id)
    versions: dict[str, int | None] = {}
    with db.session.no_autoflush:
        for invitation in invitations:
            if email_digest(invitation.email) in opted_out:
                continue
            language = invitation_language(invitation)
            with in_language(language):
                if language not in versions:
                    versions[language] = letter_in_force("invitation", workshop)
                token = new_token()
                db.session.add(AccessToken(token_hash=hash_token(token), invitation_id=invitation.id))
                queue_mail_later(invitation.email, "invitation", subject=_invitation_subject(workshop),
                                 args={"invitation_id": invitation.id, "token": token,
                                       "letter_version": versions[language]},
                                 workshop_id=workshop.id)
    db.session.flush()


def write_invitation(args: dict) -> Letter:
    found = db.session.get(Invitation, args["invitation_id"])
    if found is None:
        raise LookupError("the invitation no longer exists")
    language = invitation_language(found)
    with in_language(language):
        return replace(_invitation_letter(found, args["token"], pinned=args.get("letter_version", "current")),
                       language=language)
