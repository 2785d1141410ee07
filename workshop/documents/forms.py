from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from workshop.documents.models import KIND_LABELS, VISIBILITY_LABELS, Kind, Visibility
from workshop.platform.forms import SafeForm, choices
from workshop.platform.i18n import LANGUAGES


def _session_id(value):
    """'' (no session) -> None; anything else an id, or a value the choices refuse."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class DocumentForm(SafeForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the document a title.")), Length(max=300)])
    description = TextAreaField(_l("Short description"), validators=[Length(max=2000)])
    kind = SelectField(_l("Kind"), choices=choices((k.value, label) for k, label in KIND_LABELS.items()),
                       default=Kind.BACKGROUND_PAPER)
    language = SelectField(_l("Language"), choices=choices(LANGUAGES.items()), default="en")
    visibility = SelectField(_l("Who may see it"), choices=choices((v.value, label) for v, label in VISIBILITY_LABELS.items()),
                             default=Visibility.PARTICIPANTS)
    agenda_item_id = SelectField(_l("Session"), coerce=_session_id, validate_choice=True)
    confidential = BooleanField(
        _l("Confidential"),
        description=_l("In each participant's briefing pack, every page of it carries that participant's name in the margin."))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_item_id.choices = choices([(None, _l("The whole workshop"))] + [(item.id, item.title) for item in items])

    def fields(self) -> dict:
        return {"title": self.title.data, "description": self.description.data or "",
                "language": self.language.data, "kind": self.kind.data, "visibility": self.visibility.data,
                "agenda_item_id": self.agenda_item_id.data, "confidential": bool(self.confidential.data)}


class UploadForm(DocumentForm):
    file = FileField(_l("File (PDF, DOCX, XLSX, PPTX, ODT, PNG or JPEG)"))

    def validate_file(self, field):
        if not isinstance(field.data, FileStorage) or not field.data.filename:
            raise ValidationError(_l("Choose the file to upload."))


class ReplaceForm(SafeForm):
    file = FileField(_l("New version of the file"))

    def validate_file(self, field):
        if not isinstance(field.data, FileStorage) or not field.data.filename:
            raise ValidationError(_l("Choose the file to upload."))


class RemoveForm(SafeForm):
    pass
