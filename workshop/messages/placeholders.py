"""The placeholders of a composed message: which ones exist, which a text uses, and the text
with one person's values put in, as Markdown for the HTML part and as plain text.

A message to thousands of people is the same text but for a name and a link. ``Prepared`` parses
and renders it once, with stand-ins where those go, and fills each person's values into the
result (escaped for HTML, as they are for the text); ``render`` is the straightforward way, and
``Prepared.render`` gives the same bytes. Where a value could change what the Markdown means (a
name ending in a bracket, a placeholder inside a code span or a link address), it renders that
person the straightforward way instead.

Pure: takes strings and a dict of values, so it is tested without a request.
"""

import re
import secrets
from functools import lru_cache

from workshop.platform.markup import parse_markdown, render_markdown_parts, render_parsed

NAMES = ("salutation", "first_name", "full_name", "self_service_link", "workshop_title", "dates", "venue")
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")
# Everything Markdown gives a meaning to: a person's name such as "[Ana](http://x)" or "*Bo*"
# must arrive as the letters they typed, not as a link or emphasis.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&])")


def unknown(text: str, names: tuple[str, ...] = NAMES) -> list[str]:
    """The placeholders in ``text`` that are not in ``names``, once each, in order."""
    found = [name for name in _PLACEHOLDER.findall(text or "") if name not in names]
    return list(dict.fromkeys(found))


def uses(text: str, name: str) -> bool:
    return "{" + name + "}" in (text or "")


