"""Putting a briefing pack together: pages in order, bookmarks, a name in the margin.

Pure: it takes PDF bytes and titles and returns PDF bytes (pypdf), so it is tested without a
request. The papers come from organizers' uploads, so any of them may be broken, encrypted or
built to trip a parser: each is first copied into a PDF of its own (stamped there when it is
confidential) and read back. One that fails any step is left out and named on the cover, and
the rest of the pack is still built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter, Transformation

log = logging.getLogger(__name__)

# ``margin(width, height)`` -> a one-page PDF of that size with the name near its edge.
MarginMaker = Callable[[float, float], bytes]


@dataclass(frozen=True)
class Part:
    """One paper of the pack: its bookmark, its bytes, and the session it belongs to."""

    title: str
    pdf: bytes
    confidential: bool = False
    section: str | None = None  # the session's title; None: the workshop as a whole


@dataclass(frozen=True)
class Ready:
    part: Part
    pdf: bytes
    pages: int


def _read(data: bytes) -> PdfReader:
    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("encrypted with a password")
    if not reader.pages:
        raise ValueError("no pages")
    return reader


def _stamp(writer: PdfWriter, margin: MarginMaker, overlays: dict) -> None:
    for page in writer.pages:
        # A page turned by /Rotate would turn the name with it: turn the content instead.
        page.transfer_rotation_to_content()
        box = page.mediabox
        size = (round(float(box.width), 1), round(float(box.height), 1))
        if size not in overlays:
            overlays[size] = _read(margin(*size)).pages[0]
        page.merge_transformed_page(overlays[size], Transformation().translate(float(box.left), float(box.bottom)))


def prepare(parts: list[Part], margin: MarginMaker) -> tuple[list[Ready], list[Part]]:
    """Each part copied on its own (confidential ones stamped): the ones ready to go in, and
    the ones left out because they could not be read."""
    ready, left_out, overlays = [], [], {}
    for part in parts:
        try:
            writer = PdfWriter()
            writer.append(_read(part.pdf), import_outline=False)
            if part.confidential:
                _stamp(writer, margin, overlays)
            out = BytesIO()
            writer.write(out)
            pages = len(_read(out.getvalue()).pages)
        except Exception as error:  # noqa: BLE001 - a broken upload must not stop the pack
            log.warning("briefing pack: %r left out: %s", part.title, error)
            left_out.append(part)
            continue
        ready.append(Ready(part, out.getvalue(), pages))
    return ready, left_out


def combine(*, cover: bytes, agenda: bytes, ready: list[Ready], titles: dict[str, str],
            metadata_title: str) -> tuple[bytes, int]:
    """The pack: the cover, the agenda, then the papers in the order given, each bookmarked
    (under its session's bookmark when it has one). ``titles`` names the first two
    bookmarks ("cover", "agenda"). Returns the bytes and the number of pages."""
    writer = PdfWriter()
    sections: dict[str, object] = {}
    for key, data in (("cover", cover), ("agenda", agenda)):
        start = len(writer.pages)
        writer.append(_read(data), import_outline=False)
        writer.add_outline_item(title=titles[key], page_number=start)
    for item in ready:
        start = len(writer.pages)
        writer.append(_read(item.pdf), import_outline=False)
        parent = None
        if item.part.section is not None:
            if item.part.section not in sections:
                sections[item.part.section] = writer.add_outline_item(title=item.part.section, page_number=start)
            parent = sections[item.part.section]
        writer.add_outline_item(title=item.part.title, page_number=start, parent=parent)
    writer.add_metadata({"/Title": metadata_title})
    writer.page_mode = "/UseOutlines"  # open with the bookmarks showing
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def outline_titles(data: bytes) -> list[tuple[int, str]]:
    """``(depth, title)`` of every bookmark of a PDF, in order (for tests and checks)."""
    reader = PdfReader(BytesIO(data))
    found: list[tuple[int, str]] = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                found.append((depth, entry.title))

    walk(reader.outline, 0)
    return found
