import functools
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from workshop.platform.routing import database_int
from wtforms.fields.choices import SelectChoice

from workshop.platform.forms import SafeForm, choices, kept_on_file, on_file_hint, remove_on_file_field
from workshop.platform.i18n import LANGUAGES, current_language, offered, text_direction
from workshop.people.countries import country_choices
from workshop.people.forms import honorific_field
from workshop.registration.models import Consent, Mode

CONSENT_CHOICES = choices([
    (Consent.NOBODY.value, _l("Nobody: do not list me")),
    (Consent.PARTICIPANTS.value, _l("Other participants of this workshop")),
    (Consent.PUBLIC.value, _l("Anyone: the public participant list")),
])


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _optional_int(value):
    try:
        return database_int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class _DetailsForm(SafeForm):
    honorific = honorific_field(_l("Optional: how our letters address you, e.g. “Dear Dr. Lee,”."))
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter your name.")), Length(max=200)])
    position = StringField(_l("Title or position"), validators=[Optional(), Length(max=200)],
                           description=_l("For example: Deputy Permanent Representative"))
    organization = StringField(_l("Organization"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()])
    category_id = SelectField(_l("Participant category"), coerce=_optional_int, validators=[Optional()])
    dietary_needs = TextAreaField(_l("Dietary needs"), validators=[Optional(), Length(max=1000)])
    accessibility_needs = TextAreaField(_l("Accessibility needs"), validators=[Optional(), Length(max=1000)],
                                        description=_l("Anything that would help you take part fully."))
    arrival_date = DateField(_l("Arrival date"), validators=[Optional()])
    departure_date = DateField(_l("Departure date"), validators=[Optional()])
    consent = RadioField(_l("Who may see your name on the participant list?"), choices=CONSENT_CHOICES,
                         default=Consent.NOBODY.value,
                         validators=[InputRequired(_l("Choose who may see your name."))])

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = _country_options(current_language())
        self.category_id.choices = choices([(None, _l("— choose —"))] + [(c.id, c.name) for c in categories])

    def validate_departure_date(self, field):
        if field.data and self.arrival_date.data and field.data < self.arrival_date.data:
            raise ValidationError(_l("The departure date cannot be before the arrival date."))

    def details(self) -> dict:
        return {
            "name": self.name.data, "honorific": self.honorific.data or "", "position": self.position.data or "",
            "organization": self.organization.data or "", "country": self.country.data or "",
            "category_id": self.category_id.data, "dietary_needs": self.dietary_needs.data or "",
            "accessibility_needs": self.accessibility_needs.data or "",
            "arrival_date": self.arrival_date.data, "departure_date": self.departure_date.data,
            "consent": self.consent.data,
        }


@functools.lru_cache(maxsize=8)
def _country_options(language: str) -> list[SelectChoice]:
    """The country select's options, built once per language and process (some 250 of them,
    on every form and submission). WTForms only reads a field's choices."""
    return choices([("", _l("— choose —"))] + country_choices(language))


