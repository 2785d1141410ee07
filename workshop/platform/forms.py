"""The base of every form in the app: ``SafeForm`` instead of ``FlaskForm``.

Text that reaches a text field is checked before any validator runs:
- no NUL or other control characters (PostgreSQL cannot store NUL in text, and control
  characters only ever arrive from a forged request or a bad paste);
- single-line fields (``StringField`` and its kin) take no line breaks, so a name can never
  split an email header or a calendar line; ``TextAreaField`` keeps its line breaks and tabs,
  and so does any field class with ``multi_line = True`` (e.g. a hidden field carrying a whole
  CSV file between two steps). Their line endings arrive from a browser as CR LF and are
  stored as LF, so a blank line between paragraphs is the same two LFs wherever the text is
  later split or compared.
Either way the person sees a field error in words, never a 500.
"""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, Regexp

from workshop.platform.markup import normalize_newlines

LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]")
SINGLE_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MULTI_LINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def single_line_text(value):
    if isinstance(value, str):
        if LINE_BREAKS.search(value):
            raise ValueError(_l("Use a single line here: remove the line breaks."))
        if SINGLE_LINE_CONTROL.search(value):
            raise ValueError(_l("Remove the invisible control characters from this text."))
    return value


def multi_line_text(value):
    if isinstance(value, str):
        value = normalize_newlines(value)
        if MULTI_LINE_CONTROL.search(value):
            raise ValueError(_l("Remove the invisible control characters from this text."))
    return value


class SafeForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField):
                multi = issubclass(field_class, TextAreaField) or getattr(field_class, "multi_line", False)
                check = multi_line_text if multi else single_line_text
                options["filters"] = [check, *unbound_field.kwargs.get("filters", ())]
            return super().bind_field(form, unbound_field, options)


def meeting_link_fields():
    """The link of an online or hybrid meeting and how to get in (only confirmed participants
    are shown them): ``(online_link, online_details)`` fields for a form class."""
    link = StringField(_l("Online meeting link"), filters=[lambda v: v.strip() if isinstance(v, str) else v],
                       validators=[Optional(), Length(max=500),
                                   Regexp(r"^https?://[^\s/]+\S*$",
                                          message=_l("Enter a full web address starting with https://."))],
                       description=_l("For an online or hybrid meeting. Shown only to confirmed participants: "
                                      "their page, their calendar and their invitations; never on public pages."))
    details = TextAreaField(_l("Access details"), validators=[Optional(), Length(max=2000)],
                            description=_l("Meeting ID, passcode, dial-in numbers."))
    return link, details


def choices(pairs) -> list[SelectChoice]:
    """``(value, label)`` pairs as the options of a select or radio field (WTForms' own type;
    plain tuples are deprecated)."""
    return [SelectChoice(value, label) for value, label in pairs]


# Answers on file ---------------------------------------------------------------------------------
# Some stored answers are never filled back into a form reached by a link (a medical condition,
# dietary or accessibility needs, a passport number): such links travel by mail and get
# forwarded, and whoever holds one would read them. The field is left empty and says that an
# answer is on file; left empty, the stored answer stays; a box removes it. The registration's
# own needs fields and the organizers' sensitive questions both go this way.

ON_FILE_HINT = _l("An answer is on file — leave empty to keep, or enter a new one.")


def on_file_hint(help_text="") -> str:
    """The description of a field whose answer is on file: the hint, then the field's own help."""
    return " ".join(part for part in (str(ON_FILE_HINT), str(help_text or "")) if part)


def remove_on_file_field(field_label) -> BooleanField:
    """The box next to such a field that removes the answer on file. Its label names the field:
    a screen reader's list of a form's controls shows labels without what surrounds them, and
    a form can have several such boxes."""
    return BooleanField(_l("Remove the answer on file for “%(field)s”", field=field_label))


def kept_on_file(submitted, stored, *, removed: bool, empty=lambda value: value in (None, "", [])):
    """What to store for a field whose answer on file was not shown: nothing when the box was
    ticked (it wins over a value typed as well), the answer on file when the field came back
    empty, else the new value."""
    if removed:
        return None
    return stored if empty(submitted) else submitted
