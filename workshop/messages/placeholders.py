"""The placeholders of a composed message: which ones exist, which a text uses, and the text
with one person's values put in, as Markdown for the HTML part and as plain text.

Pure: takes strings and a dict of values, so it is tested without a request.
"""

import re

from workshop.platform.markup import render_markdown

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
    """The subject, the plain-text body and the sanitized HTML body for one person."""
    return (fill_text(subject, values), fill_text(body, values),
            render_markdown(fill_markdown(body, values)))


def first_name(full_name: str) -> str:
    """The first word of a name: a guess, but the one people expect from "{first_name}"."""
    parts = (full_name or "").split()
    return parts[0] if parts else ""
