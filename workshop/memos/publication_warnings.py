"""What looks wrong in a memo before it is published: dates that do not fit the workshop, and a
Context copied from the workshop's description. Shown on the memo page; nothing is refused."""

import re

from workshop.memos.models import Memo
from workshop.notes import service as notes
from workshop.platform.errors import N_

CONTEXT_SECTION = re.compile(r"^##\s+context\s*\n(.*?)(?=^##\s|\Z)", re.IGNORECASE | re.MULTILINE | re.DOTALL)


def warnings(memo: Memo) -> list[tuple[str, dict]]:
    """What looks wrong before publishing, as (msgid, parameters): a memo dated before the
    workshop ended, notes approved before their session ended, a Context copied from the
    workshop's description word for word."""
    workshop = memo.workshop
    found = []
    if memo.dated and (memo.dated.year, memo.dated.month) < (workshop.end_date.year, workshop.end_date.month):
        found.append((N_("The memo is dated %(dated)s, before the workshop ended (%(end)s)."),
                      {"dated": memo.dated.isoformat(), "end": workshop.end_date.isoformat()}))
    early = [item.title for item, note in notes.approved_notes(workshop)
             if note.state_changed_at and item.ends_at and note.state_changed_at < item.ends_at]
    if early:
        found.append((N_("Notes were approved before their session ended: %(sessions)s."),
                      {"sessions": "; ".join(early)}))
    head = memo.current
    context = CONTEXT_SECTION.search(head.source.replace("\r\n", "\n")) if head else None
    description = " ".join((workshop.description or "").split())
    if context and description and " ".join(context.group(1).split()) == description:
        found.append((N_("The Context is the workshop's description word for word: say why the workshop met, "
                         "who took part and what it prepared, for the memo's readers."), {}))
    return found
