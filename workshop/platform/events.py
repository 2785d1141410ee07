"""Announcements from a feature to the features built on it.

A feature that must not know who builds on it (workshops knows nothing of registration; the
agenda knows nothing of participants) announces what happened: ``announce("agenda.session_moved",
item=item)``. The reactions are listed in one table, ``workshop/reactions.py``; each runs at once,
in the announcer's transaction, so a rolled-back change also takes back the mail it caused.
"""

from flask import current_app

from workshop.platform.registry import registry

# Every announcement a feature makes; the reactions table may name only these.
EVENTS = frozenset({
    "workshop.created",      # workshop=: a new draft
    "workshop.moved",        # workshop=: a published workshop's dates or place changed
    "workshop.cancelled",    # workshop=: a published workshop is cancelled
    # item=, tell_participants= (None: the default, False: the organizer chose to tell nobody)
    "agenda.session_added",      # a new item
    "agenda.session_moved",      # start, end or room changed, or reinstated (SEQUENCE raised)
    "agenda.session_cancelled",
    "agenda.item_changed",       # item=: anything else about an item changed (title, people, ...)
    "documents.changed",         # workshop_id=: a document was uploaded, replaced, changed or removed
    "registration.state_changed",  # registration=, from_state= (None: new), to_state=
    "registration.purged",         # registration=: the retention purge removed its personal data
    "registration.personal_data_purged",  # workshop=: its participants' personal data removed
    "invitation.declined",         # invitation=
    "notes.state_changed",         # note=, to_state=
    "memo.state_changed",          # memo=, to_state=
})


def announce(event: str, **details) -> None:
    if event not in EVENTS:
        raise LookupError(f"unknown event {event!r}: add it to workshop.platform.events.EVENTS")
    for reaction in registry(current_app).reactions.get(event, ()):
        reaction(**details)


def install(app, table: dict) -> None:
    unknown = set(table) - EVENTS
    if unknown:
        raise LookupError(f"reactions to unknown events: {sorted(unknown)}")
    registry(app).reactions = {event: list(reactions) for event, reactions in table.items()}
