from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from workshop.platform.forms import SafeForm, choices
from workshop.platform.states import state_choices


class UpdateForm(SafeForm):
    status = SelectField(_l("Status"), validators=[InputRequired(_l("Choose a status from the list."))])
    on = DateField(_l("Date of the update"), validators=[InputRequired(_l("Enter the date of the update."))])
    note = TextAreaField(_l("What happened"), validators=[Optional(), Length(max=4000)],
                         description=_l("Shown with the date on the recommendations page."))
    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=200)],
                        description=_l("Who takes it forward: a government, an office, a person."))
    meant_for = StringField(_l("Meant for"), validators=[Optional(), Length(max=300)],
                            description=_l("The meeting it is meant for; by default the meeting the workshop prepares."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices(state_choices("recommendation"))
