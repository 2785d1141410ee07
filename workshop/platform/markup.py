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


# Markdown as a plain-text letter -------------------------------------------------------------
#
# The text/plain part of a mail written in Markdown: the same parse as the HTML part, so both say
# the same thing, written out the way a person types a letter. Emphasis marks go, a link reads
# "text (address)", a heading is a line of its own, list items keep their "-" or number, a quote
# and a code block are indented, blocks are separated by one blank line and the author's line
# breaks stay. Token contents are already decoded, so no HTML entity reaches the text.

_QUOTE_INDENT = CODE_INDENT = "    "


def parse_markdown(source: str) -> tuple[list, dict]:
    """markdown-it's tokens for a text, and its environment (link references among them)."""
    env: dict = {}
    return _MD.parse(source or "", env), env


def render_parsed(tokens, env: dict) -> tuple[str, str]:
    """The sanitized HTML and the plain text of parsed Markdown."""
    return sanitize(_MD.renderer.render(tokens, _MD.options, env)), tokens_to_text(tokens)


def render_markdown_parts(source: str) -> tuple[str, str]:
    """The sanitized HTML and the plain text of one Markdown text, from one parse."""
    return render_parsed(*parse_markdown(source))


def markdown_to_text(source: str) -> str:
    return tokens_to_text(_MD.parse(source or ""))


def _shown_link(href: str) -> str | None:
    """The address a link shows in text, or None for one the HTML part drops too."""
    lowered = href.strip().lower()
    if lowered.startswith("mailto:"):
        return href.strip()[len("mailto:"):]
    if lowered.startswith(("http://", "https://")):
        return href.strip()
    return None


def _inline_text(children) -> str:
    out: list[str] = []
    links: list[tuple[str | None, int]] = []  # (address, where its text starts in out)
    for token in children or ():
        kind = token.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(token.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "link_open":
            links.append((_shown_link(token.attrGet("href") or ""), len(out)))
        elif kind == "link_close" and links:
            address, start = links.pop()
            label = "".join(out[start:])
            if address and address != label.strip():
                out.append(f" ({address})")
        elif kind == "image":  # images are off; should one come, its words stay
            out.append(_inline_text(token.children))
    return "".join(out)


def tokens_to_text(tokens) -> str:
    """The plain text of markdown-it tokens (``_MD.parse``)."""
    return "\n\n".join(_blocks(tokens, 0)[0])


def _indent(text: str, pad: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = (pad if first is None else first) + lines[0] if lines[0] or first else ""
    return "\n".join([head] + [pad + line if line else "" for line in lines[1:]])


def _blocks(tokens, start: int, close: str | None = None) -> tuple[list[str], int, bool]:
    """The blocks from ``tokens[start]`` up to the token of type ``close`` (or the end): their
    texts, the index after that token, and whether the paragraphs were tight (a tight list)."""
    blocks, tight, i = [], False, start
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == close:
            return blocks, i + 1, tight
        if kind == "inline":
            blocks.append(_inline_text(token.children))
        elif kind == "paragraph_open" and token.hidden:
            tight = True
        elif kind in ("fence", "code_block"):
            blocks.append(_indent(token.content.rstrip("\n"), CODE_INDENT))
        elif kind == "hr":
            blocks.append("* * *")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            number = int(token.attrGet("start") or 1)
            items, i = [], i + 1
            any_loose = False
            while tokens[i].type == "list_item_open":
                parts, i, item_tight = _blocks(tokens, i + 1, "list_item_close")
                marker = f"{number}. " if kind == "ordered_list_open" else "- "
                number += 1
                any_loose = any_loose or not item_tight
                items.append(_indent(("\n" if item_tight else "\n\n").join(parts), " " * len(marker), marker))
            blocks.append(("\n\n" if any_loose else "\n").join(items))
        elif kind == "blockquote_open":
            parts, i, _ = _blocks(tokens, i + 1, "blockquote_close")
            blocks.append(_indent("\n\n".join(parts), _QUOTE_INDENT))
            continue
        elif kind == "table_open":
            rows, i = [], i + 1
            while tokens[i].type != "table_close":
                if tokens[i].type == "tr_open":
                    cells, i = [], i + 1
                    while tokens[i].type != "tr_close":
                        if tokens[i].type == "inline":
                            cells.append(_inline_text(tokens[i].children))
                        i += 1
                    rows.append(" | ".join(cells))
                i += 1
            blocks.append("\n".join(rows))
        # paragraph, heading and the like: their inline token carries the words
        i += 1
    return blocks, i, tight
