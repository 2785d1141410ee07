from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from workshop.platform.forms import SafeForm


class LoginForm(SafeForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")), Email(_l("Enter a valid email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=500)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class AccountRightsForm(SafeForm):
    can_create_workshops = BooleanField(_l("May create workshops"))
    sees_all_contacts = BooleanField(_l("May read the whole contact directory"))
    submit = SubmitField(_l("Save rights"))
