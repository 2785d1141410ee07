from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from workshop.platform.forms import SafeForm


class FrontMatterForm(SafeForm):
    disclaimer = TextAreaField(
        _l("Disclaimer"),
        validators=[DataRequired(_l("The memo needs a disclaimer.")), Length(max=4000)],
        description=_l("Printed once, at the end of the memo."),
    )
    credit = TextAreaField(
        _l("Rapporteur credit"),
        validators=[Optional(), Length(max=1000)],
        description=_l("For example: Prepared by Jane Doe, rapporteur. Leave empty for no credit line."),
    )
    dated = DateField(
        _l("Date on the memo"),
        validators=[Optional()],
        description=_l("Only the month and year are shown. Empty: the day it is published."),
    )


class CompileForm(SafeForm):
    """Compiling, or adding new notes: ``base`` is the revision the writer saw (empty for a
    memo without text), so nothing they have not seen is replaced."""

    base = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=10**9)])
