"""The recommendations of a memo and their stable numbers. Pure: text and earlier
recommendations in, numbered recommendations out.

A memo's recommendations are the items of its "Recommendations" section (each list item, or
each paragraph when the section has no list). When the memo is published again, each item keeps
the number it had: the same text (ignoring case, spaces and Markdown emphasis) first, then the
closest earlier text when it was only reworded (at least ``SIMILAR`` alike); an item with
no earlier match takes the next unused number. A number is never given to another text, even
when its recommendation leaves the memo.
"""

import difflib
import re
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
# The section's heading in the six languages (a memo is written in one of them).
RECOMMENDATION_HEADINGS = ("recommendation", "recommandation", "recomendaci", "توصي", "建议", "рекоменда")
SIMILAR = 0.6
_EMPHASIS = re.compile(r"[*_`~]+")


@dataclass(frozen=True)
class Earlier:
    number: int
    text: str


def key(text: str) -> str:
    """What two wordings of the same recommendation share: words only, lower case."""
    return " ".join(_EMPHASIS.sub("", text).casefold().split())


def _is_recommendations(title: str) -> bool:
    title = title.casefold().strip()
    return any(title.startswith(word) for word in RECOMMENDATION_HEADINGS)


def recommendations_in(source: str) -> list[str]:
    """The items of the memo's Recommendations section(s), in order, each on one line."""
    lines = (source or "").replace("\r\n", "\n").split("\n")
    sections, inside, level, in_fence = [], False, 0, False
    for line in lines:
        if FENCE.match(line) or in_fence:
            # A fenced block (an example, a quotation of code) holds no recommendation.
            if FENCE.match(line):
                in_fence = not in_fence
            continue
        heading = HEADING.match(line)
        if heading:
            depth = len(heading.group(1))
            if inside and depth <= level:
                inside = False
            if not inside and _is_recommendations(heading.group(2)):
                inside, level = True, depth
                sections.append([])
                continue
        if inside:
            sections[-1].append(line)
    items: list[str] = []
    for section in sections:
        items += _items(section)
    return items


def _items(lines: list[str]) -> list[str]:
    """Each list item (with its indented continuation lines), or, in a section without a list,
    each paragraph. A placeholder in italics (``_Add the recommendations…_``) is none."""
    listed: list[list[str]] = []
    paragraphs: list[list[str]] = []
    current: list[str] | None = None
    paragraph: list[str] = []
    for line in lines:
        indented = line.startswith((" ", "\t"))
        item = None if indented else ITEM.match(line)
        if HEADING.match(line):
            current = None  # a sub-heading names a group of recommendations, it is not one
        elif item:
            current = [item.group(1)]
            listed.append(current)
        elif not line.strip():
            if paragraph:
                paragraphs.append(paragraph)
                paragraph = []
        elif indented and current is not None:
            current.append(line.strip())
        else:
            current = None
            paragraph.append(line.strip())
    if paragraph:
        paragraphs.append(paragraph)
    found = [" ".join(" ".join(part).split()) for part in (listed or paragraphs)]
    return [text for text in found if text and not (text.startswith("_") and text.endswith("_"))]


def number(items: list[str], earlier: list[Earlier]) -> list[tuple[int, str]]:
    """(number, text) for each item, in the memo's order, numbers kept from ``earlier``."""
    assigned: dict[int, int] = {}
    free = {e.number: e for e in earlier}
    by_key: dict[str, list[Earlier]] = {}
    for e in earlier:
        by_key.setdefault(key(e.text), []).append(e)
    for index, text in enumerate(items):
        for e in by_key.get(key(text), []):
            if e.number in free:
                assigned[index] = e.number
                del free[e.number]
                break
    # Reworded: the most alike pairs first, so one edit cannot take another's number.
    pairs = sorted(
        ((difflib.SequenceMatcher(None, key(text), key(e.text)).ratio(), index, e.number)
         for index, text in enumerate(items) if index not in assigned for e in free.values()),
        reverse=True)
    for ratio, index, num in pairs:
        if ratio < SIMILAR:
            break
        if index in assigned or num not in free:
            continue
        assigned[index] = num
        del free[num]
    next_number = max([e.number for e in earlier], default=0) + 1
    result = []
    for index, text in enumerate(items):
        if index not in assigned:
            assigned[index] = next_number
            next_number += 1
        result.append((assigned[index], text))
    return result
