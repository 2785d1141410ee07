"""Public pages: register, answer an invitation, manage one's registration, participant list."""

import functools

from markupsafe import escape
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workshop.agenda import service as agenda
from workshop.calendar import ics
from workshop.documents.views import download
from workshop.platform import registry
from workshop.platform.built_once import Kept
from workshop.platform.urls import absolute_url, webcal_url
from workshop.agenda.calendar_views import calendar_response
from workshop.platform import public_cache, transaction
from workshop.platform.errors import render_error
from workshop.platform.registry import contributions
from workshop.platform.i18n import LANGUAGES, current_language, language_for
from workshop.registration import (confirmation, invitations, notify, participant_material, participants,
                                   service)
from workshop.registration.blueprint import bp
from workshop.registration.forms import DeclineForm, EditRegistrationForm, MailLanguageForm, RegistrationForm, ResendForm
from workshop.registration.models import InvitationState, Mode, State
from workshop.platform.security import email_key, rate_limit, spend, submitted_email
from workshop.platform.states import state_label
from workshop.platform.types import utcnow
from workshop.workshops.forms import ConfirmForm
from workshop.workshops.access import load_public



def invalid_link(kind: str):
    """Unknown, expired or already-used link: a 404 in words, with the re-send form."""
    return render_template("registration/invalid_link.html", kind=kind, form=ResendForm()), 404


def by_registration_token(view):
    """The view gets the registration its link opens; an unknown link gets the page in words."""
    @functools.wraps(view)
    def wrapper(token: str, **kwargs):
        registration = service.registration_by_token(token)
        if registration is None:
            return invalid_link("registration")
        return view(token, registration, **kwargs)
    return wrapper


def by_invitation_token(view=None, *, may_open=None, show_answered=False):
    """The view gets the invitation its link opens while it can be answered (``may_open``,
    by default ``invitations.usable``). With ``show_answered``, an invitation already accepted
    or declined opens the page that says where the invitee stands instead of a dead link."""
    if view is None:
        return functools.partial(by_invitation_token, may_open=may_open, show_answered=show_answered)
    may_open = may_open or invitations.usable

    @functools.wraps(view)
    def wrapper(token: str):
        found = invitations.invitation_by_token(token)
        if not may_open(found):
            if show_answered and found is not None and found.state in ANSWERED:
                return _answered_page(found, token)
            return invalid_link("invitation")
        return view(token, found)
    return wrapper


ANSWERED = (InvitationState.ACCEPTED, InvitationState.DECLINED)


def _registration_form(workshop, **kwargs):
    # The mail language offered first is the page's, when the workshop offers it.
    return RegistrationForm(categories=service.categories_for(workshop), workshop=workshop,
                            language=language_for(workshop, current_language()), **kwargs)


def _form_parts(workshop, registration=None) -> list:
    """Fields later features add to the form (the organizers' questions): each validated with
    the form and saved with the registration."""
    return contributions("registration form", workshop, registration)


def _parts_valid(parts, form) -> bool:
    if request.method != "POST":
        return False
    return all([part.validate(form.category_id.data) for part in parts])


def _check_inbox(workshop, email: str):
    """The public form's one answer, whether the address was new, known, or is to confirm:
    the form must not tell anyone who is registered.

    Every submission of the opening rush ends here, and the page differs between anonymous
    visitors only by the address: it is rendered once per workshop title, language and URL
    and kept with a placeholder where the address goes (escaped as the template escapes it).
    A signed-in visitor, a waiting flash message or a query string get a fresh render."""
    if request.query_string or not public_cache.is_anonymous():
        return render_template("registration/check_inbox.html", workshop=workshop, email=email)
    key = (workshop.id, workshop.slug, workshop.title, public_cache.page_locale(), request.path)
    page = _check_inbox_pages.get(key)
    if page is None:
        page = render_template("registration/check_inbox.html", workshop=workshop, email=_EMAIL_PLACEHOLDER)
        if page.count(_EMAIL_PLACEHOLDER) != 1:  # a translation that does not show the address
            return render_template("registration/check_inbox.html", workshop=workshop, email=email)
        _check_inbox_pages.put(key, page)
    return page.replace(_EMAIL_PLACEHOLDER, str(escape(email)))


# Letters and digits only: the template's escaping leaves it as it is.
_EMAIL_PLACEHOLDER = "x0checkinboxaddressx0"
_check_inbox_pages = Kept(64, max_bytes=1024 * 1024, weigh=len)


