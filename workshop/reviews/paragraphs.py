"""The paragraphs a reviewer comments on: the blocks of a Markdown text that blank lines
separate (a heading, a paragraph, a list), a fenced block kept whole. Pure: text in, list out.

Every block keeps its number (comments are stored by it), but only those with words to discuss
take comments: a block that is nothing but headings or rules ("## Context") does not."""

import re

FENCE = re.compile(r"^\s*(```|~~~)")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")


def takes_comments(block: str) -> bool:
    """A paragraph, a list, a quotation: yes. A heading (``#`` or underlined) or a rule alone: no."""
    lines = [line for line in (block or "").split("\n") if line.strip()]
    if len(lines) == 2 and _SETEXT_UNDERLINE.match(lines[1]) and not _RULE.match(lines[0]):
        return False  # "Context" underlined with === or ---
    return any(not (_ATX_HEADING.match(line) or _RULE.match(line)) for line in lines)


def blocks(source: str) -> list[str]:
    lines = (source or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found, current, in_fence = [], [], False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and not line.strip():
            if current:
                found.append("\n".join(current).strip("\n"))
                current = []
            continue
        current.append(line)
    if current:
        found.append("\n".join(current).strip("\n"))
    return [block for block in found if block.strip()]
