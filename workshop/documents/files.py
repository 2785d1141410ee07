"""What an uploaded file is, read from its own bytes, and whether its name may be kept.

The name a browser sends and the type it claims are the uploader's word; the bytes are not. PDF,
PNG and JPEG start with their signature. DOCX, XLSX and PPTX are zip archives whose
``[Content_Types].xml`` names the main part; ODT is a zip archive whose first entry, ``mimetype``,
says so. Anything else is refused, and nothing from the upload's headers is ever sent back: the
type served is the one found here.
"""

import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO

from workshop.platform.errors import N_, UserError


@dataclass(frozen=True)
class FileType:
    label: str
    mimetype: str


PDF = FileType("PDF", "application/pdf")
PNG = FileType("PNG", "image/png")
JPEG = FileType("JPEG", "image/jpeg")
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileType("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text")

SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# The main part's content type in [Content_Types].xml, for each Office Open XML format.
OFFICE_PARTS = (
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", DOCX),
    (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", XLSX),
    (b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", PPTX),
)
# A manifest larger than this is not one an office suite wrote; never unpacked.
MANIFEST_MAX_BYTES = 1024 * 1024
NAME_MAX_CHARS = 200

REFUSED = N_("This file is not one of the accepted types (PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG). "
             "Save it in one of them and upload it again.")


def file_type(data: bytes) -> FileType:
    """The accepted type ``data`` is, or UserError."""
    if not data:
        raise UserError(N_("The file is empty. Choose the file again and upload it."))
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_type(data)
        if kind is not None:
            return kind
    raise UserError(REFUSED)


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                info = archive.getinfo("mimetype")
                if info.file_size <= 200 and archive.read(info).strip() == ODT.mimetype.encode():
                    return ODT
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > MANIFEST_MAX_BYTES:
                    return None
                manifest = archive.read(info)
                for part, kind in OFFICE_PARTS:
                    if part in manifest:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError,
            NotImplementedError, RuntimeError, ValueError):
        return None
    return None


def checked_name(name: str | None) -> str:
    """The file name as given, if it is a plain name: no folder part, no control character."""
    name = (name or "").strip()
    if not name:
        raise UserError(N_("The file has no name. Give it a name and upload it again."))
    if "/" in name or "\\" in name or name in (".", ".."):
        raise UserError(N_("The file name must not contain a folder (no “/” or “\\”). Rename the file and upload it again."))
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise UserError(N_("The file name contains invisible control characters. Rename the file and upload it again."))
    if len(name) > NAME_MAX_CHARS:
        raise UserError(N_("The file name is longer than %(n)d characters. Rename the file and upload it again."),
                        n=NAME_MAX_CHARS)
    return unicodedata.normalize("NFC", name)
