from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Optional, ValidationError

from workshop.platform.forms import SafeForm
from workshop.platform.revisions import MAX_SOURCE_BYTES


class TextForm(SafeForm):
    """A revisioned Markdown text (notes or memo). ``base_number`` is the revision the writer
    started from: the optimistic concurrency check compares it with the current one."""

    source = TextAreaField(
        _l("Text"),
        description=_l("Markdown: **bold**, _italic_, lists with -, headings with ##, links as "
                       "[words](https://…). Images and HTML are not kept."),
    )
    base_number = HiddenField(validators=[Optional()])

    def validate_source(self, field):
        if len((field.data or "").encode("utf-8")) > MAX_SOURCE_BYTES:
            raise ValidationError(_l("The text is larger than 1 MB. Shorten it or split it, then save again."))

    def validate_base_number(self, field):
        if field.data and not field.data.isdigit():
            raise ValidationError(_l("The form is damaged. Reload the page; your text is kept in this browser."))

    @property
    def base(self) -> int | None:
        return int(self.base_number.data) if self.base_number.data else None


class ApproveSubmittedForm(SafeForm):
    """Approve, in one go, the submitted notes the organizer saw listed: their ids, so that notes
    submitted after the page was loaded wait for the next look."""

    note_ids = HiddenField(validators=[Optional()])

    def validate_note_ids(self, field):
        parts = (field.data or "").split()
        if len(parts) > 1000 or not all(part.isdigit() and len(part) <= 18 for part in parts):
            raise ValidationError(_l("The form is damaged. Reload the page and look again."))

    @property
    def ids(self) -> list[int]:
        return [int(part) for part in (self.note_ids.data or "").split()]
