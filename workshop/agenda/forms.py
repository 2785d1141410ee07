"""Agenda forms: times typed in the workshop's zone, people chosen from contacts or added by line."""

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from workshop.platform import templating
from workshop.platform.forms import SafeForm, choices, meeting_link_fields
from workshop.workshops.attribution_rules import LABELS as RULE_LABELS, label as rule_label
from workshop.agenda import rules
from workshop.agenda.models import ItemKind

KIND_LABELS = {
    ItemKind.PLENARY: _l("Plenary"),
    ItemKind.WORKING_SESSION: _l("Working session"),
    ItemKind.BREAKOUT: _l("Breakout"),
    ItemKind.BREAK: _l("Break"),
    ItemKind.MEAL: _l("Meal"),
    ItemKind.RECEPTION: _l("Reception"),
}

TIME_MESSAGES = {
    rules.TimeProblem.START_DOES_NOT_EXIST: ("starts_at", _l("This time does not exist in %(zone)s: the clocks move forward then. Choose another time.")),
    rules.TimeProblem.END_DOES_NOT_EXIST: ("ends_at", _l("This time does not exist in %(zone)s: the clocks move forward then. Choose another time.")),
    rules.TimeProblem.END_NOT_AFTER_START: ("ends_at", _l("The end must be after the start.")),
    rules.TimeProblem.STARTS_BEFORE_WORKSHOP: ("starts_at", _l("The item starts before the workshop's first day (%(first)s).")),
    rules.TimeProblem.ENDS_AFTER_WORKSHOP: ("ends_at", _l("The item ends after the workshop's last day (%(last)s).")),
}


class LocalDateTimeField(DateTimeLocalField):
    """An HTML datetime-local input whose parse error says what to type."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                                     "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date and time such as 2030-06-01 09:30."))


class ContactMultipleField(SelectMultipleField):
    """Contacts by id, as a list of tick boxes: a list of hundreds of contacts cannot be used
    with Ctrl-click, and boxes work without JavaScript (static/picker.js adds a filter).
    A stale or forged id is an error in words, not a 500."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {choice.value for choice in (self.choices or [])}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Choose only people from the list."))


TELL_LABEL = _l("Tell participants")
TELL_HELP = _l("Confirmed participants get one message about all the changes you make, once the "
               "agenda has been quiet for a while.")


def _tell_by_default(form, workshop) -> None:
    """On once the workshop is published (there is nobody to tell before); a submitted form
    says itself (an unticked box sends nothing)."""
    form.tell_participants.description = TELL_HELP
    if not form.is_submitted():
        form.tell_participants.data = workshop is not None and workshop.status == "published"


class ItemStatusForm(SafeForm):
    """Cancel or reinstate: the confirmation step, and whether participants hear about it."""

    tell_participants = BooleanField(TELL_LABEL)
    submit = SubmitField(_l("Confirm"))

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        _tell_by_default(self, workshop)


def _coerce_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class ItemTimesForm(SafeForm):
    """Start, end and room: all a move needs. Checked against the workshop's days and zone."""

    starts_at = LocalDateTimeField(_l("Starts"), validators=[InputRequired(_l("Enter when the item starts."))],
                                   description=_l("In the workshop's time zone."))
    ends_at = LocalDateTimeField(_l("Ends"), validators=[InputRequired(_l("Enter when the item ends."))],
                                 description=_l("In the workshop's time zone."))
    room = StringField(_l("Room"), validators=[Optional(), Length(max=200)])
    tell_participants = BooleanField(TELL_LABEL)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        _tell_by_default(self, workshop)
        zone = workshop.timezone
        self.starts_at.description = _("In the workshop's time zone, %(zone)s.", zone=zone)
        self.ends_at.description = _("In the workshop's time zone, %(zone)s.", zone=zone)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.starts_at.data is None or self.ends_at.data is None:
            return False
        zone = self.workshop.timezone
        starts = rules.localize(self.starts_at.data, zone)
        ends = rules.localize(self.ends_at.data, zone)
        problems = rules.time_problems(starts, ends, self.workshop.start_date, self.workshop.end_date)
        for problem in problems:
            name, message = TIME_MESSAGES[problem]
            self[name].errors = list(self[name].errors) + [_format(message, zone=zone, workshop=self.workshop)]
        self.starts_at_aware, self.ends_at_aware = starts, ends
        return valid and not problems

    def time_fields(self) -> dict:
        return {"starts_at": self.starts_at_aware, "ends_at": self.ends_at_aware,
                "room": (self.room.data or "").strip()}


