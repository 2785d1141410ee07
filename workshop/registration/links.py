"""The buttons this feature adds to the workshop's public page and organizer overview."""

from flask import has_request_context, request, url_for
from flask_babel import gettext as _

from workshop.platform import templating
from workshop.registration import participants
from workshop.registration.models import Mode
from workshop.registration.service import existing_settings
from workshop.platform.types import utcnow


def _settings(workshop):
    """The settings both buttons read, once per request (the page shows them together)."""
    if not has_request_context():
        return existing_settings(workshop)
    kept = request.environ.setdefault("workshop.registration_settings", {})
    if workshop.id not in kept:
        kept[workshop.id] = existing_settings(workshop)
    return kept[workshop.id]


def public_register_link(workshop):
    settings = _settings(workshop)
    if settings is None or settings.mode != Mode.OPEN or settings.window_state(utcnow()) == "closed":
        return None
    return _("Register"), url_for("registration.register", slug=workshop.slug)


def public_participants_link(workshop):
    if not participants.public_list_allowed(workshop, _settings(workshop)):
        return None
    return _("Participants"), url_for("registration.public_participants", slug=workshop.slug)


def manage_registrations_link(workshop):
    return _("Registrations"), url_for("registration.manage", slug=workshop.slug)


def manage_invitations_link(workshop):
    return _("Invitations"), url_for("registration.invitation_list", slug=workshop.slug)


def manage_contacts_link(workshop):
    return _("Contacts"), url_for("people.contacts")

