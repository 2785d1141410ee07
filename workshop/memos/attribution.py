"""The non-attribution check: where does the memo name a person or an organization?

Pure: takes texts and a plain list of candidates, returns every place a candidate is named.
Matching ignores case, accents and line breaks inside a name; a person is also found by their
family name alone when it is written capitalized ("as Mensah put it").
"""

import re
import unicodedata
from dataclasses import dataclass

PERSON = "person"
ORGANIZATION = "organization"
MIN_LENGTH = 3


@dataclass(frozen=True)
class Candidate:
    name: str
    kind: str  # PERSON or ORGANIZATION
    source: str = ""  # why they are a candidate, e.g. "speaker: Opening plenary"


@dataclass(frozen=True)
class Hit:
    name: str  # the candidate's name as listed
    kind: str
    sources: tuple[str, ...]
    where: str  # which text: body, disclaimer, credit
    line: int
    column: int
    matched: str  # the words as written in the memo
    excerpt: str


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _fold(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, with the index in ``text`` of every folded character."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for out in _fold_char(char):
            folded.append(out)
            origin.append(index)
    return "".join(folded), origin


def _pattern(name: str) -> str | None:
    words = _fold(name)[0].split()
    if not words or len("".join(words)) < MIN_LENGTH:
        return None
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"


def _merge(candidates) -> list[tuple[str, str, tuple[str, ...]]]:
    merged: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for candidate in candidates:
        name = " ".join((candidate.name or "").split())
        if len(name) < MIN_LENGTH:
            continue
        key = (_fold(name)[0], candidate.kind)
        first, sources = merged.setdefault(key, (name, []))
        if candidate.source and candidate.source not in sources:
            sources.append(candidate.source)
    return [(name, kind, tuple(sources)) for (_, kind), (name, sources) in merged.items()]


def _excerpt(text: str, start: int, end: int, width: int = 50) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def find_attributions(texts: dict[str, str] | str, candidates) -> list[Hit]:
    """Every place one of ``candidates`` is named in ``texts`` (a text or {label: text})."""
    if isinstance(texts, str):
        texts = {"body": texts}
    people = _merge(candidates)
    hits: list[Hit] = []
    for where, text in texts.items():
        text = text or ""
        folded, origin = _fold(text)
        taken: list[tuple[int, int]] = []
        searches = []
        for name, kind, sources in people:
            pattern = _pattern(name)
            if pattern:
                searches.append((pattern, name, kind, sources, False))
        for name, kind, sources in people:
            words = name.split()
            if kind == PERSON and len(words) > 1 and len(words[-1]) >= 4:
                searches.append((_pattern(words[-1]), name, kind, sources, True))
        for pattern, name, kind, sources, family_only in searches:
            for match in re.finditer(pattern, folded):
                start = origin[match.start()]
                end = origin[match.end() - 1] + 1
                if family_only and not text[start].isupper():
                    continue
                if any(start < t_end and t_start < end for t_start, t_end in taken):
                    continue
                taken.append((start, end))
                line = text.count("\n", 0, start) + 1
                column = start - (text.rfind("\n", 0, start) + 1) + 1
                hits.append(Hit(name, kind, sources, where, line, column, text[start:end],
                                _excerpt(text, start, end)))
    order = list(texts)
    hits.sort(key=lambda h: (order.index(h.where), h.line, h.column))
    return hits
