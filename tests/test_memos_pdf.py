"""The memo PDF, read back with pypdf, and the locked-down URL fetcher behind it."""

import io
import re
import struct
import zlib
from datetime import date

import pypdf
import pytest

from tests.support.memo import add_item
from tests.support.pdfs import fetch_pdf
from workshop.agenda.models import PersonRole
from workshop.memos import service
from workshop.memos.document import MemoDocument, memo_html, render_memo_pdf
from workshop.paths import STATIC_DIR
from workshop.platform.pdf import StaticOnlyFetcher, render_pdf
from workshop.workshops.models import Organization

NON_LATIN = ["Ελληνική συζήτηση", "Русский текст", "Côte d'Ivoire, São Tomé, Zürich"]
HOSTILE = (
    "\n\n[meta](http://169.254.169.254/latest/) <img src=http://169.254.169.254/x.png> "
    "![x](file:///etc/passwd) [file](file:///etc/passwd) <link rel=stylesheet href=http://evil.example/x.css>"
)


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x0b\x4f\x8a" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def long_body() -> str:
    takeaways = "\n\n".join(
        f"### Theme {n}\n\n" + "\n".join(f"- Observation {n}.{k}: participants discussed how national focal "
                                          f"points coordinate prevention across ministries." for k in range(6))
        for n in range(1, 7)
    )
    return ("## Context\n\nThe workshop prepared the network's second meeting.\n\n" + "\n\n".join(NON_LATIN)
            + "\n\n## Key takeaways\n\n" + takeaways + "\n\n## Recommendations\n\n- Act early." + HOSTILE)


@pytest.fixture
def published(make_user, make_workshop):
    organizer = make_user()
    workshop = make_workshop(organizer, theme="Mass Violence and Atrocities", title="Preparatory Workshop for the Second Meeting",
                             conference="43rd United Nations Issues Conference", venue="Conference Centre", city="Tarrytown",
                             start_date=date(2012, 2, 24), end_date=date(2012, 2, 26),
                             conveners=["Global Centre for the Responsibility to Protect", "Stanley Center"])
    centre = workshop.conveners[0]
    centre.logo, centre.logo_mimetype = tiny_png(), "image/png"
    add_item(workshop, "Session 1", people=[("Kofi Mensah", "Ministry of Foreign Affairs of Ghana", PersonRole.SPEAKER)])
    memo = service.memo_for(workshop)
    service.save(memo, long_body(), organizer, None)
    memo.credit = "Prepared by the rapporteur."
    memo.dated = date(2012, 3, 1)
    service.submit_for_review(memo)
    service.approve(memo)
    version = service.publish(memo, organizer)
    return workshop, memo, version


def _text_of(pdf: bytes) -> tuple[pypdf.PdfReader, list[str]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_published_pdf_has_title_block_footers_disclaimer_once_and_metadata(published):
    workshop, memo, version = published
    reader, pages = _text_of(version.pdf)
    assert len(pages) >= 2
    first = _flat(pages[0])
    for expected in ("Mass Violence and Atrocities", "Discussion Takeaways", "Preparatory Workshop for the Second Meeting",
                     "43rd United Nations Issues Conference", "24–26 February 2012", "Conference Centre, Tarrytown",
                     "Global Centre for the Responsibility to Protect", "Stanley Center", "March 2012"):
        assert expected in first, expected
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in _flat(text)
    everything = _flat(" ".join(pages))
    assert everything.count("Chatham House Rule") == 1
    assert everything.count(_flat(memo.disclaimer)[:60]) == 1
    assert "DRAFT" not in everything
    meta = reader.metadata
    assert meta.title == "Mass Violence and Atrocities | Discussion Takeaways"
    assert meta.author == "Global Centre for the Responsibility to Protect; Stanley Center"
    assert meta.creation_date.date() == date(2012, 3, 1)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_pdf_text_is_extractable_in_other_scripts_and_names_no_flagged_person(published):
    workshop, memo, version = published
    _, pages = _text_of(version.pdf)
    everything = _flat(" ".join(pages))
    for sample in NON_LATIN:
        assert sample in everything, sample
    assert service.attribution_hits(memo) == []
    for candidate in service.attribution_candidates(workshop):
        assert candidate.name not in everything


def test_rendering_fetches_only_static_files_and_data_urls(published):
    workshop, memo, version = published
    document = MemoDocument.from_memo(workshop, version.title, version.source, version.html, version.disclaimer,
                                      version.credit, version.dated)
    fetcher = StaticOnlyFetcher()
    render_memo_pdf(document, fetcher)
    assert fetcher.log, "the fonts and stylesheet are fetched through the fetcher"
    static = STATIC_DIR.resolve().as_uri() + "/"
    for record in fetcher.log:
        assert record.url.startswith((static, "data:")), record
    assert any(r.url.startswith("data:image/png") for r in fetcher.log)  # the convener's logo
    assert any(r.url.endswith("fonts/DejaVuSerif.ttf") for r in fetcher.log)
    assert fetcher.refused == []  # the hostile markup never reached the renderer as a URL
    assert "169.254.169.254" not in "".join(r.url for r in fetcher.log)


def test_fetcher_refuses_network_other_schemes_and_files_outside_static():
    fetcher = StaticOnlyFetcher()
    html = (
        '<html><head><link rel="stylesheet" href="http://169.254.169.254/x.css">'
        '<link rel="stylesheet" href="pdf/memo.css"></head><body>'
        '<img src="file:///etc/passwd"><img src="../pyproject.toml"><img src="https://example.org/x.png">'
        '<img src="ftp://example.org/x.png"><img src="fonts/../../pyproject.toml">'
        '<img src="data:image/png;base64,iVBORw0KGgo="></body></html>'
    )
    assert render_pdf(html, fetcher=fetcher).startswith(b"%PDF")
    refused = fetcher.refused
    assert "http://169.254.169.254/x.css" in refused and "file:///etc/passwd" in refused
    assert "https://example.org/x.png" in refused and "ftp://example.org/x.png" in refused
    assert any(url.endswith("/pyproject.toml") for url in refused)  # ../ cannot climb out
    allowed = [r.url for r in fetcher.log if r.allowed]
    assert any(url.endswith("/static/pdf/memo.css") for url in allowed)
    assert any(url.startswith("data:") for url in allowed)


def test_draft_preview_is_marked_on_every_page(client, login_as, published, make_user):
    workshop, memo, _ = published
    from workshop.workshops.models import Role

    member = next(m for m in workshop.members if m.role == Role.ORGANIZER)
    login_as(member.user)
    response = fetch_pdf(client, f"/manage/w/{workshop.slug}/memo/preview.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    _, pages = _text_of(response.data)
    assert len(pages) >= 2
    assert all("DRAFT" in page for page in pages)


def test_memo_html_escapes_front_matter_and_keeps_title_and_author_meta(app, published):
    workshop, _, version = published
    with app.test_request_context():
        html = memo_html(MemoDocument.from_memo(workshop, version.title, "", "", "<b>disclaimer</b>", "", version.dated))
    assert "&lt;b&gt;disclaimer&lt;/b&gt;" in html
    assert re.search(r'<meta name="author" content="Global Centre for the Responsibility to Protect; Stanley Center">', html)
