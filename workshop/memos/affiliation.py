"""Countries, titles, roles and quotations in the non-attribution check (pure).

For a national Focal Point the country is the affiliation: "Ghana's", "Ghanaian" and "the Ghanaian
delegation" point at a participant as surely as a name. A country that is a topic ("the situation
in Syria") is not: a country represented in the room is flagged when it is said to speak ("Ghana
stressed"), when it stands for its delegation or a participant ("the Ghanaian Focal Point", "the
representative of Ghana"), or when a view is given as its own next to a speech verb ("Ghana's
experience, she said, ..."). Titles that fit one person ("the Special Adviser", "the Ambassador of
Brazil") and quotations put in a role's mouth are flagged whoever holds them.
"""

import re
from bisect import bisect_right
from functools import lru_cache

import pycountry

from workshop.memos.attribution import COUNTRY, ROLE, Found, fold
from workshop.memos.demonyms import DEMONYMS
from workshop.platform.errors import N_

REASON_COUNTRY_ACTOR = N_("Points at the delegation or a participant of %(country)s, a country represented in the room.")
REASON_COUNTRY_SPEAKS = N_("%(country)s, a country represented in the room, is said to speak: the view is its participant's.")
REASON_COUNTRY_VIEW = N_("A view or an experience is given as that of %(country)s, a country represented in the room.")
REASON_TITLE_OF = N_("An identifying title: the holder of one office of one country or organization.")
REASON_ROLE = N_("An identifying title or role: it points at one person in the room.")
REASON_QUOTE = N_("A quotation attributed to a role: the words and the role together identify the speaker.")

SPEECH = (r"(?:said|says|say|argued|argues|cautioned|cautions|noted|stressed|stresses|put\s+it|warned|"
          r"warns|observed|emphasi[sz]ed|emphasi[sz]es|underlined|underscored|insisted|suggested|"
          r"proposed|recalled|explained|remarked|added|asked|told|described|highlighted|pointed\s+out|"
          r"urged|called\s+for|reported|shared|presented|mentioned|acknowledged|disagreed|questioned|"
          r"objected|countered|recommended|announced|claimed|stated|reminded|replied|responded|"
          r"conceded|admitted|commented|expressed|voiced|spoke|according\s+to|in\s+the\s+words\s+of)")
SPEECH_WORD = re.compile(r"(?<!\w)" + SPEECH + r"(?!\w)")
# Who speaks for a country: one of these after its adjective, or before "of"/"from" it.
ACTOR = (r"(?:delegations?|delegates?|representatives?|ambassadors?|focal\s+points?|participants?|"
         r"experts?|officials?|ministers?|missions?|envoys?|diplomats?|colleagues?|speakers?|"
         r"panel+ists?|counterparts?|advis[eo]rs?|directors?|spokes(?:person|man|woman)|"
         r"permanent\s+representatives?|head\s+of\s+delegation|foreign\s+minister)")
SINGULAR_ACTOR = (r"(?:delegation|delegate|representative|ambassador|focal\s+point|participant|expert|"
                  r"official|minister|mission|envoy|diplomat|speaker|panel+ist|adviser|advisor|director|"
                  r"spokesperson|permanent\s+representative|head\s+of\s+delegation|foreign\s+minister)")
FILLER = r"(?:(?!(?:and|or|were|was|is|are|of|to|with|the|a|an|in|on|at)\b)[a-z][a-z-]*\s+){0,2}"
TOPIC_BEFORE = re.compile(r"(?:\bin|\bon|\babout|\bregarding|\bconcerning|\bwithin|\bacross|\binto|\bto|"
                          r"\btowards|\bagainst|\bthroughout|\binside|\bof|\bover|\bfor|\bwith|\bfrom|\band|\bor)\s+(?:the\s+)?$")
ATTRIBUTING_BEFORE = re.compile(r"(?:according\s+to|in\s+the\s+words\s+of|speaking\s+for|on\s+behalf\s+of|"
                                r"(?<!\w)as)\s+(?:the\s+)?$")
VIEW_NOUN = re.compile(r"^\s+(?:own\s+|national\s+)?(?:experience|approach|position|views?|proposal|statement|"
                       r"intervention|contribution|perspective|example|model|suggestion|concern|concerns|"
                       r"recommendation|lessons?)(?!\w)")
# Titles one person holds: flagged after "the" when written with capitals ("the Special Adviser").
UNIQUE_TITLES = ("Special Adviser", "Special Advisor", "Special Representative", "Special Rapporteur",
                 "Special Envoy", "Secretary-General", "Deputy Secretary-General", "Under-Secretary-General",
                 "Assistant Secretary-General", "High Commissioner", "Deputy High Commissioner", "President",
                 "Vice-President", "Prime Minister", "Executive Director", "Director-General")
# Titles many hold ("the Focal Point" may be the office as a topic): flagged when the holder speaks.
SHARED_TITLES = ("Ambassador", "Minister", "Foreign Minister", "Deputy Minister", "Vice-Minister",
                 "State Secretary", "Director", "Deputy Director", "Permanent Representative",
                 "Deputy Permanent Representative", "Chair", "Chairperson", "Co-Chair", "Moderator",
                 "Focal Point", "Head of Delegation", "Coordinator", "Commissioner", "Chargé d'Affaires",
                 "Envoy", "Adviser")
# The same roles in lower case: flagged after "the" when their holder speaks.
ROLE_WORDS = (r"(?:special\s+advis[eo]r|special\s+representative|special\s+rapporteur|special\s+envoy|"
              r"secretary-general|high\s+commissioner|permanent\s+representative|ambassador|minister|"
              r"envoy|advis[eo]r|moderator|chair(?:person)?|co-chair|focal\s+point|director(?:-general)?|"
              r"head\s+of\s+delegation|coordinator|commissioner|representative|delegate|diplomat|official|"
              r"general|colonel)")
DOCUMENT_AFTER = re.compile(r"\s+(?:(?:\d{4}|annual|latest|new|recent|last|first)\s+)*(?:reports?|framework|office|"
                            r"agenda|initiative|call|appeal|guidance|plan|strategy|statement|letter)(?!\w)")
QUOTE = re.compile(r"[“«„\"]([^”»“\"]{3,})[”»“\"]")


def _names_of(code: str) -> tuple[list[str], list[str]]:
    """(names, adjectives) of a country: pycountry's names and the shipped table's."""
    adjectives, extra = DEMONYMS.get(code, ((), ()))
    names = list(extra)
    country = pycountry.countries.get(alpha_2=code)
    if country is not None:
        names += [getattr(country, attr) for attr in ("common_name", "name", "official_name")
                  if getattr(country, attr, None)]
    names = [re.sub(r"^the\s+", "", n, flags=re.IGNORECASE) for n in names]
    names += [n.split(",")[0] for n in names if "," in n]  # "Korea, Republic of" -> "Korea"
    return sorted({n for n in names if len(n) >= 2}, key=len, reverse=True), list(adjectives)


def display_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", code) if country else code


def _alternation(forms: list[str]) -> str:
    return "|".join(r"\s+".join(re.escape(w) for w in fold(form).split())
                    for form in sorted(set(forms), key=len, reverse=True))


@lru_cache(maxsize=512)
def _country_pattern(code: str) -> re.Pattern | None:
    names, adjectives = _names_of(code)
    if not names and not adjectives:
        return None
    parts = []
    if names:
        parts.append(r"(?P<name>" + _alternation(names) + r")(?P<poss>['’]s?(?!\w))?")
    if adjectives:
        parts.append(r"(?P<adj>" + _alternation(adjectives) + r")(?:s(?!\w))?")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


@lru_cache(maxsize=1)
def _any_adjective() -> re.Pattern:
    forms = [a for adjectives, _ in DEMONYMS.values() for a in adjectives]
    return re.compile(r"(?<![\w-])(?:" + _alternation(forms) + r")(?![\w-])")


def sentences(folded: str) -> list[tuple[int, int]]:
    """Spans of the sentences: ended by . ! ? or ; before a space, or by a line break."""
    spans, start = [], 0
    for match in re.finditer(r"[.!?;](?=[\s”\"»]*(?:\s|$))[”\"»]*|\n", folded):
        end = match.end()
        if folded[start:end].strip():
            spans.append((start, end))
        start = end
    if folded[start:].strip():
        spans.append((start, len(folded)))
    return spans


def _sentence_of(spans, index: int) -> tuple[int, int]:
    # Spans are in order and do not overlap: a binary search keeps a long memo fast.
    position = bisect_right(spans, (index, float("inf"))) - 1
    if position >= 0 and spans[position][0] <= index < spans[position][1]:
        return spans[position]
    return 0, 0


def _sentence(folded: str, spans, index: int) -> str:
    start, end = _sentence_of(spans, index)
    return folded[start:end]


def _clause_after(folded: str, end: int, stop: int) -> str:
    rest = folded[end:stop]
    return re.split(r"[.;:!?\n]", rest, maxsplit=1)[0]


def _country_hits(text: str, folded: str, spans, code: str, sources) -> list[Found]:
    pattern = _country_pattern(code)
    if pattern is None:
        return []
    params = (("country", display_name(code)),)
    name = display_name(code)
    found = []
    for match in pattern.finditer(folded):
        start, end = match.span()
        if not text[start].isupper():
            continue  # "turkey", "chad", "french fries" in lower case are not the country
        s_start, s_end = _sentence_of(spans, start)
        before = folded[max(s_start, start - 60):start]
        after = _clause_after(folded, end, s_end)
        possessive = bool(match.group("poss")) if "poss" in pattern.groupindex else False
        actor_after = re.match(r"\s+" + FILLER + ACTOR + r"(?!\w)", after)
        actor_before = re.search(ACTOR + r"\s+(?:of|from|for)\s+(?:the\s+)?$", before)
        if actor_after:
            found.append(Found(start, end + actor_after.end(), name, COUNTRY, sources, REASON_COUNTRY_ACTOR, params))
            continue
        if actor_before:
            found.append(Found(start - (len(before) - actor_before.start()), end, name, COUNTRY, sources,
                               REASON_COUNTRY_ACTOR, params))
            continue
        if ATTRIBUTING_BEFORE.search(before) and (not re.search(r"(?<!\w)as\s+(?:the\s+)?$", before)
                                                  or SPEECH_WORD.search(after)):
            found.append(Found(start, end, name, COUNTRY, sources, REASON_COUNTRY_SPEAKS, params))
            continue
        speaks = re.match(r"(?:\s*,[^,]{0,40},)?\s+(?:[\w-]+\s+){0,3}?" + SPEECH + r"(?!\w)", after)
        if speaks and not possessive and not TOPIC_BEFORE.search(before):
            found.append(Found(start, end, name, COUNTRY, sources, REASON_COUNTRY_SPEAKS, params))
            continue
        sentence = folded[s_start:s_end]
        if possessive and (VIEW_NOUN.match(after) or SPEECH_WORD.search(sentence)):
            found.append(Found(start, end, name, COUNTRY, sources, REASON_COUNTRY_VIEW, params))
    return found


def _speaks(folded: str, spans, start: int, end: int) -> bool:
    """Is what stands at start:end the one speaking: followed by a speech verb in its clause,
    or after "as", "according to", "in the words of"?"""
    s_start, s_end = _sentence_of(spans, start)
    after = _clause_after(folded, end, s_end)
    if re.match(r"(?:\s*,[^,]{0,60},)?\s+(?:[\w-]+\s+){0,3}?" + SPEECH + r"(?!\w)", after):
        return True
    before = folded[max(s_start, start - 40):start]
    return bool(re.search(r"(?:according\s+to|in\s+the\s+words\s+of|(?<!\w)as)\s+$", before))


def _capitalized(text: str, start: int, end: int) -> bool:
    return all(word[0].isupper() for word in re.split(r"[\s-]+", text[start:end]) if word[0].isalpha()
               and word.casefold() not in {"of", "d'affaires"})