def _submit(workshop, form, *, invitation=None, parts=()):
    """Hand a valid form to the service; a page for every outcome."""
    try:
        registration = service.register(workshop, {**form.details(), "email": form.email.data},
                                        invitation=invitation,
                                        language=form.mail_language.data or current_language())
        for part in parts:
            part.save(registration)
    except service.AlreadyRegistered as already:
        if invitation is not None:  # the invitee holds their own link: no one else learns anything
            return render_template("registration/already_registered.html", workshop=workshop)
        # The known address is sent its link again within the per-inbox allowance of
        # /links/resend; the answer is the same whether it was sent or not.
        if spend("resend_email", email_key(already.registration.email)):
            confirmation.remind_existing(already.registration)
        return _check_inbox(workshop, form.email.data)
    except service.RegistrationClosed as closed:
        return render_template("registration/closed.html", workshop=workshop, settings=closed.settings,
                               window=closed.window), 403
    except service.RegistrationError as error:
        form.form_errors.append(error.translated())
        return None
    transaction.commit_before_answer()  # the seat is decided: let the next registration in
    if invitation is None:
        spend("resend_email", email_key(registration.email))  # as a known address would
        return _check_inbox(workshop, form.email.data)
    return render_template("registration/registered.html", workshop=workshop, registration=registration,
                           place=service.waitlist_place(registration))


@bp.route("/w/<slug>/register", methods=["GET", "POST"])
@rate_limit("register")
# The form GET, the page participants load in the first minute registration opens, is rendered
# once per version of the workshop's rows (its settings, categories and anything else of the
# workshop the form shows) and language, with each visitor's CSRF token put in.
@public_cache.cached("registration form", personal=True, csrf=True)
def register(slug: str):
    workshop = load_public(slug, organizations=False)  # the form and its answers do not show them
    settings = service.settings_for(workshop)
    now = utcnow()
    window = settings.window_state(now)
    # Opening and closing change the page by the clock, without a write: kept no longer.
    for moment in (settings.opens_at, settings.closes_at):
        if moment is not None and moment > now:
            public_cache.valid_until(moment)
    if window != "open":
        return render_template("registration/closed.html", workshop=workshop, settings=settings, window=window)
    if settings.mode == Mode.INVITATION:
        return render_template("registration/invitation_only.html", workshop=workshop, form=ResendForm())
    form = _registration_form(workshop)
    parts = _form_parts(workshop)
    if form.validate_on_submit() & _parts_valid(parts, form):
        page = _submit(workshop, form, parts=parts)
        if page is not None:
            return page
    return render_template("registration/form.html", workshop=workshop, settings=settings, form=form,
                           invitation=None, parts=parts), \
        422 if form.errors or form.form_errors or any(p.errors for p in parts) else 200


# Invitations ------------------------------------------------------------------------------------


@bp.get("/invitations/<token>")
@rate_limit("invitation", methods=("GET", "POST"))
@by_invitation_token(show_answered=True)
def invitation(token: str, found):
    return render_template("registration/invitation.html", invitation=found, workshop=found.workshop,
                           token=token, decline_form=DeclineForm(), seen_form=ConfirmForm())


def _answered_page(found, token: str, *, link_sent: bool = False):
    """Invitees open their invitation mail again: where they stand, not a dead link."""
    registration = invitations.registration_of(found)
    return render_template(
        "registration/invitation_answered.html", invitation=found, workshop=found.workshop, token=token,
        registration=registration, place=service.waitlist_place(registration) if registration else None,
        may_reconsider=invitations.may_reconsider(found), form=ConfirmForm(), link_sent=link_sent,
        can_send_link=registration is not None and registration.purged_at is None)


@bp.post("/invitations/<token>/registration-link")
@rate_limit("invitation", methods=("GET", "POST"))
def invitation_registration_link(token: str):
    """Mail the link of the registration this invitation led to, to the invited address: the
    invitation link alone does not open someone's registration details."""
    found = invitations.invitation_by_token(token)
    if found is None or found.state not in ANSWERED:
        return invalid_link("invitation")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    registration = invitations.registration_of(found)
    if registration is None or registration.purged_at is not None:
        return _answered_page(found, token)
    notify.link_resent(registration)
    return _answered_page(found, token, link_sent=True)


