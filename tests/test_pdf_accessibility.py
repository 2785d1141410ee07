"""agenda.pdf and memo.pdf as PDF/UA-1, read with a second PDF library (pikepdf) besides pypdf.

No PDF/UA checker installs from PyPI or Debian (veraPDF is Java, outside both), so the tests
walk the structure tree themselves: the claim in the XMP metadata, the language, the title the
viewer shows, bookmarks, header cells with their scope, figures with alt text, and words not
broken by automatic hyphenation in the text layer."""

import io
import re
import shutil
import subprocess

import pikepdf
import pypdf
import pytest

from tests.support.memo import add_item
from tests.test_memos_pdf import published  # noqa: F401  (the fixture)
from tests.support.pdfs import fetch_pdf

CJK_INSTALLED = bool(shutil.which("fc-list")) and subprocess.run(
    ["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip() != ""


def structure(pdf: bytes) -> tuple[pikepdf.Pdf, list[pikepdf.Dictionary]]:
    document = pikepdf.open(io.BytesIO(pdf))
    elements, todo = [], [document.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                elements.append(kid)
                todo.append(kid)
    return document, elements


def bookmarks(document: pikepdf.Pdf) -> list[str]:
    titles, todo = [], list(document.open_outline().root)
    while todo:
        entry = todo.pop(0)
        titles.append(entry.title)
        todo.extend(entry.children)
    return titles


def tags(elements) -> list[str]:
    return [str(element.S) for element in elements]


def assert_pdf_ua(pdf: bytes, *, title: str, lang: str) -> tuple[pikepdf.Pdf, list]:
    document, elements = structure(pdf)
    with document.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert title in str(xmp.get("dc:title"))
    assert str(document.Root.Lang) == lang
    assert document.Root.MarkInfo.Marked
    assert document.Root.ViewerPreferences.DisplayDocTitle
    assert title in str(document.docinfo.Title)
    assert "/Outlines" in document.Root and document.open_outline().root
    return document, elements


def test_the_agenda_pdf_is_pdf_ua_with_header_cells_and_bookmarks(client, make_workshop):
    workshop = make_workshop(slug="ua", title="Regional cooperation on early warning")
    add_item(workshop, "Opening of the recommendations dialogue")
    add_item(workshop, "Closing")
    response = fetch_pdf(client, "/w/ua/agenda.pdf")
    assert response.status_code == 200
    document, elements = assert_pdf_ua(response.data, title="Regional cooperation on early warning", lang="en")
    names = tags(elements)
    assert "/Table" in names and "/TH" in names and "/TD" in names
    # Every session cell names its two headers: the time (th scope=row) and the column's.
    header_ids = {bytes(element.ID) for element in elements if str(element.S) == "/TH"}
    cells = [element for element in elements if str(element.S) == "/TD"]
    assert len(cells) == 2
    for cell in cells:
        headers = {bytes(key) for key in cell.A.Headers}
        assert len(headers) == 2 and headers <= header_ids, headers
    assert "Regional cooperation on early warning" in bookmarks(document)


def test_the_memo_pdf_is_pdf_ua_with_alt_text_and_words_unbroken(published):  # noqa: F811
    _workshop, _memo, version = published
    document, elements = assert_pdf_ua(version.pdf, title="Mass Violence and Atrocities | Discussion Takeaways",
                                       lang="en")
    figures = [element for element in elements if str(element.S) == "/Figure"]
    assert figures and all(str(figure.get("/Alt", "")).strip() for figure in figures)
    assert "Global Centre for the Responsibility to Protect" in [str(f.Alt) for f in figures]
    assert {"Context", "Key takeaways", "Recommendations"} <= set(bookmarks(document))


LONG_WORDS = ("Intergovernmental recommendations notwithstanding, internationalisation of "
              "responsibilities necessitates institutionalised multistakeholder accountability. ") * 12


def test_memo_paragraphs_keep_their_words_whole_in_the_text_layer():
    from workshop.platform.pdf import render_pdf

    html = ('<!doctype html><html lang="en"><head><title>Words</title>'
            '<link rel="stylesheet" href="pdf/memo.css"></head>'
            f'<body><main class="memo-body"><h2>Words</h2><p>{LONG_WORDS}</p></main></body></html>')
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(render_pdf(html))).pages)
    # A word broken at a line end by the renderer would read "recom- mendations".
    assert not re.findall(r"\w[-\u2010\u00ad]\s+\w", text)
    assert text.count("recommendations") == 12


@pytest.mark.skipif(not CJK_INSTALLED, reason="no CJK font: apt-get install fonts-noto-cjk (CI installs it)")
def test_a_chinese_title_prints_as_glyphs_in_the_pdf_ua_agenda(client, make_workshop):
    make_workshop(slug="zh-ua", title="预防暴行区域合作讲习班")
    response = fetch_pdf(client, "/w/zh-ua/agenda.pdf")
    document, _elements = assert_pdf_ua(response.data, title="预防暴行区域合作讲习班", lang="en")
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "预防暴行区域合作讲习班" in text and "\ufffd" not in text
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("CJK" in name for name in fonts), fonts
