"""PDF rendering with WeasyPrint behind a locked-down URL fetcher.

The fetcher serves only files under ``static/`` (fonts, the print stylesheet) and ``data:`` URLs
(organization logos). Every other URL (http, https, ftp, file outside static/, anything else) is
refused before any I/O, so user text that slips a URL into a document can make WeasyPrint
neither reach the network nor read a file. Each request is recorded in ``log`` for tests and
for the application log.
"""

import functools
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from workshop.paths import STATIC_DIR

log = logging.getLogger(__name__)


class RefusedURL(ValueError):
    pass


@dataclass
class FetchRecord:
    url: str
    allowed: bool


@functools.cache
def _fetcher_class() -> type:
    """The fetcher class, made on first use: it subclasses WeasyPrint's, and WeasyPrint (Pango,
    its fonts and CSS machinery: ~50 MB and half a second) is imported only by a process that
    renders a PDF, not by every web worker at start."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self, static_dir: Path = STATIC_DIR):
            super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)
            self.static_dir = Path(static_dir).resolve()
            self.log: list[FetchRecord] = []

        def _static_path(self, url: str) -> Path | None:
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return None
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(self.static_dir) or not path.is_file():
                return None
            return path

        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                self.log.append(FetchRecord(url[:60], True))
                return super().fetch(url, headers)  # urllib's DataHandler decodes it in memory
            path = self._static_path(url)
            self.log.append(FetchRecord(url, path is not None))
            if path is None:
                log.warning("PDF renderer refused to fetch %s", url)
                raise RefusedURL(f"not fetched: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

        @property
        def refused(self) -> list[str]:
            return [record.url for record in self.log if not record.allowed]

    return StaticOnlyFetcher


def __getattr__(name: str):
    # ``from workshop.platform.pdf import StaticOnlyFetcher`` still works; it imports WeasyPrint.
    if name == "StaticOnlyFetcher":
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def static_base_url() -> str:
    return STATIC_DIR.resolve().as_uri() + "/"


# PDF/UA-1 (ISO 14289): a tagged structure tree (headings, tables with header cells, figures
# with alt text), XMP metadata that claims it, the document's language and a title shown in
# the window's title bar, so screen readers and reflowing viewers read the file in order.
PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str, *, fetcher=None) -> bytes:
    """An accessible (PDF/UA-1, tagged) PDF of ``html``; relative URLs resolve against
    ``static/``. The title is the page's ``<title>``, the language its ``<html lang>``, and
    the bookmarks its headings."""
    from weasyprint import HTML

    fetcher = fetcher or _fetcher_class()()
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
