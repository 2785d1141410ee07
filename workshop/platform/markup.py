"""Markdown to safe HTML, shared by session notes and the takeaways memo; plain text in lines
and paragraphs, shared by every other text a person types (descriptions, notices).

Markdown is rendered by markdown-it-py with raw HTML off and images disabled, then the result
goes through nh3 with an explicit allowlist. The sanitizer is the guarantee; the renderer settings
only make the output tidier. Links keep only http, https and mailto targets, and get
``rel="nofollow noopener"``.
"""

import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# Elements whose content is dropped along with the tag (the rest keep their text).
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math",
                               "noscript", "template", "textarea", "select", "title"})


def _markdown() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    return md


_MD = _markdown()


def _only_absolute_links(element: str, attribute: str, value: str) -> str | None:
    # nh3 checks schemes but lets relative URLs through; a note has no business linking to
    # paths on our own server or the PDF renderer's file system.
    if element == "a" and attribute == "href":
        lowered = value.strip().lower()
        if not lowered.startswith(("http://", "https://", "mailto:")):
            return None
    if element == "ol" and attribute == "start" and not value.isdigit():
        return None
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_only_absolute_links,
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """Sanitized HTML for a Markdown text. Safe to mark ``|safe`` in templates."""
    return sanitize(_MD.render(source or ""))


# Plain text ---------------------------------------------------------------------------------

_LINE_ENDING = re.compile(r"\r\n?")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def normalize_newlines(text: str) -> str:
    r"""Every line ending as "\n". A browser sends a textarea's lines ending in "\r\n", so a
    blank line between two paragraphs arrives as "\r\n\r\n"; old Mac files end lines in "\r"."""
    return _LINE_ENDING.sub("\n", text)


def paragraphs(text: str | None) -> list[str]:
    """The paragraphs of a plain text: parts separated by a blank line (one holding only spaces
    counts), each stripped, empty ones dropped. Stored text may predate normalized input, so the
    line endings are normalized here too."""
    text = normalize_newlines(text or "").strip()
    return [part.strip() for part in _BLANK_LINES.split(text) if part.strip()]
