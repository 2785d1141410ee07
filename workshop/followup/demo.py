"""The demo's follow-up: the R2P Focal Points Network as a series, and the 2012 memo's
recommendations with an owner and a status (illustrative: the public memo says nothing of
what became of them). Idempotent: a recommendation that already has an update is left alone."""

from datetime import date

from workshop.followup import service
from workshop.followup.models import RecommendationStatus
from workshop.memos.published import published_version
from workshop.platform.db import db
from workshop.workshops.series import series_named

SERIES_DESCRIPTION = (
    "Governments that have appointed a senior official as their national Focal Point for the "
    "Responsibility to Protect meet each year to share experience; preparatory workshops come "
    "before the meetings. Demo note: the follow-up shown here is illustrative."
)

# (words the recommendation starts with, owner, status, date, what happened); all illustrative.
FOLLOW_UP = (
    ("Encourage each government", "Co-organizing governments of the initiative", RecommendationStatus.IN_PROGRESS,
     date(2012, 5, 15), "Raised at the second meeting; several governments reported a written mandate (illustrative)."),
    ("Start with a national inventory", "Each Focal Point", RecommendationStatus.DONE,
     date(2013, 6, 1), "A model inventory was shared among Focal Points (illustrative)."),
    ("Map, for each member state", "Global Centre for the Responsibility to Protect", RecommendationStatus.OPEN,
     date(2012, 5, 15), "Taken note of at the second meeting (illustrative)."),
    ("Share training material", "Stanley Center", RecommendationStatus.IN_PROGRESS,
     date(2012, 9, 20), "A shared folder of training material was started (illustrative)."),
    ("Explore regular exchanges", "Focal Points of the regional organizations' members", RecommendationStatus.DROPPED,
     date(2013, 6, 1), "Left to the regional organizations themselves (illustrative)."),
    ("Set up a secure channel", "Global Centre for the Responsibility to Protect", RecommendationStatus.DONE,
     date(2012, 11, 5), "A closed mailing list for Focal Points is in use (illustrative)."),
)


def load(demo) -> None:
    workshop = demo.r2p
    series = workshop.series or series_named("R2P Focal Points Network")
    if not series.description:
        series.description = SERIES_DESCRIPTION
    for member in (demo.r2p, demo.open_workshop):
        if member.series_id is None:
            member.series = series
    recs = service.recommendations_of(workshop)
    version = published_version(workshop)
    if not recs and version is not None:
        recs = service.sync(workshop, version.source, version.number)
    updated = 0
    for rec in recs:
        if rec.updates:
            continue
        for start, owner, status, on, note in FOLLOW_UP:
            if rec.text.startswith(start):
                service.record_update(rec, status=status, on=on, note=note, owner=owner, by=demo.organizer)
                updated += 1
                break
    db.session.commit()
    demo.lines.append(f"Series {series.slug}: {len(recs)} recommendations of {workshop.slug}, {updated} updated.")
