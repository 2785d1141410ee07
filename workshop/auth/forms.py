from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from workshop.auth.passwords import MAX_PASSWORD_LENGTH, strong_password
from workshop.platform.forms import SafeForm


def email_field(label):
    return EmailField(label, validators=[DataRequired(_l("Enter your email address.")),
                                         Email(_l("Enter a valid email address."), allow_smtputf8=False),
                                         Length(max=254)])


def new_password_fields():
    """A new password and its repetition, with the password rules as field errors."""
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password.")), strong_password],
        description=_l("At least 10 characters; not one of the commonly used passwords."))
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the new password a second time.")),
        EqualTo("password", _l("The two passwords are not the same."))])
    return password, confirm


class LoginForm(SafeForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")), Email(_l("Enter a valid email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class TwoFactorCodeForm(SafeForm):
    code = StringField(_l("Code from your authenticator app"), validators=[
        DataRequired(_l("Enter the code your app shows, or a recovery code.")), Length(max=40)])
    submit = SubmitField(_l("Continue"))


class ForgotPasswordForm(SafeForm):
    email = email_field(_l("Email"))
    submit = SubmitField(_l("Send me a reset link"))


class ResetPasswordForm(SafeForm):
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Set the new password"))


class NameForm(SafeForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    submit = SubmitField(_l("Save name"))


class EmailChangeForm(SafeForm):
    email = email_field(_l("New email address"))
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField(_l("Send a confirmation link"))


class PasswordChangeForm(SafeForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=MAX_PASSWORD_LENGTH)])
    password, confirm = new_password_fields()
    submit = SubmitField(_l("Change password"))


class TwoFactorEnableForm(SafeForm):
    code = StringField(_l("Code from your authenticator app"), validators=[
        DataRequired(_l("Enter the 6 digits your app shows.")), Length(max=40)])
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class TwoFactorDisableForm(SafeForm):
    code = StringField(_l("Code from your authenticator app, or a recovery code"), validators=[
        DataRequired(_l("Enter the code your app shows, or a recovery code.")), Length(max=40)])
    submit = SubmitField(_l("Turn off two-factor sign-in"))


class ConfirmForm(SafeForm):
    """Only the CSRF token, for buttons that change state."""

    submit = SubmitField(_l("Confirm"))


class AccountRightsForm(SafeForm):
    can_create_workshops = BooleanField(_l("May create workshops"))
    sees_all_contacts = BooleanField(_l("May read the whole contact directory"))
    is_admin = BooleanField(_l("Site admin"))
    submit = SubmitField(_l("Save rights"))
