"""Compile a first draft of the memo from approved session notes. Pure: text in, text out.

Each note becomes a theme under "Key takeaways", headed by its session's title, in agenda order;
the notes' own headings move down below it. A section of a note headed "Recommendation(s)" is
lifted out into the memo's Recommendations section.
"""

import re
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})(\s+.*|)$")
FENCE = re.compile(r"^\s*(```|~~~)")
RECOMMENDATION = re.compile(r"^\s*recommendations?\b", re.IGNORECASE)

CONTEXT_PLACEHOLDER = (
    "_Describe why the workshop met, who convened it and who took part (by category, never by "
    "name), and what it prepared._"
)
RECOMMENDATIONS_PLACEHOLDER = "_Add the recommendations that emerged from the discussion._"


@dataclass(frozen=True)
class SessionNotes:
    title: str
    source: str


def _heading_levels(lines: list[str]) -> list[int]:
    levels, in_fence = [], False
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (heading := HEADING.match(line)):
            levels.append(len(heading.group(1)))
    return levels


def split_recommendations(source: str, top: int = 4) -> tuple[str, str]:
    """(the note with its highest heading moved to level ``top``, its recommendation sections)."""
    lines = source.replace("\r\n", "\n").split("\n")
    shift = max(0, top - min(_heading_levels(lines), default=top))
    body, lifted = [], []
    in_fence = False
    lifting_level = None
    for line in lines:
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            text = heading.group(2).strip()
            if lifting_level is not None and level <= lifting_level:
                lifting_level = None
            if lifting_level is None and RECOMMENDATION.match(text):
                lifting_level = level
                continue
            if lifting_level is None:
                line = "#" * min(6, level + shift) + heading.group(2)
        (lifted if lifting_level is not None else body).append(line)
    return "\n".join(body).strip(), "\n".join(lifted).strip()


def _sections(sessions: list[SessionNotes]) -> tuple[list[str], list[str]]:
    """(the lines of each session's theme, the recommendation sections lifted out of them)."""
    parts, recommendations = [], []
    for session in sessions:
        body, lifted = split_recommendations(session.source)
        parts += [f"### {' '.join(session.title.split())}", "", body or "_No observations recorded._", ""]
        if lifted:
            recommendations.append(lifted)
    return parts, recommendations


def compile_memo(context: str, sessions: list[SessionNotes]) -> str:
    parts = ["## Context", "", (context or "").strip() or CONTEXT_PLACEHOLDER, "", "## Key takeaways", ""]
    themes, recommendations = _sections(sessions)
    parts += themes
    if not sessions:
        parts += ["_No approved session notes yet._", ""]
    parts += ["## Recommendations", ""]
    parts += ["\n\n".join(recommendations) if recommendations else RECOMMENDATIONS_PLACEHOLDER]
    return "\n".join(parts).strip() + "\n"


TOP_HEADING = re.compile(r"^##\s+(.*?)\s*$")


def append_sessions(source: str, sessions: list[SessionNotes]) -> str:
    """``source`` with the themes of ``sessions`` added at the end of its "Key takeaways" and
    their recommendations at the end of its "Recommendations"; every other line, edited or not,
    stays as it is. A memo without those headings gets them at its end."""
    lines = source.replace("\r\n", "\n").rstrip("\n").split("\n") if source.strip() else []
    themes, recommendations = _sections(sessions)

    def top_headings():
        found, in_fence = {}, False
        for index, line in enumerate(lines):
            if FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and (heading := TOP_HEADING.match(line)):
                found.setdefault(heading.group(1).strip().casefold(), index)
        return found

    def section_end(start: int) -> int:
        in_fence = False
        for index in range(start + 1, len(lines)):
            if FENCE.match(lines[index]):
                in_fence = not in_fence
            elif not in_fence and TOP_HEADING.match(lines[index]):
                return index
        return len(lines)

    def insert(title: str, new_lines: list[str], placeholders: tuple[str, ...]) -> None:
        start = top_headings().get(title.casefold())
        if start is None:
            lines.extend(["", f"## {title}", ""] if lines else [f"## {title}", ""])
            start = len(lines) - 2
        end = section_end(start)
        for index in range(end - 1, start, -1):
            if lines[index].strip() in placeholders:
                del lines[index]
                end -= 1
        after = end  # the blank lines between the section and the next heading go too
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        lines[end:after] = [""] + new_lines + ([""] if after < len(lines) else [])

    if themes:
        while themes and not themes[-1]:
            themes.pop()
        insert("Key takeaways", themes, ("_No approved session notes yet._",))
    if recommendations:
        insert("Recommendations", ["\n\n".join(recommendations)], (RECOMMENDATIONS_PLACEHOLDER,))
    return "\n".join(lines).strip() + "\n"


def insert_in_context(source: str, paragraph: str) -> str:
    """``source`` with ``paragraph`` at the end of its "Context" section (in place of the
    placeholder, if it is still there); a memo without that heading gets it first. Nothing
    changes when the paragraph is already in the text."""
    paragraph = paragraph.strip()
    if not paragraph or paragraph in source:
        return source
    lines = source.replace("\r\n", "\n").rstrip("\n").split("\n") if source.strip() else []
    start, in_fence = None, False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (heading := TOP_HEADING.match(line)) and heading.group(1).strip().casefold() == "context":
            start = index
            break
    if start is None:
        return "\n".join(["## Context", "", paragraph, ""] + lines).strip() + "\n"
    end, in_fence = len(lines), False
    for index in range(start + 1, len(lines)):
        if FENCE.match(lines[index]):
            in_fence = not in_fence
        elif not in_fence and TOP_HEADING.match(lines[index]):
            end = index
            break
    section = [line for line in lines[start + 1:end] if line.strip() != CONTEXT_PLACEHOLDER]
    while section and not section[-1].strip():
        section.pop()
    while section and not section[0].strip():
        section.pop(0)
    body = ([""] + section if section else []) + ["", paragraph, ""]
    return "\n".join(lines[:start + 1] + body + lines[end:]).strip() + "\n"
