"""Demo agendas: an illustrative three-day agenda for the 2012 workshop, two days for the open one.

Idempotent: a workshop that already has agenda items (from an earlier run or from a user) is
left alone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from workshop.agenda import service
from workshop.agenda.models import AgendaItem, ItemKind
from workshop.agenda.rules import localize
from workshop.platform.db import db

ILLUSTRATIVE = "Illustrative agenda written for the demo: the published memo does not give the programme."

# (day offset, start, end, kind, title, room, description, guiding questions, chairs, speakers)
R2P_AGENDA = [
    (0, "12:00", "13:30", ItemKind.MEAL, "Arrival and lunch", "Dining room", "", "", [], []),
    (0, "13:30", "14:15", ItemKind.PLENARY, "Welcome and introductions", "Main hall",
     "Opening remarks by the conveners; purpose of the workshop and the Chatham House Rule.", "", ["chair_gc"], []),
    (0, "14:15", "15:45", ItemKind.WORKING_SESSION, "The mandate of a national R2P Focal Point", "Main hall",
     "What a Focal Point is appointed to do, where the post sits in government, and what it needs "
     "to be effective.",
     "What mandate have governments given their Focal Points so far?\n"
     "Where in government should the Focal Point sit to reach every ministry concerned?\n"
     "What resources and seniority make the role effective?", ["chair_dk"], ["speaker_gh", "speaker_cr"]),
    (0, "15:45", "16:15", ItemKind.BREAK, "Coffee break", "Foyer", "", "", [], []),
    (0, "16:15", "17:45", ItemKind.WORKING_SESSION, "Building national architecture for atrocity prevention",
     "Main hall", "Inter-ministerial mechanisms, national committees and the role of civil society.",
     "Which national mechanisms already exist that a Focal Point can build on?\n"
     "How can civil society and parliaments be involved?", ["chair_gh"], ["speaker_au"]),
    (0, "19:00", "21:00", ItemKind.MEAL, "Working dinner", "Dining room", "", "", [], []),
    (1, "08:00", "09:00", ItemKind.MEAL, "Breakfast", "Dining room", "", "", [], []),
    (1, "09:00", "10:30", ItemKind.PLENARY, "Early warning: from information to action", "Main hall",
     "How Focal Points receive, assess and act on early warning of atrocity risks.",
     "Which sources of early warning do Focal Points rely on?\n"
     "What stands between a warning and a decision to act?", ["chair_cr"], ["speaker_un"]),
    (1, "10:30", "11:00", ItemKind.BREAK, "Coffee break", "Foyer", "", "", [], []),
    (1, "11:00", "12:30", ItemKind.BREAKOUT, "Breakout A: Risk assessment in practice", "Room B",
     "Small-group discussion of national risk assessment frameworks.", "", ["chair_au"], []),
    (1, "11:00", "12:30", ItemKind.BREAKOUT, "Breakout B: Mainstreaming prevention across government", "Room C",
     "Small-group discussion on training, guidance and inter-agency coordination.", "", ["chair_dk"], []),
    (1, "12:30", "14:00", ItemKind.MEAL, "Lunch", "Dining room", "", "", [], []),
    (1, "14:00", "15:30", ItemKind.WORKING_SESSION, "Regional and sub-regional cooperation", "Main hall",
     "The role of regional organizations and neighbouring states in prevention and response.",
     "How can Focal Points work with regional early-warning systems?\n"
     "What can regional arrangements do that national ones cannot?", ["chair_gh"], ["speaker_gc"]),
    (1, "15:30", "16:00", ItemKind.BREAK, "Coffee break", "Foyer", "", "", [], []),
    (1, "16:00", "17:30", ItemKind.WORKING_SESSION, "Working with the United Nations system", "Main hall",
     "Links between national Focal Points and the UN Special Advisers on the Prevention of Genocide "
     "and on the Responsibility to Protect.", "", ["chair_cr"], ["speaker_un"]),
    (1, "18:30", "20:30", ItemKind.RECEPTION, "Reception", "Terrace", "", "", [], []),
    (2, "08:00", "09:00", ItemKind.MEAL, "Breakfast", "Dining room", "", "", [], []),
    (2, "09:00", "10:30", ItemKind.WORKING_SESSION, "The future of the Focal Points Network", "Main hall",
     "Growing the network, its working methods and its agenda for the second meeting.",
     "How should the network grow, and how fast?\n"
     "What should members expect from each other between meetings?", ["chair_au"], ["speaker_dk"]),
    (2, "10:30", "11:00", ItemKind.BREAK, "Coffee break", "Foyer", "", "", [], []),
    (2, "11:00", "12:00", ItemKind.PLENARY, "Closing plenary: takeaways for the second meeting", "Main hall",
     "Rapporteurs report back; conveners close the workshop.", "", ["chair_gc"], []),
    (2, "12:00", "13:00", ItemKind.MEAL, "Lunch and departures", "Dining room", "", "", [], []),
]

# Fictional people, marked as such: the memo names no one (Chatham House Rule).
R2P_PEOPLE = {
    "chair_gc": ("Session chair, Global Centre (illustrative)", "chair.globalcentre@demo.example"),
    "chair_dk": ("Session chair, Denmark (illustrative)", "chair.denmark@demo.example"),
    "chair_gh": ("Session chair, Ghana (illustrative)", "chair.ghana@demo.example"),
    "chair_cr": ("Session chair, Costa Rica (illustrative)", "chair.costarica@demo.example"),
    "chair_au": ("Session chair, Australia (illustrative)", "chair.australia@demo.example"),
    "speaker_gh": ("Focal Point, Ghana (illustrative)", "focalpoint.ghana@demo.example"),
    "speaker_cr": ("Focal Point, Costa Rica (illustrative)", "focalpoint.costarica@demo.example"),
    "speaker_au": ("Focal Point, Australia (illustrative)", "focalpoint.australia@demo.example"),
    "speaker_dk": ("Focal Point, Denmark (illustrative)", "focalpoint.denmark@demo.example"),
    "speaker_un": ("UN official (illustrative)", "un.official@demo.example"),
    "speaker_gc": ("Researcher, Global Centre (illustrative)", "researcher.globalcentre@demo.example"),
}

OPEN_AGENDA = [
    (0, "09:00", "09:30", ItemKind.MEAL, "Registration and coffee", "Foyer", "", "", [], []),
    (0, "09:30", "10:00", ItemKind.PLENARY, "Welcome and purpose of the workshop", "Room A",
     "The conveners open the workshop.", "", ["open_chair"], []),
    (0, "10:00", "11:30", ItemKind.WORKING_SESSION, "Early warning at the national level", "Room A",
     "How a national Focal Point turns early warning into early action.",
     "What information reaches the Focal Point, and how fast?\nWho decides what happens next?",
     ["open_chair"], ["open_speaker"]),
    (0, "11:30", "12:00", ItemKind.BREAK, "Coffee break", "Foyer", "", "", [], []),
    (0, "12:00", "13:00", ItemKind.BREAKOUT, "Breakouts: scenarios", "Rooms B and C",
     "Small groups work through a fictional early-warning scenario.", "", [], []),
    (0, "13:00", "14:00", ItemKind.MEAL, "Lunch", "Restaurant", "", "", [], []),
    (0, "14:00", "15:30", ItemKind.WORKING_SESSION, "Regional cooperation", "Room A",
     "Working with regional organizations and neighbours.", "", ["open_speaker"], []),
    (0, "18:00", "20:00", ItemKind.RECEPTION, "Reception", "Terrace", "", "", [], []),
    (1, "09:00", "10:30", ItemKind.WORKING_SESSION, "The network's next year", "Room A",
     "Priorities and working methods for the year ahead.",
     "What should the network do between meetings?", ["open_chair"], []),
    (1, "10:30", "11:00", ItemKind.BREAK, "Coffee break", "Foyer", "", "", [], []),
    (1, "11:00", "12:30", ItemKind.PLENARY, "Closing plenary: takeaways", "Room A",
     "Rapporteurs report back; the conveners close the workshop.", "", ["open_chair"], []),
]
OPEN_PEOPLE = {
    "open_chair": ("Demo Chair", "demo.chair@demo.example"),
    "open_speaker": ("Demo Speaker", "demo.speaker@demo.example"),
}


def _has_agenda(workshop) -> bool:
    return db.session.scalar(sa.select(AgendaItem.id).where(AgendaItem.workshop_id == workshop.id).limit(1)) is not None


def _load_agenda(workshop, rows, people, *, rapporteur, note: str = "") -> int:
    contacts = {key: service.find_or_create_contacts([pair])[0] for key, pair in people.items()}
    for offset, start, end, kind, title, room, description, questions, chairs, speakers in rows:
        day = workshop.start_date + timedelta(days=offset)
        if note and kind not in (ItemKind.BREAK, ItemKind.MEAL, ItemKind.RECEPTION):
            description = f"{description}\n\n{note}".strip()
        substantive = kind in (ItemKind.PLENARY, ItemKind.WORKING_SESSION, ItemKind.BREAKOUT)
        service.create_item(
            workshop, kind=kind, title=title, room=room, description=description,
            guiding_questions=questions,
            starts_at=_at(day, start, workshop.timezone), ends_at=_at(day, end, workshop.timezone),
            chairs=[contacts[k] for k in chairs], speakers=[contacts[k] for k in speakers],
            rapporteurs=[rapporteur] if substantive and rapporteur is not None else [],
        )
    return len(rows)


def _at(day: date, clock: str, tz_name: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return localize(datetime(day.year, day.month, day.day, hours, minutes), tz_name)


def load(demo) -> None:
    for workshop, rows, people, note in (
        (demo.r2p, R2P_AGENDA, R2P_PEOPLE, ILLUSTRATIVE),
        (demo.open_workshop, OPEN_AGENDA, OPEN_PEOPLE, ""),
    ):
        if _has_agenda(workshop):
            demo.lines.append(f"Agenda of {workshop.slug}: already present.")
            continue
        count = _load_agenda(workshop, rows, people, rapporteur=demo.rapporteur, note=note)
        demo.lines.append(f"Agenda of {workshop.slug}: {count} items loaded.")
