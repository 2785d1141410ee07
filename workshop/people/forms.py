from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from workshop.platform.forms import SafeForm, choices
from workshop.platform.i18n import LANGUAGES
from workshop.people import honorifics
from workshop.people.countries import country_choices


def honorific_field(description=None) -> SelectField:
    """The honorific as one of a fixed list (stored as its code), or none. A code not on the list
    (a forged request) is a field error in words."""
    return SelectField(
        _l("Honorific"), default="", validate_choice=False,
        choices=choices(honorifics.choices(_l("— none —"))),
        validators=[AnyOf(("",) + honorifics.CODES, message=_l("Choose an honorific from the list, or none."))],
        description=description or _l("How letters address the person: “Dear Ambassador Okafor,”, "
                                       "“Excellency,”. None: by name."))


class ContactForm(SafeForm):
    honorific = honorific_field()
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's name.")), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter an email address.")),
                                                Email(_l("Enter a valid email address."), allow_smtputf8=False), Length(max=254)])
    position = StringField(_l("Title or position"), validators=[Optional(), Length(max=200)])
    organization = StringField(_l("Organization"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()])
    keep = BooleanField(_l("Keep in the directory after purges"),
                        description=_l("When a workshop's personal data is purged, its contacts are deleted unless "
                                       "another workshop uses them. Tick this to keep the contact anyway."))
    language = SelectField(_l("Preferred language for invitations"), validators=[Optional()],
                           description=_l("Empty: the workshop's default language."))
    submit = SubmitField(_l("Save contact"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices([("", _l("— choose —"))] + country_choices())
        self.language.choices = choices([("", _l("— none —"))] + list(LANGUAGES.items()))


class ImportUploadForm(SafeForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))],
                     description=_l("First row: name, email, honorific, position, organization, country, category (name and email are required)."))
    submit = SubmitField(_l("Check the file"))


class CsvTextField(HiddenField):
    """The checked file carried to the confirm step: its rows keep their line breaks."""

    multi_line = True


class ImportConfirmForm(SafeForm):
    csv_text = CsvTextField()
    invite = BooleanField(_l("Also invite every imported contact to this workshop"))
    submit = SubmitField(_l("Import"))
