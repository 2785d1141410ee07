"""PDF rendering shared by the features (agenda, memo): WeasyPrint with a locked-down fetcher.

The fetcher serves only files under ``static/`` and ``data:`` URLs. Anything else (http, other
files on the machine) is refused, so text a user typed into a PDF template can never make the
server fetch a URL or read a file.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from workshop.paths import STATIC_DIR


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, root: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.root = Path(root).resolve()

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.resolve(url)
            if path is not None:
                mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mimetype})
        raise ValueError(f"The PDF renderer only reads static files and data: URLs, not {url[:80]!r}")

    def resolve(self, url: str) -> Path | None:
        """The file under the static folder that ``url`` names, or None."""
        path = Path(unquote(urlsplit(url).path)).resolve()
        if path.is_relative_to(self.root) and path.is_file():
            return path
        return None


def static_base_url() -> str:
    return STATIC_DIR.resolve().as_uri() + "/"


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """``html`` as PDF bytes. Relative URLs resolve against ``base_url`` (default: static/)."""
    document = HTML(string=html, base_url=base_url or static_base_url(), url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()