class RegistrationForm(_DetailsForm):
    email = EmailField(_l("Email"), filters=[_strip], validators=[DataRequired(_l("Enter your email address.")),
                                                Email(_l("Enter a valid email address, like name@example.org."), allow_smtputf8=False),
                                                Length(max=254)])
    privacy = BooleanField(_l("I have read the privacy notice and agree to it."),
                           validators=[DataRequired(_l("You must agree to the privacy notice to register."))])
    mail_language = SelectField(
        _l("Language of the emails we send you"), validators=[Optional()],
        description=_l("Confirmations, reminders and calendar invitations come in this language."))
    submit = SubmitField(_l("Register"))

    field_order = ("name", "email")

    def __init__(self, *args, workshop=None, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        # The languages the workshop offers, each named in itself (as the switcher names them).
        codes = offered(workshop) if workshop is not None else list(LANGUAGES)
        self.mail_language.choices = [
            SelectChoice(code, LANGUAGES[code], render_kw={"lang": code, "dir": text_direction(code)})
            for code in codes]
        if not self.mail_language.raw_data:
            self.mail_language.data = language if language in codes else codes[0]


class EditRegistrationForm(_DetailsForm):
    """The registrant's own form, reached by their link. Dietary and accessibility needs tell of
    someone's health: whoever holds a forwarded link must not read them, so an answer on file is
    never filled in (``platform.forms``' answers on file): an empty field keeps it, the box
    ``<field>_clear`` removes it."""

    dietary_needs_clear = remove_on_file_field(_l("Dietary needs"))
    accessibility_needs_clear = remove_on_file_field(_l("Accessibility needs"))
    submit = SubmitField(_l("Save changes"))

    KEPT_ON_FILE = ("dietary_needs", "accessibility_needs")

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = {name: getattr(registration, name) or "" for name in self.KEPT_ON_FILE}
        self.on_file = {name for name, value in self.stored.items() if value}
        for name in self.KEPT_ON_FILE:
            if name not in self.on_file:
                del self[f"{name}_clear"]  # nothing on file: nothing to remove
                continue
            field = self[name]
            field.description = on_file_hint(field.description)
            if not self.is_submitted():  # the GET's form is filled from the registration
                field.data = field.object_data = ""

    def details(self) -> dict:
        found = super().details()
        for name in self.on_file:
            found[name] = kept_on_file(found[name], self.stored[name], removed=self[f"{name}_clear"].data) or ""
        return found


class MailLanguageForm(SafeForm):
    """On the registrant's own page: the language their later mail comes in."""

    mail_language = SelectField(
        _l("Language of the emails we send you"), validators=[DataRequired(_l("Choose a language from the list."))],
        description=_l("Confirmations, reminders and calendar invitations come in this language."))
    submit = SubmitField(_l("Save the language"))

    def __init__(self, *args, workshop=None, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        codes = offered(workshop) if workshop is not None else list(LANGUAGES)
        if language in LANGUAGES and language not in codes:
            codes = [*codes, language]  # the one they have stays offered
        self.mail_language.choices = [
            SelectChoice(code, LANGUAGES[code], render_kw={"lang": code, "dir": text_direction(code)})
            for code in codes]
        if not self.mail_language.raw_data:
            self.mail_language.data = language


class DeclineForm(SafeForm):
    message = TextAreaField(_l("Message to the organizers (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Decline the invitation"))


class ResendForm(SafeForm):
    email = EmailField(_l("Your email"), filters=[_strip], validators=[DataRequired(_l("Enter your email address.")),
                                                     Email(_l("Enter a valid email address."), allow_smtputf8=False), Length(max=254)])
    submit = SubmitField(_l("Send me my links"))


class HonorificForm(SafeForm):
    """An organizer sets a registrant's honorific on the registration's page."""

    honorific = honorific_field()
    submit = SubmitField(_l("Save the honorific"))


class ReasonForm(SafeForm):
    reason = TextAreaField(_l("Reason (sent to the person)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Confirm"))


class SettingsForm(SafeForm):
    mode = RadioField(_l("Who may register"), choices=choices([
        (Mode.INVITATION.value, _l("Invited people only")),
        (Mode.OPEN.value, _l("Anyone with the link (open registration)")),
    ]), validators=[InputRequired(_l("Choose who may register."))])
    capacity = IntegerField(_l("Capacity (seats)"), validators=[Optional(), NumberRange(min=0, max=100000, message=_l("Enter a number of seats from 0 up."))],
                            description=_l("Leave empty for no limit. When the seats are taken, new registrations join a waitlist."))
    opens_at = DateTimeLocalField(_l("Registration opens"), validators=[Optional()], format="%Y-%m-%dT%H:%M",
                                  description=_l("In the workshop's time zone. Empty: open now."))
    closes_at = DateTimeLocalField(_l("Registration closes"), validators=[Optional()], format="%Y-%m-%dT%H:%M",
                                   description=_l("In the workshop's time zone. Empty: no closing time."))
    moderation = BooleanField(_l("Organizers approve each registration (moderation)"))
    confirm_email = BooleanField(_l("Open registration: people confirm their email address by a link before they take a seat"),
                                 description=_l("Recommended: without it, anyone can take seats with made-up addresses. "
                                                "Unconfirmed requests hold no seat and lapse after two days."))
    edit_deadline = DateTimeLocalField(_l("Registrants may change their details until"), validators=[Optional()],
                                       format="%Y-%m-%dT%H:%M", description=_l("In the workshop's time zone. Empty: no deadline."))
    participants_published = BooleanField(_l("Publish the participant list (only those who consented)"))
    privacy_notice = TextAreaField(_l("Privacy notice"), validators=[Optional(), Length(max=20000)],
                                   description=_l("Shown on the registration form. Say what you keep, why, and for how long."))
    retention_days = IntegerField(
        _l("Keep participants' personal data for (days after the workshop)"),
        validators=[Optional(), NumberRange(min=0, max=3650, message=_l("Enter a number of days from 0 to 3650."))],
        description=_l("After this, names, emails, positions, organizations, needs and messages are removed; "
                       "the counts by state, category and country stay. Empty: kept until you set a period."))
    submit = SubmitField(_l("Save settings"))

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Registration must close after it opens."))


class InviteContactForm(SafeForm):
    email = EmailField(_l("Contact's email"), filters=[_strip], validators=[DataRequired(_l("Enter the email of a contact in the directory.")),
                                                          Email(_l("Enter a valid email address."), allow_smtputf8=False)])
    category_id = SelectField(_l("Category"), coerce=_optional_int, validators=[Optional()])
    submit = SubmitField(_l("Invite"))


class InviteCategoryForm(SafeForm):
    category_id = SelectField(_l("Category"), coerce=_optional_int,
                              validators=[DataRequired(_l("Choose a category."))])
    submit = SubmitField(_l("Invite everyone in this category"))


class DirectorySearchForm(SafeForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search the directory"), validators=[Optional(), Length(max=200)],
                    description=_l("Part of a name, email address or organization."))


class PickContactsForm(SafeForm):
    """The contacts ticked in the directory, and what to do with them."""

    # The ticks come from the page's own list; ids that are not contacts are dropped by the service.
    # database_int: an id no column can hold is refused in words, never sent to the database.
    contact = SelectMultipleField(_l("Contacts"), coerce=database_int, validate_choice=False,
                                  validators=[DataRequired(_l("Tick at least one contact."))])
    category_id = SelectField(_l("Category"), coerce=_optional_int, validators=[Optional()],
                              description=_l("Invited people are filed in it; “Put in the category” only files them."))
    invite = SubmitField(_l("Invite the ticked contacts"))
    file = SubmitField(_l("Put the ticked contacts in the category"))


class FilterForm(SafeForm):
    class Meta:
        csrf = False

    state = SelectField(_l("State"), validators=[Optional()])
    category = SelectField(_l("Category"), coerce=_optional_int, validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])


class CategoryForm(SafeForm):
    name = StringField(_l("Category name"), validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    submit = SubmitField(_l("Save"))
