"""A minimal cookie-keeping HTTP session for the figures that sign in or submit forms."""

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from html.parser import HTMLParser

from benchmarks.load import check_loopback


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    def __init__(self, base: str, timeout: float = 60):
        check_loopback(base)
        self.base = base
        self.timeout = timeout
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, path: str) -> Response:
        return self.request(path)

    def post(self, path: str, data: dict) -> Response:
        return self.request(path, data)

    def login(self, email: str, password: str) -> None:
        token = csrf_token(self.get("/login").text)
        response = self.post("/login", {"csrf_token": token, "email": email, "password": password})
        if response.status != 302:
            raise RuntimeError(f"sign-in failed with {response.status}")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not match:
        raise RuntimeError("no CSRF token in the form")
    return match.group(1)


class FormFields(HTMLParser):
    """The fields (inputs, selects, textareas, in order) of the first form that posts, or of the
    first posting form whose action contains ``action``."""

    def __init__(self, action: str | None = None):
        super().__init__()
        self.action = action
        self.fields: list[dict] = []
        self._select: dict | None = None
        self._forms = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (tag == "form" and (attrs.get("method") or "").lower() == "post" and self._forms == 0
                and (self.action is None or self.action in (attrs.get("action") or ""))):
            self._forms += 1
        if self._forms != 1:
            return
        if tag == "input" and attrs.get("name"):
            self.fields.append({"tag": "input", **attrs})
        elif tag == "textarea" and attrs.get("name"):
            self.fields.append({"tag": "textarea", **attrs})
        elif tag == "select" and attrs.get("name"):
            self._select = {"tag": "select", "options": [], **attrs}
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form" and self._forms == 1:
            self._forms = 2


def form_fields(html: str, action: str | None = None) -> list[dict]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields
