"""The non-attribution check: where does the memo point at a person in the room?

Pure: takes texts and a plain list of candidates, returns every place a candidate is named or
pointed at, each with the words flagged and why. Names and organizations are matched here
(ignoring case, accents and line breaks; a person also by their family name alone when it is
written capitalized, an organization also by its acronym or short name). Countries, titles,
roles and quotations are weighed in ``affiliation``.
"""

import re
import unicodedata
from bisect import bisect_left, bisect_right, insort
from functools import lru_cache
from dataclasses import dataclass, field

from workshop.platform.errors import N_

PERSON = "person"
ORGANIZATION = "organization"
COUNTRY = "country"  # the name is an ISO 3166-1 alpha-2 code: the country a participant represents
POSITION = "position"  # a participant's or speaker's title, e.g. "Director of Policy Planning"
ROLE = "role"  # found without a candidate: an identifying title or a role quoted
PERSONAL_DATA = "personal_data"  # a confidential answer a participant gave (a passport number)
MIN_LENGTH = 3

REASON_PERSON = N_("The name of a participant, speaker or chair.")
REASON_FAMILY = N_("The family name of a participant, speaker or chair.")
REASON_ORGANIZATION = N_("The organization of a participant, speaker or chair.")
REASON_ACRONYM = N_("The short name or acronym of %(organization)s, the organization of a participant, speaker or chair.")
REASON_POSITION = N_("The position a participant, speaker or chair holds.")
REASON_PERSONAL_DATA = N_("Personal data a participant gave in a confidential answer (a passport number, for example).")


@dataclass(frozen=True)
class Candidate:
    name: str
    kind: str  # PERSON, ORGANIZATION, COUNTRY or POSITION
    source: str = ""  # why they are a candidate, e.g. "speaker: Opening plenary"


@dataclass(frozen=True)
class Hit:
    name: str  # what is named, e.g. the candidate's name as listed; accepting it accepts every hit
    kind: str
    sources: tuple[str, ...]
    where: str  # which text: body, disclaimer, credit
    line: int
    column: int
    matched: str  # the words flagged, as written in the memo
    excerpt: str
    reason: str = REASON_PERSON  # an English msgid (marked with N_), translated where shown
    reason_params: tuple[tuple[str, str], ...] = field(default=())

    @property
    def params(self) -> dict[str, str]:
        return dict(self.reason_params)


@dataclass(frozen=True)
class Found:
    """A span of one text that one rule flagged, before it becomes a Hit."""

    start: int
    end: int
    name: str
    kind: str
    sources: tuple[str, ...]
    reason: str
    params: tuple[tuple[str, str], ...] = ()


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)) or char
    base = base if len(base) == 1 else char
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold(text: str) -> str:
    """Lower case without accents, one character for each character of ``text``: an index in
    the folded text is the same index in the text."""
    return "".join(_fold_char(char) for char in text)


def words_pattern(name: str) -> str | None:
    words = fold(name).split()
    if not words or len("".join(words)) < MIN_LENGTH:
        return None
    return r"(?<!\w)" + r"\s+".join(re.escape(word) for word in words) + r"(?!\w)"


def _merge(candidates) -> list[tuple[str, str, tuple[str, ...]]]:
    merged: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for candidate in candidates:
        name = " ".join((candidate.name or "").split())
        if len(name) < (2 if candidate.kind == COUNTRY else MIN_LENGTH):
            continue
        key = (fold(name), candidate.kind)
        first, sources = merged.setdefault(key, (name, []))
        if candidate.source and candidate.source not in sources:
            sources.append(candidate.source)
    return [(name, kind, tuple(sources)) for (_, kind), (name, sources) in merged.items()]


def _excerpt(text: str, start: int, end: int, width: int = 50) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


# Organizations' other names ------------------------------------------------------------------

SMALL_WORDS = {"of", "the", "and", "for", "on", "to", "in", "at", "a", "an", "de", "la", "le", "les",
               "des", "du", "et", "y", "del", "el", "für", "und"}
CONTRACTIONS = (("responsibility to protect", "R2P"),)
EXPLICIT_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&.-]{1,11})\)")
CAPITAL_TOKEN = re.compile(r"(?<!\w)([A-Z][A-Z0-9&]{2,11})(?!\w)")
SHORT_NAME_END = re.compile(r"\s+(?:of|for|on|to|in)\s+", re.IGNORECASE)


