"""Accepting a name the non-attribution check flagged, with the reason it may stay.

An organizer may accept while the memo is a draft, not only at approval, so that a lone
organizer need not send the memo for review to themself first. Accepting one name accepts every
place the check finds it; the reason is kept beside the memo and in the activity log, until
the workshop's retention purge forgets both.
"""

import sqlalchemy as sa

from workshop.memos.models import Memo
from workshop.memos.service import MemoError, attribution_hits
from workshop.platform import audit
from workshop.platform.audit.models import AuditEntry
from workshop.platform.db import db
from workshop.platform.errors import N_

MAX_REASON = 500


def _open_for_acceptance(memo: Memo) -> None:
    if memo.is_locked:
        raise MemoError(N_("The memo is approved and locked. An organizer can reopen it for edits."))
    if memo.current is None:
        raise MemoError(N_("Nothing to check yet."))


def reason_for(memo: Memo, name: str) -> str:
    return (memo.accepted_reasons or {}).get(name, "")


def accept(memo: Memo, name: str, reason: str, user) -> None:
    """``name`` (as the check lists it) may stay in the memo, for ``reason``."""
    _open_for_acceptance(memo)
    reason = " ".join((reason or "").split())
    if not reason:
        raise MemoError(N_("Say why these words may stay: accepting needs a reason."))
    if len(reason) > MAX_REASON:
        raise MemoError(N_("Keep the reason under %(n)s characters."), n=MAX_REASON)
    if name not in {hit.name for hit in attribution_hits(memo)}:
        raise MemoError(N_("The check no longer lists these words: nothing to accept. Look at the check again."))
    memo.accepted_names = sorted(set(memo.accepted_names or []) | {name})
    memo.accepted_reasons = {**(memo.accepted_reasons or {}), name: reason}
    audit.record("memo.name_accepted", workshop=memo.workshop_id, actor=user, target=memo, name=name,
                 reason=reason)
    db.session.flush()


def withdraw(memo: Memo, name: str, user) -> None:
    """The name is flagged again: it must be rewritten or accepted anew."""
    _open_for_acceptance(memo)
    if name not in (memo.accepted_names or []):
        raise MemoError(N_("These words were not accepted."))
    memo.accepted_names = [other for other in memo.accepted_names if other != name]
    memo.accepted_reasons = {k: v for k, v in (memo.accepted_reasons or {}).items() if k != name}
    audit.record("memo.acceptance_withdrawn", workshop=memo.workshop_id, actor=user, target=memo, name=name)
    db.session.flush()


# The activity log's entries that carry an accepted name (and its reason) in their details.
_ACCEPTANCE_ACTIONS = ("memo.name_accepted", "memo.acceptance_withdrawn")
PURGED_TEXT = "[purged]"


def forget_accepted(workshop, **_details) -> int:
    """Reaction to the retention purge: the names accepted in the check are mostly the
    participants' own, and a reason says who they are; both go, from the workshop's memos and
    from the activity log (who accepted, and when, stays). Should a memo be reopened later, its
    check flags those words again and accepting them needs a new reason. How many memos changed."""
    memos = db.session.scalars(sa.select(Memo).where(Memo.workshop_id == workshop.id)).all()
    changed = 0
    for memo in memos:
        if memo.accepted_names or memo.accepted_reasons:
            memo.accepted_names = []
            memo.accepted_reasons = None
            changed += 1
    for entry in db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.workshop_id == workshop.id, AuditEntry.action.in_(_ACCEPTANCE_ACTIONS))):
        detail = dict(entry.detail or {})
        for key in ("name", "reason"):
            if detail.get(key):
                detail[key] = PURGED_TEXT
        if detail != entry.detail:
            entry.detail = detail
    db.session.flush()
    return changed
