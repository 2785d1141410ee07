from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from workshop.platform.forms import SafeForm, choices
from workshop.platform.routing import database_int


def _optional_int(value):
    try:
        return database_int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class TemplateForm(SafeForm):
    letterhead = TextAreaField(_l("Letterhead"), validators=[Optional(), Length(max=2000)],
                               description=_l("The convener's name and address, as printed at the top of the letter."))
    body = TextAreaField(_l("Letter"), validators=[DataRequired(_l("Write the letter.")), Length(max=20000)],
                         description=_l("Markdown. Placeholders: {name} {passport_number} {nationality} {embassy} "
                                        "{dates} {workshop_title} {venue} {organization} {position}."))
    signatory_name = StringField(_l("Signed by"), validators=[Optional(), Length(max=200)])
    signatory_title = StringField(_l("Signatory's title"), validators=[Optional(), Length(max=300)])
    visa_question_id = SelectField(_l("Question: needs a letter for a visa (yes or no)"), coerce=_optional_int,
                                   validators=[Optional()], validate_choice=False)
    passport_question_id = SelectField(_l("Question: passport number"), coerce=_optional_int, validators=[Optional()],
                                       validate_choice=False)
    nationality_question_id = SelectField(_l("Question: nationality"), coerce=_optional_int, validators=[Optional()],
                                          validate_choice=False)
    embassy_question_id = SelectField(_l("Question: embassy or consulate the letter is addressed to"),
                                      coerce=_optional_int, validators=[Optional()], validate_choice=False)
    submit = SubmitField(_l("Save the letter"))

    QUESTION_FIELDS = ("visa_question_id", "passport_question_id", "nationality_question_id", "embassy_question_id")

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._ids = {q.id for q in questions}
        self._yes_no = {q.id for q in questions if q.kind == "yes_no"}
        options = choices([(None, _l("— none —"))] + [(q.id, q.label) for q in questions])
        for name in self.QUESTION_FIELDS:
            getattr(self, name).choices = options

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for name in self.QUESTION_FIELDS:
            field = getattr(self, name)
            if field.data is not None and field.data not in self._ids:
                field.errors.append(_l("Choose a question from the list."))
                ok = False
        if self.visa_question_id.data is not None and self.visa_question_id.data not in self._yes_no:
            self.visa_question_id.errors.append(_l("Choose a yes-or-no question."))
            ok = False
        return ok