@bp.post("/invitations/<token>/seen")
@rate_limit("invitation", methods=("GET", "POST"))
def invitation_seen(token: str):
    """The invitation page reports, from the invitee's browser, that it was opened. A GET never
    writes, and link scanners in mail gateways fetch links without running scripts, so "opened"
    counts people rather than scanners. Answering also counts as opened."""
    found = invitations.invitation_by_token(token)
    if not invitations.usable(found) or not ConfirmForm().validate_on_submit():
        return "", 404 if found is None else 400
    invitations.mark_opened(found)
    return "", 204


@bp.route("/invitations/<token>/accept", methods=["GET", "POST"])
@rate_limit("invitation", methods=("GET", "POST"))
@by_invitation_token(may_open=invitations.may_register, show_answered=True)
def accept_invitation(token: str, found):
    workshop = found.workshop
    settings = service.settings_for(workshop)
    window = settings.window_state(utcnow())
    if window != "open":
        return render_template("registration/closed.html", workshop=workshop, settings=settings, window=window)
    form = _registration_form(workshop)
    if request.method == "GET":
        contact = found.contact
        form.name.data = found.name or (contact.name if contact else "")
        if contact is not None:
            form.honorific.data = contact.honorific
            form.position.data = contact.position
            form.organization.data = contact.organization
            form.country.data = contact.country
        form.category_id.data = found.category_id
    # The email is the invitation's, whatever the request says: the field is shown locked.
    form.email.data = found.email
    parts = _form_parts(workshop)
    if form.validate_on_submit() & _parts_valid(parts, form):
        page = _submit(workshop, form, invitation=found, parts=parts)
        if page is not None:
            return page
    return render_template("registration/form.html", workshop=workshop, settings=settings, form=form,
                           invitation=found, token=token, parts=parts), \
        422 if form.errors or form.form_errors or any(p.errors for p in parts) else 200


@bp.post("/invitations/<token>/decline")
@rate_limit("invitation", methods=("GET", "POST"))
@by_invitation_token
def decline_invitation(token: str, found):
    form = DeclineForm()
    if not form.validate_on_submit():
        return render_template("registration/invitation.html", invitation=found, workshop=found.workshop,
                               token=token, decline_form=form), 422
    invitations.decline(found, form.message.data or "")
    return render_template("registration/declined.html", workshop=found.workshop)


# Self-service -----------------------------------------------------------------------------------


@bp.get("/registrations/<token>")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def self_service(token: str, registration):
    settings = service.settings_for(registration.workshop)
    now = utcnow()
    return render_template("registration/self_service.html", registration=registration, token=token,
                           workshop=registration.workshop, settings=settings,
                           may_confirm=confirmation.may_confirm(registration, now),
                           expired=confirmation.is_overdue(registration, now), confirm_form=ConfirmForm(),
                           place=service.waitlist_place(registration),
                           can_edit=settings.can_edit(utcnow()) and registration.state not in (State.WITHDRAWN, State.REJECTED),
                           can_see_participants=participants.viewer_may_see(registration, settings),
                           calendar_webcal=webcal_url(absolute_url("registration.personal_calendar", token=token)),
                           documents=participant_material.documents_of(registration),
                           meetings=participant_material.meetings_of(registration),
                           extras=contributions("registrant page", registration, token),
                           # Material later features add after the documents (the briefing pack).
                           material=contributions("registrant material", registration, token),
                           language_form=MailLanguageForm(workshop=registration.workshop, language=registration.language,
                                                          formdata=None))


@bp.post("/registrations/<token>/language")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def mail_language(token: str, registration):
    """The registrant chooses the language of their later mail (their page's own language is
    the switcher's business, not this)."""
    form = MailLanguageForm(workshop=registration.workshop, language=registration.language)
    if not form.validate_on_submit():
        flash(_("Choose a language from the list."), "error")
    elif service.set_mail_language(registration, form.mail_language.data):
        flash(_("From now on we write to you in %(language)s.", language=LANGUAGES[registration.language]), "success")
    return redirect(url_for("registration.self_service", token=token))