def organization_short_names(name: str) -> list[str]:
    """Acronyms and short names a memo may use for ``name``: one in brackets in the name
    ("(OSAPG)"), a capitalized first word ("UNDP"), the initials of its words ("KAIPTC") and its
    leading words ("Global Centre" of "Global Centre for the Responsibility to Protect")."""
    short = [m.group(1) for m in EXPLICIT_ACRONYM.finditer(name)]
    plain = EXPLICIT_ACRONYM.sub(" ", name)
    # A capitalized first word ("UNDP Regional Hub"); one further on may be the topic ("... and the R2P").
    first = CAPITAL_TOKEN.match(plain.strip())
    if first:
        short.append(first.group(1))
    contracted = plain
    for long, acronym in CONTRACTIONS:
        contracted = re.sub(re.escape(long), acronym, contracted, flags=re.IGNORECASE)
    words = [w for w in re.split(r"[\s,/-]+", contracted) if w and w.casefold() not in SMALL_WORDS]
    if len(words) >= 3 and all(w[0].isalpha() or w[0].isdigit() for w in words):
        initials = "".join(w if w.isupper() and len(w) > 1 else w[0].upper() for w in words)
        if len(initials) >= 3:
            short.append(initials)
    lead = SHORT_NAME_END.split(plain.strip(), maxsplit=1)[0]
    lead = re.sub(r"^the\s+", "", lead, flags=re.IGNORECASE).strip()
    if len(lead.split()) >= 2 and lead != plain.strip() and all(w[0].isupper() for w in lead.split()):
        short.append(lead)
    seen, result = set(), []
    for item in short:
        if item not in seen and item.casefold() != name.casefold():
            seen.add(item)
            result.append(item)
    return result


# Names -------------------------------------------------------------------------------------


def _case_sensitive(text: str, pattern_text: str):
    pattern = r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in pattern_text.split()) + r"(?![\w-])"
    for match in re.finditer(pattern, text):
        yield match.start(), match.end()


# A position many may hold ("a national R2P Focal Point") points at its holder after "the".
THE_BEFORE = re.compile(r"(?<!\w)the\s+$")


def find_names(text: str, folded: str, merged) -> list[Found]:
    """Full names of people, organizations and positions, then family names, then
    organizations' acronyms and short names: in that order, so that the longer match wins."""
    full, family, short = [], [], []
    for name, kind, sources in merged:
        if kind == COUNTRY:
            continue
        pattern = words_pattern(name)
        if kind == POSITION and len(name.split()) < 2:
            pattern = None
        reason = {PERSON: REASON_PERSON, ORGANIZATION: REASON_ORGANIZATION,
                  POSITION: REASON_POSITION, PERSONAL_DATA: REASON_PERSONAL_DATA}.get(kind, REASON_PERSON)
        if pattern:
            full += [Found(m.start(), m.end(), name, kind, sources, reason) for m in re.finditer(pattern, folded)
                     if kind != POSITION or THE_BEFORE.search(folded, 0, m.start())]
        words = name.split()
        if kind == PERSON and len(words) > 1 and len(words[-1]) >= 4:
            for m in re.finditer(words_pattern(words[-1]), folded):
                if text[m.start()].isupper():
                    family.append(Found(m.start(), m.end(), name, kind, sources, REASON_FAMILY))
        if kind == ORGANIZATION:
            for other in organization_short_names(name):
                short += [Found(start, end, name, kind, sources, REASON_ACRONYM, (("organization", name),))
                          for start, end in _case_sensitive(text, other)]
    return full + family + short


# The check ---------------------------------------------------------------------------------


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect_left(taken, (start, start))
    return (index > 0 and taken[index - 1][1] > start) or (index < len(taken) and taken[index][0] < end)


def find_attributions(texts: dict[str, str] | str, candidates) -> list[Hit]:
    """Every place one of ``candidates`` is named or pointed at in ``texts`` (a text or
    {label: text}); where rules overlap the first wins, so each word is flagged once."""
    from workshop.memos import affiliation

    if isinstance(texts, str):
        texts = {"body": texts}
    merged = _merge(candidates)
    countries = [(name.upper(), sources) for name, kind, sources in merged if kind == COUNTRY]
    hits: list[Hit] = []
    for where, text in texts.items():
        text = text or ""
        folded = fold(text)
        found = find_names(text, folded, merged) + affiliation.find_affiliations(text, folded, countries)
        # Spans taken so far, sorted and apart; line starts: both searched by bisection, so that
        # a long memo with many hits stays fast.
        taken: list[tuple[int, int]] = []
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        for item in found:
            if item.end <= item.start or _overlaps(taken, item.start, item.end):
                continue
            insort(taken, (item.start, item.end))
            line = bisect_right(line_starts, item.start)
            column = item.start - line_starts[line - 1] + 1
            hits.append(Hit(item.name, item.kind, item.sources, where, line, column,
                            text[item.start:item.end], _excerpt(text, item.start, item.end),
                            item.reason, item.params))
    order = list(texts)
    hits.sort(key=lambda h: (order.index(h.where), h.line, h.column))
    return hits
