"""Recommendations and their follow-up: the only place they change.

Each time a workshop's memo is published, its recommendations are read from the published text
and numbered (``numbering``: a recommendation keeps its number across versions). Organizers then
record an owner, the meeting it is meant for, and dated updates with a status.
"""

from datetime import date

import sqlalchemy as sa

from workshop.followup.models import (STATUS_MOVES, Recommendation, RecommendationStatus, RecommendationUpdate)
from workshop.followup.numbering import Earlier, number, recommendations_in
from workshop.memos.models import Memo, MemoState
from workshop.memos.published import published_version
from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.types import utcnow
from workshop.workshops.models import Series, Workshop
from workshop.workshops.series import previous_in_series, workshops_in

OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
MAX_NOTE = 4000


class FollowupError(UserError):
    pass


# Numbering at publication -----------------------------------------------------------------------


def memo_published(memo: Memo, to_state: str, **_details) -> None:
    """Reaction to "memo.state_changed": a newly published original memo numbers its
    recommendations (translations repeat the original's, so they are not counted again)."""
    if to_state != MemoState.PUBLISHED or memo.translation_of_id is not None or not memo.versions:
        return
    sync(memo.workshop, memo.versions[-1].source, memo.versions[-1].number)


def sync(workshop: Workshop, source: str, version_number: int) -> list[Recommendation]:
    """The workshop's recommendations after the memo version ``version_number`` (its text
    ``source``) is published: numbers kept, new ones added, those no longer in it marked so."""
    known = list(db.session.scalars(sa.select(Recommendation).where(Recommendation.workshop_id == workshop.id)))
    by_number = {rec.number: rec for rec in known}
    numbered = number(recommendations_in(source), [Earlier(rec.number, rec.text) for rec in known])
    present, result = set(), []
    added = 0
    for num, text in numbered:
        present.add(num)
        rec = by_number.get(num)
        if rec is None:
            rec = Recommendation(workshop_id=workshop.id, number=num, text=text, in_memo=True,
                                 first_version=version_number, last_version=version_number, owner="",
                                 meant_for=workshop.prepares_meeting or "", status=RecommendationStatus.OPEN,
                                 status_changed_at=utcnow())
            db.session.add(rec)
            added += 1
        rec.text, rec.in_memo, rec.last_version = text, True, version_number
        result.append(rec)
    for rec in known:
        if rec.number not in present:
            rec.in_memo = False
    audit.record("recommendations.numbered", workshop=workshop.id, actor="system", target=workshop,
                 revision=version_number, added=added, total=len(numbered))
    db.session.flush()
    return result


# Reading ----------------------------------------------------------------------------------------


def recommendations_of(workshop: Workshop, *, in_memo_only: bool = False) -> list[Recommendation]:
    query = sa.select(Recommendation).where(Recommendation.workshop_id == workshop.id).order_by(Recommendation.number)
    if in_memo_only:
        query = query.where(Recommendation.in_memo.is_(True))
    return list(db.session.scalars(query.options(sa.orm.selectinload(Recommendation.updates))))


def recommendation(workshop: Workshop, num: int) -> Recommendation | None:
    return db.session.scalar(sa.select(Recommendation).where(Recommendation.workshop_id == workshop.id,
                                                            Recommendation.number == num))


def series_overview(series: Series) -> list[dict]:
    """Each public workshop of the series, earliest first, with whether its memo is published
    and its open recommendations (open or in progress)."""
    rows = []
    for workshop in workshops_in(series):
        open_ones = [rec for rec in recommendations_of(workshop, in_memo_only=True) if rec.status in OPEN_STATUSES]
        rows.append({"workshop": workshop, "memo": published_version(workshop),
                     "open": open_ones, "all": len(recommendations_of(workshop, in_memo_only=True))})
    return rows


def from_previous(workshop: Workshop):
    """(the previous workshop of the series, its recommendations) for the next one's page, or None."""
    previous = previous_in_series(workshop)
    if previous is None:
        return None
    recs = recommendations_of(previous, in_memo_only=True)
    return (previous, recs) if recs else None


# Follow-up --------------------------------------------------------------------------------------


def transition(rec: Recommendation, to_status: str, *, actor=None, on: date | None = None) -> None:
    """The one way a recommendation's status changes (STATUS_MOVES), with its log entry."""
    if to_status not in {str(s) for s in RecommendationStatus} or to_status not in STATUS_MOVES[RecommendationStatus(rec.status)]:
        raise FollowupError(N_("Choose a status from the list."))
    if to_status == rec.status:
        return
    audit.record("recommendation.status_changed", workshop=rec.workshop_id, actor=actor, target=rec,
                 number=rec.number, from_state=rec.status, to_state=to_status, on=on)
    rec.status = to_status
    rec.status_changed_at = utcnow()


def record_update(rec: Recommendation, *, status: str, on: date, note: str = "", owner: str | None = None,
                  meant_for: str | None = None, by=None, today: date | None = None) -> RecommendationUpdate:
    """A dated update: the status it leaves the recommendation in, and what happened. The owner
    and the meeting it is meant for change with it when given."""
    today = today or date.today()
    note = (note or "").strip()
    if on is None:
        raise FollowupError(N_("Enter the date of the update."))
    if on > today:
        raise FollowupError(N_("An update records what happened: its date cannot be in the future."))
    if len(note) > MAX_NOTE:
        raise FollowupError(N_("Keep the note under %(n)s characters."), n=MAX_NOTE)
    for name, value, limit in (("owner", owner, 200), ("meant_for", meant_for, 300)):
        if value is None:
            continue
        value = " ".join(value.split())
        if len(value) > limit:
            raise FollowupError(N_("Keep it under %(n)s characters."), n=limit)
        if value != getattr(rec, name):
            audit.record("recommendation.changed", workshop=rec.workshop_id, actor=by, target=rec,
                         number=rec.number, changes={name: [getattr(rec, name), value]})
            setattr(rec, name, value)
    transition(rec, status, actor=by, on=on)
    update = RecommendationUpdate(recommendation_id=rec.id, on=on, status=status, note=note,
                                  created_at=utcnow(), created_by_id=getattr(by, "id", None))
    db.session.add(update)
    rec.updates.insert(0, update)
    audit.record("recommendation.updated", workshop=rec.workshop_id, actor=by, target=rec, number=rec.number,
                 on=on, status=status)
    db.session.flush()
    return update
