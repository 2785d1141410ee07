"""The paragraphs a reviewer comments on: the blocks of a Markdown text that blank lines
separate (a heading, a paragraph, a list), a fenced block kept whole. Pure: text in, list out."""

import re

FENCE = re.compile(r"^\s*(```|~~~)")


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
