"""Why the non-attribution check lists a person, in the reader's words.

A candidate's source is stored as plain English ("registered participant", "speaker: Opening
plenary") so that the pure check and its tests need no request; the pages translate it here.
"""

from flask_babel import gettext as _

from workshop.people.countries import country_code, country_name

REGISTERED = "registered participant"
# The agenda roles a contact may have on a session, each with its sentence.
AGENDA_ROLES = {
    "chair": lambda session: _("chair of %(session)s", session=session),
    "speaker": lambda session: _("speaker in %(session)s", session=session),
}


def reason_params(hit) -> dict[str, str]:
    """The parameters of a hit's reason for the reader: a country named in their language (the
    check names it in English, as pycountry does)."""
    params = dict(hit.params)
    if params.get("country"):
        code = country_code(params["country"])
        if code:
            params["country"] = country_name(code)
    return params


def agenda_source(role: str, session: str) -> str:
    return f"{role}: {session}"


def describe_source(source: str) -> str:
    """``source`` as the reader reads it; an unknown one as it is (it may be a name)."""
    if source == REGISTERED:
        return _("registered participant")
    role, separator, session = source.partition(": ")
    if separator and role in AGENDA_ROLES:
        return AGENDA_ROLES[role](session)
    return source


def marked_lines(text: str, hits) -> list[list[tuple[str, int | None]]]:
    """The saved text line by line, each line as (words, number of the hit or None) parts, so
    that the editor's page can show every hit marked where it is, with its line number.
    ``hits`` are the check's hits; only those in the body are marked, numbered from 1 in order."""
    lines = (text or "").split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    spans = []  # (start, end, number) in the text
    for number, hit in enumerate(hits, start=1):
        if hit.where != "body" or not 1 <= hit.line <= len(lines):
            continue
        start = starts[hit.line - 1] + hit.column - 1
        spans.append((start, start + len(hit.matched), number))
    result = []
    for index, line in enumerate(lines):
        begin, end = starts[index], starts[index] + len(line)
        parts, at = [], begin
        # A hit may run over a line break ("the Ghanaian\ndelegation"): each line marks its share.
        for start, stop, number in sorted(spans):
            if stop <= begin or start >= end:
                continue
            if max(start, begin) > at:
                parts.append((text[at:max(start, begin)], None))
            parts.append((text[max(start, begin):min(stop, end)], number))
            at = min(stop, end)
        if at < end or not parts:
            parts.append((text[at:end], None))
        result.append(parts)
    return result


def around_hits(lines: list[list[tuple[str, int | None]]], context: int = 1) -> list[tuple[int, list] | None]:
    """Only the lines with a hit and ``context`` lines either side, as (line number, parts);
    None where lines are left out. A long memo's marks then all show without scrolling."""
    marked = [index for index, parts in enumerate(lines) if any(number for _, number in parts)]
    keep = sorted({i for index in marked for i in range(index - context, index + context + 1)
                   if 0 <= i < len(lines)})
    result: list[tuple[int, list] | None] = []
    for position, index in enumerate(keep):
        if position and index != keep[position - 1] + 1:
            result.append(None)
        result.append((index + 1, lines[index]))
    return result