def _format(message, *, zone, workshop) -> str:
    return str(message) % {"zone": templating.zone_name(zone), "first": templating.format_day(workshop.start_date),
                           "last": templating.format_day(workshop.end_date)}


class AgendaItemForm(ItemTimesForm):
    kind = SelectField(_l("Kind"), choices=choices((k.value, label) for k, label in KIND_LABELS.items()),
                       validators=[DataRequired(_l("Choose what kind of item this is."))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the item a title.")), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)])
    guiding_questions = TextAreaField(_l("Guiding questions"), validators=[Optional(), Length(max=10000)],
                                      description=_l("One question per line."))
    chairs = ContactMultipleField(_l("Chairs or moderators"), coerce=_coerce_int,
                                  description=_l("Tick each person in the list of contacts."))
    new_chairs = TextAreaField(_l("Chairs not in the list"), validators=[Optional(), Length(max=4000)],
                               description=_l("One per line, as Name <email>."))
    speakers = ContactMultipleField(_l("Speakers"), coerce=_coerce_int,
                                    description=_l("Tick each person in the list of contacts."))
    new_speakers = TextAreaField(_l("Speakers not in the list"), validators=[Optional(), Length(max=4000)],
                                 description=_l("One per line, as Name <email>."))
    rapporteurs = ContactMultipleField(_l("Rapporteurs"), coerce=_coerce_int,
                                       description=_l("Accounts with the rapporteur role on this workshop."))
    attribution_rule = SelectField(_l("Attribution rule"), validators=[Optional()])
    # A session's own link; empty: the workshop's link, if it has one.
    online_link, online_details = meeting_link_fields()
    submit = SubmitField(_l("Save item"))

    def __init__(self, *args, contacts=(), rapporteurs=(), **kwargs):
        super().__init__(*args, **kwargs)
        workshop_rule = rule_label(self.workshop.attribution_rule) if self.workshop else ""
        self.attribution_rule.choices = choices(
            [("", _("As the workshop (%(rule)s)", rule=workshop_rule))]
            + [(rule.value, text) for rule, text in RULE_LABELS.items()])
        if self.attribution_rule.data is None:
            self.attribution_rule.data = ""
        people = choices((c.id, f"{c.name} <{c.email}>") for c in contacts)
        self.chairs.choices = people
        self.speakers.choices = list(people)
        self.rapporteurs.choices = choices((u.id, u.name) for u in rapporteurs)

    def _validate_contact_lines(self, field):
        try:
            pairs = rules.parse_contact_lines(field.data)
        except ValueError as error:
            # gettext, not lazy_gettext: Flask-Babel's lazy strings declare themselves HTML-safe
            # (__html__), so a lazy message carrying user input would reach the page unescaped.
            raise ValidationError(_("Line %(n)s is not in the form Name <email>.", n=error.args[0]))
        for name, email in pairs:
            try:
                validate_email(email, check_deliverability=False, allow_smtputf8=False)
            except EmailNotValidError:
                raise ValidationError(_("'%(email)s' is not a valid email address.", email=email))
        field.pairs = pairs

    validate_new_chairs = _validate_contact_lines
    validate_new_speakers = _validate_contact_lines

    def contact_pairs(self, field) -> list[tuple[str, str]]:
        return getattr(field, "pairs", [])
