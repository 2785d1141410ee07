"""Most of our mail written straight to bytes: a text part and its HTML alternative, nothing
attached, every header short.

``email.message.EmailMessage`` parses every header it is given and folds it again when the
message is written out; for the mail worker that was half of the time of a message (benchmark
figures 5 and 7). This writes the same message, header for header and part for part, with the
bodies encoded by the standard library's own encoders and by the same choice it makes
(``email.contentmanager``): 7bit when the text is ASCII in short lines, otherwise
quoted-printable or base64, whichever the first ten lines make shorter. ``headers`` returns None
for anything unusual (a long header, a display name that needs more than quoting or one encoded
word); ``outbox._build`` then builds the message with ``EmailMessage`` as before.
``tests/test_mail_mime.py`` holds both builders to the same result.
"""

import binascii
import re
import secrets
from email import quoprimime
from email.headerregistry import Address
from email.utils import formataddr

MAX_LINE = 78          # the policy's max_line_length: body lines and header lines
MAX_HEADER_LINE = 998  # RFC 5322 section 2.1.1: the hard limit (List-Unsubscribe's one line)
CRLF = "\r\n"
_PRINTABLE = re.compile(r"[ -~]*")
_LINE_ENDS = re.compile(r"\r\n|\r|\n")


def mailbox(address: Address) -> str | None:
    """``Name <addr>`` as it goes in a header: the name quoted when it holds specials, one
    RFC 2047 encoded word when it is not ASCII; None when neither is safe (control characters,
    text that a reader would take for an encoded word)."""
    name = address.display_name
    if not name:
        return address.addr_spec
    if "=?" in name:
        return None
    if name.isascii():
        if not _PRINTABLE.fullmatch(name):
            return None
        return formataddr((name, address.addr_spec))
    return formataddr((name, address.addr_spec), charset="utf-8")


def encoded_text(text: str) -> tuple[str, str]:
    """(Content-Transfer-Encoding, body) for ``text`` in UTF-8, chosen as
    ``email.contentmanager`` chooses with our policy (7-bit output, 78-character lines)."""
    lines = text.encode("utf-8").splitlines()

    def embedded(some):
        return CRLF.encode().join(some) + CRLF.encode()

    def normal(some):
        return b"\n".join(some) + b"\n"

    if max((len(line) for line in lines), default=0) <= MAX_LINE:
        try:
            return "7bit", normal(lines).decode("ascii")
        except UnicodeDecodeError:
            pass
    sniff = embedded(lines[:10])
    sniff_qp = quoprimime.body_encode(sniff.decode("latin-1"), MAX_LINE)
    if len(sniff_qp) > len(binascii.b2a_base64(sniff)):
        data, per_line = embedded(lines), MAX_LINE // 4 * 3
        return "base64", "".join(binascii.b2a_base64(data[start:start + per_line]).decode("ascii")
                                 for start in range(0, len(data), per_line))
    if len(lines) <= 10:
        return "quoted-printable", sniff_qp
    return "quoted-printable", quoprimime.body_encode(normal(lines).decode("latin-1"), MAX_LINE)


def _crlf(body: str) -> str:
    """Line ends as the generator writes them: every one CRLF, no line added at the end."""
    lines = _LINE_ENDS.split(body)
    return "".join(line + CRLF for line in lines[:-1]) + lines[-1]


def _part(subtype: str, text: str, *, mime_version: bool) -> str:
    cte, body = encoded_text(text)
    head = f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}Content-Transfer-Encoding: {cte}{CRLF}'
    if mime_version:  # what EmailMessage.add_alternative puts on the part it adds
        head += f"MIME-Version: 1.0{CRLF}"
    return head + CRLF + _crlf(body)


def _boundary(parts: list[str]) -> str:
    """The generator's kind of boundary, checked against the parts as it checks."""
    while True:
        boundary = "=" * 15 + f"{secrets.randbelow(10 ** 19):019d}" + "=="
        if not any(boundary in part for part in parts):
            return boundary


def alternative(headers: list[tuple[str, str]], text: str, html: str) -> bytes | None:
    """The whole message: ``headers`` (name, value already formatted and folded), then
    ``multipart/alternative`` of ``text`` and ``html``. None when a header line is longer than
    the policy would leave it (``List-Unsubscribe`` may take one line up to RFC 5322's limit: a
    web address must not be cut, nor turned into encoded words a mail client does not read)."""
    lines = []
    for name, value in headers:
        line = f"{name}: {value}"
        limit = MAX_HEADER_LINE if name == "List-Unsubscribe" else MAX_LINE
        if not line.isascii() or any(len(piece) > limit for piece in line.split(CRLF)):
            return None
        lines.append(line)
    parts = [_part("plain", text, mime_version=False), _part("html", html, mime_version=True)]
    boundary = _boundary(parts)
    lines += ["MIME-Version: 1.0", f'Content-Type: multipart/alternative;{CRLF} boundary="{boundary}"']
    body = "".join(f"--{boundary}{CRLF}{part}{CRLF}" for part in parts)
    return (CRLF.join(lines) + CRLF + CRLF + body + f"--{boundary}--{CRLF}").encode("ascii")