def _role_hits(text: str, folded: str, spans) -> list[Found]:
    found = []
    adjective = r"(?:" + _any_adjective().pattern + r"\s+)?"
    # "the Ambassador of Brazil", "the representative of the Secretariat", "the Danish Focal Point of ..."
    title_of = re.compile(r"(?<!\w)(?:the|a|an)\s+" + adjective + r"(?:deputy\s+|acting\s+|former\s+)?"
                          + SINGULAR_ACTOR + r"\s+(?:of|from)\s+(?:the\s+)?(?=\S)")
    for match in title_of.finditer(folded):
        after = match.end()
        if after < len(text) and text[after].isupper():
            tail = re.match(r"[\w'’-]+(?:\s+(?:of\s+|and\s+)?[A-Z][\w'’-]*)*", text[after:])
            end = after + (tail.end() if tail else 0)
            start = match.start() + len(re.match(r"(?:the|a|an)\s+", folded[match.start():]).group())
            found.append(Found(start, end, " ".join(text[start:end].split()), ROLE, (), REASON_TITLE_OF))
    titles = "|".join(re.escape(t.casefold()).replace(r"\ ", r"\s+")
                      for t in sorted(UNIQUE_TITLES + SHARED_TITLES, key=len, reverse=True))
    unique = {t.casefold() for t in UNIQUE_TITLES}
    definite = re.compile(r"(?<!\w)the\s+(?P<adj>" + adjective + r")(?:deputy\s+|acting\s+)?(?P<title>" + titles
                          + r")(?P<poss>['’]s)?(?![\w-])")
    for match in definite.finditer(folded):
        start, end = match.start("adj") if match.group("adj") else match.start("title"), match.end("title")
        sentence = _sentence(folded, spans, start)
        if not _capitalized(text, match.start("title"), end):
            continue
        if match.group("poss") and (DOCUMENT_AFTER.match(folded, match.end()) or not SPEECH_WORD.search(sentence)):
            continue  # "the Secretary-General's report": a document, not someone in the room
        if " ".join(match.group("title").split()) not in unique and not _speaks(folded, spans, match.start(), end):
            continue
        found.append(Found(start, end, " ".join(text[start:end].split()), ROLE, (), REASON_ROLE))
    lower = re.compile(r"(?<!\w)the\s+(?P<role>" + ROLE_WORDS + r")(?P<poss>['’]s)?(?![\w-])")
    for match in lower.finditer(folded):
        sentence = _sentence(folded, spans, match.start())
        if match.group("poss") and DOCUMENT_AFTER.match(folded, match.end()):
            continue
        if _speaks(folded, spans, match.start(), match.end("role")):
            start, end = match.span("role")
            found.append(Found(start, end, " ".join(text[start:end].split()), ROLE, (), REASON_ROLE))
    return found


def _quote_hits(text: str, folded: str, spans) -> list[Found]:
    found = []
    role = re.compile(r"(?<!\w)(?:the|one|a|an|another|this)\s+(?:[a-z-]+\s+){0,2}?(?P<role>" + ROLE_WORDS
                      + r")(?![\w-])")
    for s_start, s_end in spans:
        sentence = text[s_start:s_end]
        quotes = [m for m in QUOTE.finditer(sentence) if len(m.group(1).split()) >= 3]
        if not quotes or not SPEECH_WORD.search(folded[s_start:s_end]):
            continue
        for match in role.finditer(folded[s_start:s_end]):
            if any(q.start() <= match.start() < q.end() for q in quotes):
                continue  # a role named inside the quotation is what was said, not who said it
            start, end = s_start + match.start(), s_start + match.end("role")
            found.append(Found(start, end, " ".join(text[start:end].split()), ROLE, (), REASON_QUOTE))
    return found


def find_affiliations(text: str, folded: str, countries) -> list[Found]:
    """Countries represented in the room, quotations attributed to a role, then titles and roles."""
    spans = sentences(folded)
    found = []
    for code, sources in countries:
        found += _country_hits(text, folded, spans, code, sources)
    return found + _quote_hits(text, folded, spans) + _role_hits(text, folded, spans)
