"""Revisioned Markdown documents: the machinery shared by session notes and the memo.

A document (a Note, a Memo) owns an ordered list of revisions; the newest is the current text.
Every save adds a revision that records who wrote it, when, and which revision the writer started
from. A save whose base is not the current revision is refused with ``StaleRevision`` carrying
both texts, so the writer can merge: nothing is ever overwritten silently. Two saves racing on
the same base both try to insert the same ``number``; the unique constraint lets one win and the
other becomes a ``StaleRevision`` too.
"""

import difflib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from workshop.platform.db import db
from workshop.platform.markup import normalize_newlines, render_markdown
from workshop.platform.types import UTCDateTime, utcnow
from workshop.platform.errors import N_, UserError

MAX_SOURCE_BYTES = 1_000_000


class RevisionMixin:
    """Columns of one saved text. The concrete class adds the foreign key to its document."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    source: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The revision the writer's form was based on (None for the first); kept as a plain number
    # so history reads "based on revision 3" even if rows are ever pruned.
    base_number: Mapped[int | None] = mapped_column(nullable=True)
    restored_from_number: Mapped[int | None] = mapped_column(nullable=True)

    @declared_attr
    def author_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)

    @declared_attr
    def author(cls) -> Mapped["User | None"]:  # noqa: F821
        return relationship("User", lazy="joined")


class RevisionError(UserError):
    """A save that cannot be made; the message is for the writer."""


class TooLarge(RevisionError):
    pass


@dataclass
class StaleRevision(Exception):
    """The text changed since the writer loaded it. Carries both versions for the merge page."""

    current: object  # the current revision (or None if the document has none yet)
    submitted_source: str
    base_number: int | None


def current_revision(document):
    return document.revisions[-1] if document.revisions else None


def revision_by_number(document, number: int):
    for revision in document.revisions:
        if revision.number == number:
            return revision
    return None


def check_size(source: str) -> None:
    if len(source.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise TooLarge(N_("The text is larger than 1 MB. Shorten it or split it, then save again."))


def save_text(document, source: str, author, base_number: int | None, *, restored_from=None):
    """Add a revision to ``document`` (not committed). Returns it, or the current revision when
    the text is unchanged. Raises StaleRevision or TooLarge."""
    source = normalize_newlines(source or "")
    check_size(source)
    head = current_revision(document)
    head_number = head.number if head else None
    if base_number != head_number:
        raise StaleRevision(head, source, base_number)
    if head is not None and head.source == source and restored_from is None:
        return head
    revision = document.revision_class(
        number=(head_number or 0) + 1,
        source=source,
        html=render_markdown(source),
        author_id=getattr(author, "id", None),
        base_number=head_number,
        restored_from_number=restored_from,
        created_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            document.revisions.append(revision)
            db.session.flush()
    except IntegrityError:
        # Another save took this number between our read and our insert.
        if revision in document.revisions:
            document.revisions.remove(revision)
        db.session.expire(document, ["revisions"])
        raise StaleRevision(current_revision(document), source, base_number) from None
    return revision


def restore(document, number: int, author):
    """A restore is a new revision with the old text: history only ever grows."""
    old = revision_by_number(document, number)
    if old is None:
        raise RevisionError(N_("There is no such revision."))
    head = current_revision(document)
    return save_text(document, old.source, author, head.number if head else None,
                     restored_from=old.number)


# Comparing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    """One line pair of a side-by-side comparison. ``kind`` is equal, changed, added or removed."""

    kind: str
    left_number: int | None
    left: str
    right_number: int | None
    right: str


# Past this many lines on either side a comparison is refused: difflib's matching grows with
# the square of the lines (worse with lines that repeat), and the page renders one row per line.
# 2,000 lines keep the worst case measured near a tenth of a second of CPU.
MAX_COMPARED_LINES = 2000


@dataclass(frozen=True)
class Comparison:
    """Two texts compared line by line, or ``too_long`` (then no rows and no unified diff).
    ``compared_lines`` is the work done: the lines given to the matcher."""

    rows: list[DiffRow]
    unified: str
    too_long: bool
    compared_lines: int
    max_lines: int = MAX_COMPARED_LINES


def compare(old: str, new: str, old_label: str = "old", new_label: str = "new") -> Comparison:
    a, b = old.splitlines(), new.splitlines()
    if max(len(a), len(b)) > MAX_COMPARED_LINES:
        return Comparison(rows=[], unified="", too_long=True, compared_lines=0)
    # autojunk keeps lines that repeat very often (blank lines) from making the match quadratic.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=True)
    return Comparison(
        rows=_rows(a, b, matcher.get_opcodes()),
        unified=_unified(a, b, matcher, old_label, new_label),
        too_long=False,
        compared_lines=len(a) + len(b),
    )


def _rows(a: list[str], b: list[str], opcodes) -> list[DiffRow]:
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            rows += [DiffRow("equal", i + 1, a[i], j + 1, b[j]) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        left, right = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(left), len(right))):
            li = left[k] if k < len(left) else None
            rj = right[k] if k < len(right) else None
            kind = "changed" if li is not None and rj is not None else ("removed" if rj is None else "added")
            rows.append(DiffRow(kind, None if li is None else li + 1, "" if li is None else a[li],
                                None if rj is None else rj + 1, "" if rj is None else b[rj]))
    return rows


def _hunk_range(start: int, stop: int) -> str:
    # The notation of ``diff -u``: "start,length", 1-based; an empty range names the line before.
    length = stop - start
    first = start + 1 if length else start
    return str(first) if length == 1 else f"{first},{length}"


def _unified(a: list[str], b: list[str], matcher, old_label: str, new_label: str) -> str:
    """The ``diff -u`` text from the matcher already run for the rows (difflib.unified_diff would
    run a second one)."""
    lines: list[str] = []
    for group in matcher.get_grouped_opcodes(3):
        if not lines:
            lines += [f"--- {old_label}", f"+++ {new_label}"]
        first, last = group[0], group[-1]
        lines.append(f"@@ -{_hunk_range(first[1], last[2])} +{_hunk_range(first[3], last[4])} @@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [" " + line for line in a[i1:i2]]
                continue
            lines += ["-" + line for line in a[i1:i2]]
            lines += ["+" + line for line in b[j1:j2]]
    return "\n".join(lines)


def side_by_side(old: str, new: str) -> list[DiffRow]:
    return compare(old, new).rows


def unified(old: str, new: str, old_label: str, new_label: str) -> str:
    return compare(old, new, old_label, new_label).unified