@bp.post("/registrations/<token>/confirm")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def confirm_registration(token: str, registration):
    """The person confirms their address (an unconfirmed request), or registers again after
    withdrawing: only through the registration's own link. A GET never writes, so the page
    asks for this button rather than confirming when a mail scanner fetches the link."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        registration = confirmation.confirm(registration)
    except service.RegistrationClosed as closed:
        return render_template("registration/closed.html", workshop=registration.workshop,
                               settings=closed.settings, window=closed.window), 403
    except service.RegistrationError as error:
        flash(error.translated(), "error")
    else:
        flash(_("Thank you: your registration is %(state)s. We have sent you the details.",
                state=state_label(registration.state, "registration")), "success")
    return redirect(url_for("registration.self_service", token=token))


@bp.get("/registrations/<token>/calendar.ics")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def personal_calendar(token: str, registration):
    """The registrant's own calendar (the workshop and its sessions, them as attendee): only
    while they hold a seat, so a withdrawn registrant's subscription stops rather than empties."""
    if registration.state != State.CONFIRMED:
        return render_error(404, _("No calendar for this registration"),
                            _("Only a confirmed registration has a personal calendar. Open your "
                              "registration page to see where it stands."))
    workshop = registration.workshop
    body = ics.build_registrant_calendar(workshop, agenda.items_for(workshop, include_cancelled=False),
                                         registration.name, registration.email)
    response = calendar_response(body, f"{workshop.slug}-my-calendar.ics")
    # A personal calendar names the registrant and sits behind their link: like the other
    # token pages, nothing keeps a copy (the public feeds may be revalidated from a cache).
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/registrations/<token>/documents/<int:document_id>/<path:filename>")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def participant_document(token: str, registration, document_id: int, filename: str):
    """A document for confirmed participants, through their own link (the name in the URL is
    for the reader's browser; the id decides)."""
    document = participant_material.get(registration, document_id)
    if document is None:
        abort(404)
    response = download(document, public=False)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/registrations/<token>/edit", methods=["GET", "POST"])
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def edit_registration(token: str, registration):
    workshop = registration.workshop
    form = EditRegistrationForm(obj=registration if request.method == "GET" else None,
                                categories=service.categories_for(workshop), registration=registration)
    parts = _form_parts(workshop, registration)
    if form.validate_on_submit() & _parts_valid(parts, form):
        try:
            service.update_details(registration, form.details())
            for part in parts:
                part.save(registration)
        except service.RegistrationError as error:
            form.form_errors.append(error.translated())
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("registration.self_service", token=token))
    settings = service.settings_for(workshop)
    return render_template("registration/edit.html", registration=registration, token=token, form=form,
                           workshop=workshop, settings=settings, parts=parts,
                           locked=not settings.can_edit(utcnow())), \
        422 if form.errors or form.form_errors or any(p.errors for p in parts) else 200


@bp.route("/registrations/<token>/withdraw", methods=["GET", "POST"])
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def withdraw(token: str, registration):
    form = ConfirmForm()
    if registration.state == State.WITHDRAWN:
        return redirect(url_for("registration.self_service", token=token))
    if form.validate_on_submit():
        try:
            service.withdraw(registration)
        except service.RegistrationError as error:
            flash(error.translated(), "error")
        else:
            flash(_("Your registration is withdrawn. We have sent you a confirmation."), "success")
        return redirect(url_for("registration.self_service", token=token))
    others_waiting = any(r.id != registration.id for r in service.waitlist(registration.workshop_id))
    return render_template("registration/withdraw.html", registration=registration, token=token,
                           workshop=registration.workshop, form=form, others_waiting=others_waiting)


@bp.route("/links/resend", methods=["GET", "POST"])
@rate_limit("resend")
@rate_limit("resend_email", key_func=submitted_email)
def resend():
    form = ResendForm()
    if form.validate_on_submit():
        service.resend_link(form.email.data)
        # The same answer whether or not the address is known: nothing is revealed.
        return render_template("registration/resent.html")
    return render_template("registration/resend.html", form=form), 422 if form.errors else 200


# Participant list -------------------------------------------------------------------------------


@bp.get("/w/<slug>/participants")
def public_participants(slug: str):
    workshop = load_public(slug)
    settings = service.settings_for(workshop)
    if not participants.public_list_allowed(workshop, settings):
        abort(404)
    return render_template("registration/participants.html", workshop=workshop,
                           people=participants.visible_to(workshop, viewer=None), token=None)


@bp.get("/registrations/<token>/participants")
@rate_limit("token", methods=("GET", "POST"))
@by_registration_token
def participants_for_registrant(token: str, registration):
    settings = service.settings_for(registration.workshop)
    if not participants.viewer_may_see(registration, settings):
        abort(404)
    return render_template("registration/participants.html", workshop=registration.workshop,
                           people=participants.visible_to(registration.workshop, viewer=registration), token=token)

