"""Small real files of each accepted type, and what an upload form sends."""

import zipfile
from io import BytesIO

from PIL import Image


def pdf(text: str = "A background paper") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def image(fmt: str) -> bytes:
    out = BytesIO()
    Image.new("RGB", (4, 4), (20, 80, 160)).save(out, format=fmt)
    return out.getvalue()


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def office(main_part: str) -> bytes:
    """An Office Open XML package whose [Content_Types].xml names ``main_part``."""
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             f'content-types"><Override PartName="/main.xml" ContentType="{main_part}"/></Types>')
    return _zip([("[Content_Types].xml", types.encode()), ("main.xml", b"<doc/>")])


DOCX_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_PART = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX_PART = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def odt() -> bytes:
    return _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office/>")],
                stored_first=True)


def samples() -> dict[str, tuple[str, bytes, str]]:
    """type label -> (file name, bytes, the mimetype it is served with)."""
    return {
        "PDF": ("paper.pdf", pdf(), "application/pdf"),
        "DOCX": ("paper.docx", office(DOCX_PART),
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "XLSX": ("figures.xlsx", office(XLSX_PART),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "PPTX": ("slides.pptx", office(PPTX_PART),
                 "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        "ODT": ("paper.odt", odt(), "application/vnd.oasis.opendocument.text"),
        "PNG": ("map.png", image("PNG"), "image/png"),
        "JPEG": ("photo.jpg", image("JPEG"), "image/jpeg"),
    }


def upload_data(data: bytes, filename: str, **overrides) -> dict:
    values = {"title": "Background paper on prevention", "description": "Read before the first session.",
              "kind": "background_paper", "language": "en", "visibility": "public", "agenda_item_id": "",
              "file": (BytesIO(data), filename)}
    values.update(overrides)
    return values
