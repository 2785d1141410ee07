"""PDFs in Arabic and Chinese carry their text, not boxes: read back with pypdf, the agenda
PDF has its Arabic labels in logical (reading) order and its Chinese ones, and embeds fonts that
have those glyphs (the shipped Noto Sans Arabic; Noto Sans CJK from Debian's fonts-noto-cjk)."""

import io
import shutil
import unicodedata

import pytest
from pypdf import PdfReader
from tests.support.pdfs import fetch_pdf

CJK_INSTALLED = bool(shutil.which("fc-list")) and __import__("subprocess").run(
    ["fc-list", ":lang=zh"], capture_output=True, text=True).stdout.strip() != ""


@pytest.fixture
def workshop(make_workshop):
    return make_workshop(slug="r2p", title="保护责任 — المسؤولية عن الحماية", timezone="Asia/Shanghai")


def _read(data: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(data))
    text = unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    return text, fonts


def test_the_agenda_pdf_in_arabic_has_its_text_in_reading_order(client, workshop):
    response = fetch_pdf(client, "/w/r2p/agenda.pdf?lang=ar")
    assert response.status_code == 200
    text, fonts = _read(response.data)
    # Logical order: the words as they are read and typed, not mirrored for display.
    assert "جدول الأعمال" in text or "بتوقيت" in text
    assert "جميع الأوقات بتوقيت" in text
    assert "المسؤولية عن الحماية" in text
    assert "\ufffd" not in text and "□" not in text
    assert any("NotoSansArabic" in name.replace("-", "") for name in fonts), fonts


@pytest.mark.skipif(not CJK_INSTALLED, reason="no CJK font: apt-get install fonts-noto-cjk (CI installs it)")
def test_the_agenda_pdf_in_chinese_has_its_text(client, workshop):
    response = fetch_pdf(client, "/w/r2p/agenda.pdf?lang=zh")
    assert response.status_code == 200
    text, fonts = _read(response.data)
    assert "所有时间均为" in text and "保护责任" in text
    assert "\ufffd" not in text and "□" not in text
    assert any("CJK" in name for name in fonts), fonts
