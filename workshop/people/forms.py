from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from workshop.people.countries import country_choices


class ContactForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the person's name.")), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter an email address.")),
                                                Email(_l("Enter a valid email address.")), Length(max=254)])
    position = StringField(_l("Title or position"), validators=[Optional(), Length(max=200)])
    organization = StringField(_l("Organization"), validators=[Optional(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[Optional()])
    submit = SubmitField(_l("Save contact"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("— choose —"))] + country_choices()


class ImportUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))],
                     description=_l("First row: name, email, position, organization, country, category (name and email are required)."))
    submit = SubmitField(_l("Check the file"))


class ImportConfirmForm(FlaskForm):
    csv_text = HiddenField()
    invite = BooleanField(_l("Also invite every imported contact to this workshop"))
    submit = SubmitField(_l("Import"))


class CategoryForm(FlaskForm):
    name = StringField(_l("Category name"), validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    submit = SubmitField(_l("Save"))
