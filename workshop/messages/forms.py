import secrets

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from workshop.messages import service
from workshop.platform.forms import SafeForm, choices
from workshop.platform.routing import database_int


def _optional_int(value):
    try:
        return database_int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ComposeForm(SafeForm):
    audience = RadioField(_l("Write to"), default=service.REGISTRANTS, validators=[InputRequired()],
                          choices=choices([(service.REGISTRANTS, _l("Registrants")),
                                           (service.INVITEES, _l("Invitees who have not answered"))]))
    states = CheckboxesField(_l("Registrants in these states"), validators=[Optional()])
    category = SelectField(_l("Participant category"), coerce=_optional_int, validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    answer = SelectField(_l("Answer"), validators=[Optional()])
    subject = StringField(_l("Subject"), validators=[DataRequired(_l("Enter a subject.")),
                                                     Length(max=service.MAX_SUBJECT)])
    body = TextAreaField(
        _l("Message"), validators=[DataRequired(_l("Write the message."))],
        description=_l("Markdown. Placeholders: {salutation} (\"Dear Ambassador Okafor,\", \"Excellency,\" as the "
                       "person's honorific calls for) {first_name} {full_name} {self_service_link} {workshop_title} "
                       "{dates} {venue}. A link: [your registration]({self_service_link})."))
    documents = CheckboxesField(_l("Documents to send with it"), coerce=int, validators=[Optional()])
    document_delivery = RadioField(
        _l("How the documents go"), default="attach", validators=[Optional()],
        choices=choices([("attach", _l("Attach small files (up to 2 MB each), link the others")),
                         ("link", _l("Link them all"))]))
    briefing_pack = BooleanField(
        _l("Attach each recipient's briefing pack"),
        description=_l("Only confirmed participants have one; the others get the message without it."))
    preview_as = SelectField(_l("Preview as"), validators=[Optional()], validate_choice=False)
    key = HiddenField(default=lambda: secrets.token_urlsafe(24), validators=[Length(min=16, max=64)])
    preview = SubmitField(_l("Preview"))
    test = SubmitField(_l("Send a test to me"))
    send = SubmitField(_l("Send"))


class TeamNoticeForm(SafeForm):
    how = RadioField(_l("New registrations, withdrawals and declines"), validators=[InputRequired()],
                     choices=choices([("immediate", _l("Tell me at once, one email each")),
                                      ("digest", _l("One email a day with everything new"))]))
    submit = SubmitField(_l("Save"))
