from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from workshop.messages.service import MAX_SUBJECT
from workshop.platform.forms import SafeForm, choices
from workshop.reminders import rules


class ReminderRuleForm(SafeForm):
    kind = RadioField(_l("When"), validators=[InputRequired()], default=rules.BEFORE_START,
                      choices=choices([(rules.BEFORE_START, _l("Days before the start, to confirmed participants")),
                                       (rules.AFTER_INVITATION, _l("Days after the invitation, to invitees who have not answered")),
                                       (rules.AFTER_END, _l("Days after the end, to confirmed participants, once the memo is published"))]))
    days = IntegerField(_l("Days"), default=7, validators=[InputRequired(_l("Enter a number of days.")),
                                                           NumberRange(min=1, max=365)])
    hour = IntegerField(_l("At (hour, in the workshop's time zone)"), default=9,
                        validators=[InputRequired(_l("Enter an hour from 0 to 23.")), NumberRange(min=0, max=23)])
    subject = StringField(_l("Subject"), validators=[DataRequired(_l("Enter a subject.")), Length(max=MAX_SUBJECT)])
    body = TextAreaField(
        _l("Message"), validators=[DataRequired(_l("Write the message."))],
        description=_l("Markdown. Placeholders: {first_name} {full_name} {self_service_link} {workshop_title} "
                       "{dates} {venue} {memo_link}."))
    submit = SubmitField(_l("Add the reminder"))


class RemoveRuleForm(SafeForm):
    submit = SubmitField(_l("Remove"))