def fill_text(text: str, values: dict) -> str:
    """Plain text: the values as they are."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text or "")


def fill_markdown(text: str, values: dict) -> str:
    """Markdown: the values escaped so they read as typed, except links, which stay links."""
    def value(match):
        name = match.group(1)
        if name not in values:
            return match.group(0)
        if name == "self_service_link":
            return str(values[name])
        return _MARKDOWN_SPECIAL.sub(r"\\\1", str(values[name]))
    return _PLACEHOLDER.sub(value, text or "")


def render(subject: str, body: str, values: dict) -> tuple[str, str, str]:
    """The subject, the plain-text body and the sanitized HTML body for one person: both bodies
    from one parse of the Markdown, the text written out as a plain letter."""
    html, text = render_markdown_parts(fill_markdown(body, values))
    return fill_text(subject, values), text, html


# Once per message ------------------------------------------------------------------------------

# The values that differ from one person to the next; the others are the same for everyone and
# go into the text before it is parsed.
PERSONAL = ("salutation", "first_name", "full_name", "self_service_link")
# A personal link the stand-in can take the place of: nothing Markdown or a URL encoder would
# touch, no "_" that could start emphasis (only between letters or digits), ends in one of them.
_PLAIN_LINK = re.compile(r"^https?://[a-z0-9.-]+(?::[0-9]+)?(?:/(?:[A-Za-z0-9.-]|(?<=[A-Za-z0-9])_+(?=[A-Za-z0-9]))*)*"
                         r"(?<=[A-Za-z0-9])$")


def _inert(value: str, spaced_after: bool = False) -> bool:
    """Whether a name reads as plain words wherever it stands in Markdown, as the stand-in
    does: printable, no space but the plain one, beginning and ending with a letter or digit,
    not a bare number (which could make "1." a list), no "|" (even escaped, it can make a line a
    table), not an address (which a link's words are compared with)."""
    # A salutation ends in its comma or colon ("Dear Ambassador Okafor,", "尊敬的王先生：").
    # Where the placeholder is always followed by a space or the end of its line
    # (``spaced_after``), that mark means nothing to Markdown; elsewhere it can ("a*{x}*b" is
    # emphasis after a letter, not after a comma).
    core = value.rstrip(",:\u060c\uff0c\uff1a") if spaced_after else value
    return (bool(core) and value[0].isalnum() and core[-1].isalnum() and not core.isdigit()
            and value.isprintable() and all(c == " " or not c.isspace() for c in value)
            and "|" not in value and "://" not in value)


def _html_text(value: str) -> str:
    """A value as markdown-it and the sanitizer write it in the HTML's text."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Prepared:
    """``body`` parsed and rendered once with ``shared`` values (the same for everyone) in place
    and stand-ins for the personal ones; ``render`` fills one person in."""

    def __init__(self, subject: str, body: str, shared: dict):
        self.subject, self.body, self.shared = subject, body, dict(shared)
        self.names = [name for name in PERSONAL if uses(body, name)]
        self.spaced_after = {name: all(body[m.end():m.end() + 1] in ("", " ", "\n", "\t")
                                       for m in re.finditer(re.escape("{" + name + "}"), body))
                             for name in self.names}
        # Letters and digits only, like a word, and found nowhere in the text itself.
        while True:
            self.mark = "Zq" + secrets.token_hex(6) + "q"
            if self.mark not in body and not any(self.mark in str(v) for v in self.shared.values()):
                break
        mark = self.mark
        self.stand_ins = {name: (f"http://stand-in.invalid/{mark}{n}x" if name == "self_service_link"
                                 else f"{mark}{n}x") for n, name in enumerate(self.names)}
        source = fill_markdown(body, {**self.shared, **self.stand_ins})
        tokens, env = parse_markdown(source)
        self.html, self.text = render_parsed(tokens, env)
        self.usable = not env.get("references") and self._only_in_words(tokens)

    def _only_in_words(self, tokens) -> bool:
        """Whether each stand-in stands only in running text (or the link in a link's address),
        and the HTML and the text have each as often as that."""
        in_words = {name: 0 for name in self.names}
        for token in tokens:
            for child in token.children or ():
                for name, stand_in in self.stand_ins.items():
                    if child.type == "text":
                        in_words[name] += child.content.count(stand_in)
                    elif child.type == "link_open" and name == "self_service_link" and \
                            (child.attrGet("href") or "") == stand_in and not child.attrGet("title"):
                        in_words[name] += 1
        for name, stand_in in self.stand_ins.items():
            expected = in_words[name]
            if name == "self_service_link":
                # A link shows its address in the text unless its words are that address.
                if self.html.count(stand_in) != expected:
                    return False
            elif self.html.count(stand_in) != expected or self.text.count(stand_in) != expected:
                return False
        return True

    def fits(self, values: dict) -> bool:
        for name in self.names:
            value = str(values.get(name, ""))
            if self.mark in value or not (_PLAIN_LINK.match(value) if name == "self_service_link"
                                             else _inert(value, self.spaced_after[name])):
                return False
        return True

    def render(self, values: dict) -> tuple[str, str, str]:
        """What ``render(subject, body, values)`` gives, for ``values`` with the shared ones."""
        if not self.usable or not self.fits(values):
            return render(self.subject, self.body, {**self.shared, **values})
        html, text = self.html, self.text
        for name, stand_in in self.stand_ins.items():
            value = str(values[name])
            html = html.replace(stand_in, _html_text(value))
            text = text.replace(stand_in, value)
        return fill_text(self.subject, {**self.shared, **values}), text, html


@lru_cache(maxsize=64)
def _prepared(subject: str, body: str, shared: tuple) -> Prepared:
    return Prepared(subject, body, dict(shared))


def render_one_of_many(subject: str, body: str, values: dict) -> tuple[str, str, str]:
    """``render`` for one of many people sent the same text one at a time (a letter, a
    reminder, written by the worker message after message): the text is prepared once per
    subject, body and shared values, kept for the next person in this process, and this
    person's values filled in. The same bytes as ``render``."""
    shared = tuple(sorted((name, str(value)) for name, value in values.items() if name not in PERSONAL))
    return _prepared(subject or "", body or "", shared).render(values)


def first_name(full_name: str) -> str:
    """The first word of a name: a guess, but the one people expect from "{first_name}"."""
    parts = (full_name or "").split()
    return parts[0] if parts else ""
