from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from workshop.platform.forms import SafeForm
from workshop.platform.i18n import LANGUAGES, text_direction
from workshop.platform.routing import database_int


def _language_choices(codes) -> list[SelectChoice]:
    # Each language named in itself, as the switcher names them.
    return [SelectChoice(code, LANGUAGES[code], render_kw={"lang": code, "dir": text_direction(code)})
            for code in codes]


def _optional_id(value):
    try:
        return database_int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


class FrontMatterForm(SafeForm):
    language = SelectField(
        _l("Language of the memo"), validators=[DataRequired(_l("Choose the memo's language."))],
        description=_l("The memo's page and PDF are in this language, whatever the reader's. "
                       "Only the languages the workshop offers are listed."))
    translation_of_id = SelectField(
        _l("Translation of"), coerce=_optional_id, validators=[Optional()],
        description=_l("A translation is listed on the public page of the memo it translates, "
                       "and that memo on its page."))
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

    def __init__(self, *args, languages=(), originals=(), **kwargs):
        """``languages``: the codes the memo may take; ``originals``: (id, language) of the
        workshop's other memos this one may translate."""
        super().__init__(*args, **kwargs)
        self.language.choices = _language_choices(languages)
        self.translation_of_id.choices = [SelectChoice(None, _l("None: this memo is an original"))] + [
            SelectChoice(memo_id, LANGUAGES.get(code, code), render_kw={"lang": code})
            for memo_id, code in originals]


class TranslationForm(SafeForm):
    """A new memo in another language, translating this one."""

    language = SelectField(_l("Language"), validators=[DataRequired(_l("Choose a language."))])

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = _language_choices(languages)


class CompileForm(SafeForm):
    """Compiling, or adding new notes: ``base`` is the revision the writer saw (empty for a
    memo without text), so nothing they have not seen is replaced."""

    base = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=10**9)])


class AcceptForm(SafeForm):
    """Words the check flagged that may stay: the name as the check lists it, and why.
    ``back`` says which page to return to (the editor or the memo's page)."""

    name = HiddenField(validators=[DataRequired(), Length(max=400)])
    reason = StringField(_l("Why these words may stay"), validators=[Optional(), Length(max=2000)],
                         description=_l("For example: a convening organization, named in the Context."))
    back = HiddenField(validators=[Optional()])
