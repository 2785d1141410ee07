"""The Subject header, written by hand so that every decoder reads back the subject we meant.

The standard library's folder may split a non-ASCII subject into encoded words (RFC 2047) with
a meaningful space left *between* two of them, where RFC 2047 section 6.2 tells decoders to drop
it: "régionale — Côte" reached mail clients as "régionale —Côte". So a subject is either plain
ASCII folded only at its own spaces, or encoded words from end to end, every space inside one.
"""

import re

NAME = "Subject"
MAX_LINE = 78           # RFC 5322 section 2.1.1 (a line containing encoded words: 76)
_PREFIX = "=?utf-8?q?"
_SUFFIX = "?="
# "Subject: " (9) + prefix (10) + suffix (2) + 55 = 76, the RFC 2047 limit for such a line; the
# continuation lines (one space) stay shorter, and every encoded word under 75 characters.
_MAX_ENCODED = 55
# RFC 2047 section 5 (3), the narrowest set: safe wherever an encoded word may appear.
_LITERAL = re.compile(r"[A-Za-z0-9!*+\-/]")
# Plain text only when nothing in it could change on the way: printable ASCII words with single
# spaces, no encoded-word look-alike, nothing a parser would strip at either end.
_PLAIN = re.compile(r"[!-~]+(?: [!-~]+)*")


def subject_header(subject: str) -> str:
    """The Subject's value as it goes on the wire, folded (``\\r\\n `` between lines), for
    ``EmailMessage.set_raw``: the policy leaves lines of this length alone."""
    if not subject:
        return ""
    if _PLAIN.fullmatch(subject) and "=?" not in subject:
        folded = _fold_plain(subject)
        if folded is not None:
            return folded
    return "\r\n ".join(_encoded_words(subject))


def _fold_plain(subject: str) -> str | None:
    """Folded before a space (unfolding removes only the line break), or None when a single
    word is too long for a line."""
    lines = [""]
    room = MAX_LINE - len(NAME) - 2
    for word in subject.split(" "):
        if not lines[-1]:
            piece = word
        elif len(lines[-1]) + 1 + len(word) <= room:
            piece = " " + word
        else:
            lines.append("")
            room = MAX_LINE
            piece = " " + word
        if len(lines[-1]) + len(piece) > room:
            return None
        lines[-1] += piece
    return "\r\n".join(lines)


def _encoded_words(subject: str) -> list[str]:
    """Q-encoded words of whole characters (RFC 2047 section 5), spaces as ``_`` inside them."""
    words, current = [], ""
    for char in subject:
        if char == " ":
            encoded = "_"
        elif _LITERAL.fullmatch(char):
            encoded = char
        else:
            encoded = "".join(f"={byte:02X}" for byte in char.encode("utf-8"))
        if current and len(current) + len(encoded) > _MAX_ENCODED:
            words.append(current)
            current = ""
        current += encoded
    words.append(current)
    return [f"{_PREFIX}{word}{_SUFFIX}" for word in words]
