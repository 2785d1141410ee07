import re
import unicodedata
from zoneinfo import available_timezones

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import (BooleanField, DateField, EmailField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField, URLField)
from wtforms.validators import DataRequired, Email, Length, Optional, URL, ValidationError
from werkzeug.datastructures import FileStorage

from workshop.platform import zones
from workshop.platform.db import db
from workshop.auth.forms import new_password_fields
from workshop.platform.forms import SafeForm, choices, meeting_link_fields
from workshop.platform.routing import database_int
from workshop.platform.i18n import LANGUAGES
from workshop.workshops.attribution_rules import DEFAULT_RULE, LABELS
from workshop.workshops.models import Role, Workshop
from workshop.workshops.service import similar_organizations

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug_from(title: str) -> str:
    """'Prévention : atelier 2027' -> 'prevention-atelier-2027' (at most 80 characters)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80].rstrip("-")
MAX_ORGANIZATIONS = 20


def organization_lines(text: str | None) -> list[str]:
    """One organization per line, in order, without blanks or repeats."""
    names: list[str] = []
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def organizations_as_text(value):
    """The form is filled from a Workshop whose ``conveners`` are Organization objects; a POST
    without the field (a forged or truncated request) keeps those, so turn them into lines."""
    if isinstance(value, (list, tuple)):
        return "\n".join(getattr(item, "name", str(item)) for item in value)
    return value


class LanguagesField(SelectMultipleField):
    """Filled from a Workshop, the stored value is the codes separated by spaces."""

    def process_data(self, value):
        super().process_data(value.split() if isinstance(value, str) else value)


def stripped(value):
    return value.strip() if isinstance(value, str) else (value or "")


def uploaded_file_only(value):
    """Filled from an Organization, ``logo`` would be the stored bytes: only an upload counts."""
    return value if isinstance(value, FileStorage) else None


class WorkshopForm(SafeForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the workshop's title.")), Length(max=300)],
                        description=_l("For example: Preparatory Workshop for the Second Meeting of the R2P Focal Points Network"))
    slug = StringField(_l("Web address (slug)"), validators=[DataRequired(_l("Choose a web address.")), Length(min=3, max=80, message=_l("Use 3 to 80 characters."))],
                       description=_l("Lower-case letters, digits and single hyphens, e.g. r2p-focal-points-2012. It becomes /w/<slug>/. Left empty, it is made from the title."))
    theme = StringField(_l("Theme"), validators=[Optional(), Length(max=200)],
                        description=_l("For example: Mass Violence and Atrocities. The memo is titled '<theme> | Discussion Takeaways'."))
    network = StringField(_l("Network or series"), validators=[Optional(), Length(max=200)])
    prepares_meeting = StringField(_l("Meeting it prepares"), validators=[Optional(), Length(max=300)])
    conference = StringField(_l("Part of conference"), validators=[Optional(), Length(max=300)])
    conveners = TextAreaField(_l("Convening organizations"), validators=[Optional(), Length(max=4000)],
                              filters=[organizations_as_text],
                              description=_l("One per line, in the order they should appear."))
    co_organizers = TextAreaField(_l("Co-organizers"), validators=[Optional(), Length(max=4000)],
                                  filters=[organizations_as_text],
                                  description=_l("One per line, in the order they should appear."))
    contact_email = EmailField(_l("Contact address for participants"), filters=[stripped],
                               validators=[Optional(), Length(max=254),
                                           Email(_l("Enter a valid email address, like name@example.org."),
                                                 allow_smtputf8=False)],
                               description=_l("Replies to the workshop's emails and calendar invitations go here. Empty: the site's sending address."))
    online_link, online_details = meeting_link_fields()
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(_l("Choose the time zone of the venue.")), Length(max=120)],
                           render_kw={"list": "timezone-options", "autocomplete": "off"},
                           description=_l("Type the city (Geneva, New York, Accra) and pick it from the list."))
    start_date = DateField(_l("First day"), validators=[DataRequired(_l("Enter the first day as a date."))])
    end_date = DateField(_l("Last day"), validators=[DataRequired(_l("Enter the last day as a date."))])
    description = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=20000)])
    new_organizations = BooleanField(_l("These are new organizations, not the similar ones already known"))
    # Language names are shown in themselves, as on the switcher.
    default_language = SelectField(_l("Default language"), choices=choices(LANGUAGES.items()), default="en",
                                   description=_l("Mail goes out in this language to people who chose none."))
    languages = LanguagesField(_l("Languages offered to participants"), choices=choices(LANGUAGES.items()),
                                    default=list(LANGUAGES), validators=[Optional()],
                                    description=_l("Hold Ctrl (Cmd on a Mac) to choose several. None chosen: all six."))
    attribution_rule = SelectField(
        _l("Attribution rule"), choices=choices((rule.value, text) for rule, text in LABELS.items()),
        default=DEFAULT_RULE.value, description=_l("A session may have its own rule, set on the agenda."))
    submit = SubmitField(_l("Save workshop"))

    def __init__(self, *args, workshop: Workshop | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._workshop = workshop

    def validate(self, extra_validators=None):
        """An empty web address is made from the title: 'Early Warning 2027' -> early-warning-2027."""
        if not (self.slug.data or "").strip() and (self.title.data or "").strip():
            self.slug.data = self._free_slug(slug_from(self.title.data))
        return super().validate(extra_validators)

    def _free_slug(self, base: str) -> str:
        if len(base) < 3:
            return ""  # a title in another script: the organizer chooses the address
        taken = set(db.session.scalars(sa.select(Workshop.slug).where(Workshop.slug.like(base + "%"))))
        if self._workshop is not None:
            taken.discard(self._workshop.slug)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base[:75]}-{n}", n + 1
        return candidate

    def validate_slug(self, field):
        field.data = (field.data or "").strip().lower()
        if not SLUG_PATTERN.match(field.data):
            raise ValidationError(_l("Use only lower-case letters, digits and single hyphens between them."))
        query = sa.select(Workshop.id).where(Workshop.slug == field.data)
        if self._workshop is not None:
            query = query.where(Workshop.id != self._workshop.id)
        if db.session.scalar(query) is not None:
            raise ValidationError(_l("Another workshop already uses this address. Choose another."))

    def validate_timezone(self, field):
        field.data = zones.zone_for(field.data) or (field.data or "").strip()
        if field.data not in available_timezones():
            # gettext, not lazy_gettext: a lazy string is treated as safe HTML, and this one quotes user input.
            raise ValidationError(_("'%(name)s' is not a known time zone. Use a name like Europe/London.", name=field.data))

    def validate_default_language(self, field):
        if self.languages.data and field.data not in self.languages.data:  # none chosen: all six
            raise ValidationError(_l("The default language must be one of the languages offered."))

    def validate_end_date(self, field):
        if self.start_date.data and field.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def _validate_organizations(self, field):
        names = organization_lines(field.data)
        if len(names) > MAX_ORGANIZATIONS:
            raise ValidationError(_l("List at most %(n)d organizations.", n=MAX_ORGANIZATIONS))
        if any(len(name) > 200 for name in names):
            raise ValidationError(_l("Each organization's name must be at most 200 characters."))
        if self.new_organizations.data:
            return
        for name in names:
            similar = similar_organizations(name)
            if similar:
                # gettext, not lazy_gettext: the message quotes what was typed.
                raise ValidationError(_(
                    "“%(typed)s” looks like “%(existing)s”, which is already known. Use that exact "
                    "name, or tick “These are new organizations” below if it is another one.",
                    typed=name, existing=similar[0].name))

    validate_conveners = _validate_organizations
    validate_co_organizers = _validate_organizations


class MemberForm(SafeForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter the person's email address.")), Email(_l("Enter a valid email address."), allow_smtputf8=False), Length(max=254)],
                       description=_l("With an account, they are added at once; without one, they get a link to create it."))
    role = SelectField(_l("Role"), choices=choices([(Role.ORGANIZER.value, _l("Organizer")), (Role.RAPPORTEUR.value, _l("Rapporteur"))]))
    submit = SubmitField(_l("Add to the team"))


class JoinTeamForm(SafeForm):
    """The invitee of a team invitation without an account: their name and a password."""

    name = StringField(_l("Your name"), validators=[DataRequired(_l("Enter your name.")), Length(max=200)])
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Create my account and join"))


class OrganizationForm(SafeForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the organization's name.")), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=60)])
    url = URLField(_l("Website"), validators=[Optional(), URL(message=_l("Enter a full web address starting with https://.")), Length(max=500)])
    logo = FileField(_l("Logo (PNG or JPEG, up to 512 KB)"), filters=[uploaded_file_only], validators=[FileAllowed(["png", "jpg", "jpeg"], _l("Choose a PNG or JPEG image."))])
    submit = SubmitField(_l("Save organization"))


class MergeOrganizationForm(SafeForm):
    target = SelectField(_l("Merge into"), coerce=database_int, validators=[DataRequired(_l("Choose the organization to keep."))])
    submit = SubmitField(_l("Merge"))


class ConfirmForm(SafeForm):
    """A form with only the CSRF token, for buttons that change state."""

    submit = SubmitField(_l("Confirm"))
