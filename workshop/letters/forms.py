from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from workshop.messages.service import MAX_SUBJECT
from workshop.platform.forms import SafeForm


class LetterForm(SafeForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(_l("Enter a subject.")), Length(max=MAX_SUBJECT)])
    body = TextAreaField(
        _l("Opening of the letter"), validators=[DataRequired(_l("Write the letter."))],
        description=_l("Markdown. Placeholders: {salutation} (\"Excellency,\", \"Dear Ambassador Okafor,\", \"Dear "
                       "Dr. Lee,\" as the person's honorific calls for; by name when they have none), {first_name} {full_name} {self_service_link} "
                       "{workshop_title} {dates} {venue} {reply_by} {waitlist_place}. The personal link, the calendar "
                       "invitation and the sign-off follow as in the default letter."))
    signatory_name = StringField(_l("Signed by (name)"), validators=[Optional(), Length(max=200)])
    signatory_title = StringField(_l("Signatory's title"), validators=[Optional(), Length(max=200)])
    reply_by = DateField(_l("Reply by (for {reply_by})"), validators=[Optional()])
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class ResetForm(SafeForm):
    submit = SubmitField(_l("Reset to the default text"))
