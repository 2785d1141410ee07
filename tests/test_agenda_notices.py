"""Agenda changes on a published workshop: one message per participant after a quiet period,
updates and cancellations only for the events they were sent, and the organizer's choice."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.agenda import add_item
from tests.support.itip import itip_parts
from tests.support.registration import body, details, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, delivered, smtp_server  # noqa: F401
from workshop.platform.types import utcnow


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url, "AGENDA_NOTICE_DELAY_SECONDS": 600}




def tell_after(minutes: int) -> int:
    """The worker's round job, as if ``minutes`` had passed since now."""
    from workshop.platform.db import db
    from workshop.registration import session_notices

    queued = session_notices.send_due_notices(now=utcnow() + timedelta(minutes=minutes))
    db.session.commit()
    return queued


@pytest.fixture
def told(app, db, smtp_server, taking_registrations):
    """A published workshop with two sessions its two confirmed participants were sent."""
    from workshop.registration import service

    workshop = taking_registrations()
    opening = add_item(workshop, start="09:00", end="10:00", title="Opening", room="Room A")
    dialogue = add_item(workshop, start="11:00", end="12:00", title="Dialogue", room="Room A")
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    service.register(workshop, details(email="ben@example.org", name="Ben Osei"))
    assert tell_after(11) == 2
    first = delivered(app, smtp_server)
    [ama] = [m for m in first["ama@example.org"] if "New session" in str(m["Subject"]) or "Agenda" in str(m["Subject"])]
    assert sorted(p.method for p in itip_parts(ama)) == ["REQUEST", "REQUEST"]
    return workshop, opening, dialogue


def test_changes_close_together_reach_each_participant_once_after_the_quiet_period(app, db, smtp_server, told):
    from workshop.agenda import service as agenda

    workshop, opening, dialogue = told
    agenda.update_item(opening, room="Room B")
    agenda.update_item(opening, starts_at=opening.starts_at + timedelta(minutes=30),
                       ends_at=opening.ends_at + timedelta(minutes=30))
    agenda.cancel_item(dialogue)
    db.session.commit()
    assert delivered(app, smtp_server) == {}  # the worker's round: still within the quiet period
    assert tell_after(5) == 0
    assert tell_after(11) == 2
    received = delivered(app, smtp_server)
    assert set(received) == {"ama@example.org", "ben@example.org"}
    [message] = received["ama@example.org"]
    assert str(message["Subject"]) == f"Agenda changes: {workshop.title}"
    parts = {str(p.event["UID"]): p for p in itip_parts(message)}
    assert parts[f"session-{opening.id}@workshop.test"].method == "REQUEST"
    assert "Room B" in str(parts[f"session-{opening.id}@workshop.test"].event["LOCATION"])
    assert parts[f"session-{dialogue.id}@workshop.test"].method == "CANCEL"
    text = body(message)
    assert "Opening" in text and "09:30" in text and "Cancelled:" in text and "Dialogue" in text
    assert "One calendar file per session is attached" in text
    assert tell_after(30) == 0  # told once


def test_a_session_added_and_cancelled_within_the_quiet_period_is_never_news(app, db, smtp_server, told):
    from workshop.agenda import service as agenda

    workshop, _opening, _dialogue = told
    extra = add_item(workshop, start="14:00", end="15:00", title="Added by mistake")
    agenda.cancel_item(extra)
    assert tell_after(11) == 0
    assert delivered(app, smtp_server) == {}


def test_a_participant_never_sent_an_event_is_told_the_change_adds_it_to_their_calendar(app, db, smtp_server, told):
    from workshop.agenda import service as agenda
    from workshop.registration import service

    workshop, opening, _dialogue = told
    service.register(workshop, details(email="late@example.org", name="Late Comer"))
    delivered(app, smtp_server)  # the confirmation
    agenda.update_item(opening, room="Room C")
    tell_after(11)
    received = delivered(app, smtp_server)
    [late] = received["late@example.org"]
    [ama] = received["ama@example.org"]
    # The session changed for both; only Ama's calendar has it to move, the late comer's
    # calendar gets its first copy, and the words say so.
    assert str(late["Subject"]) == str(ama["Subject"]) == "Session changed: Opening"
    [late_part], [ama_part] = itip_parts(late), itip_parts(ama)
    assert late_part.method == ama_part.method == "REQUEST"
    assert "adds the session to your calendar" in body(late)
    assert "moves the session in your calendar" not in body(late)
    assert "moves the session in your calendar" in body(ama)

    # Cancelled after that: the late comer now holds the event too, so both get a CANCEL.
    agenda.cancel_item(opening)
    tell_after(11)
    received = delivered(app, smtp_server)
    assert [p.method for p in itip_parts(received["late@example.org"][0])] == ["CANCEL"]


def test_a_cancelled_session_they_were_never_sent_is_said_in_words_without_a_cancel(app, db, smtp_server, told):
    from workshop.agenda import service as agenda
    from workshop.registration import service

    workshop, _opening, dialogue = told
    service.register(workshop, details(email="late@example.org", name="Late Comer"))
    delivered(app, smtp_server)
    agenda.cancel_item(dialogue)
    tell_after(11)
    received = delivered(app, smtp_server)
    [late] = received["late@example.org"]
    assert itip_parts(late) == []
    assert str(late["Subject"]) == "Session cancelled: Dialogue" and "Cancelled:" in body(late)
    assert [p.method for p in itip_parts(received["ama@example.org"][0])] == ["CANCEL"]


def test_the_organizer_may_tell_nobody(app, db, smtp_server, told):
    from workshop.agenda import service as agenda

    workshop, opening, dialogue = told
    agenda.update_item(opening, room="Room Q", tell_participants=False)
    agenda.cancel_item(dialogue, tell_participants=False)
    add_item(workshop, start="16:00", end="17:00", title="Quiet addition")  # told by default
    assert tell_after(11) == 2
    received = delivered(app, smtp_server)
    [message] = received["ama@example.org"]
    assert str(message["Subject"]) == "New session: Quiet addition"


def test_a_zero_delay_tells_at_the_worker_s_next_round(app, db, smtp_server, told):
    from workshop.agenda import service as agenda

    app.config["AGENDA_NOTICE_DELAY_SECONDS"] = 0
    _workshop, opening, _dialogue = told
    agenda.update_item(opening, room="Room Z")
    received = delivered(app, smtp_server)  # the round job runs first, then delivery
    assert [str(m["Subject"]) for m in received["ama@example.org"]] == ["Session changed: Opening"]


def test_a_failing_round_job_does_not_stop_delivery(app, db, smtp_server, monkeypatch):
    from workshop.platform.mail.outbox import queue_mail
    from workshop.platform.registry import registry

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(registry(app), "worker_rounds", [broken, *registry(app).worker_rounds])
    queue_mail("x@example.org", "test_message", subject="Still delivered", context={})
    assert [str(m["Subject"]) for m in delivered(app, smtp_server)["x@example.org"]] == ["Still delivered"]


# The organizer's pages --------------------------------------------------------------------------


def test_cancelling_asks_first_and_offers_to_tell_participants(app, db, client, told, login_as, make_user):
    from workshop.platform.db import db as database
    from workshop.registration.notice_models import PendingSessionNotice
    from workshop.workshops.models import Role, WorkshopMember

    workshop, opening, dialogue = told
    organizer = make_user()
    database.session.add(WorkshopMember(workshop_id=workshop.id, user_id=organizer.id, role=Role.ORGANIZER))
    database.session.commit()
    login_as(organizer)
    manage = client.get(f"/manage/w/{workshop.slug}/agenda").get_data(as_text=True)
    confirm_url = f"/manage/w/{workshop.slug}/agenda/{dialogue.id}/cancel"
    assert f'href="{confirm_url}"' in manage  # a link to a confirmation, not a one-click form
    page = client.get(confirm_url).get_data(as_text=True)
    assert "Cancel “Dialogue”?" in page
    box = re.search(r'<input[^>]*name="tell_participants"[^>]*>', page).group(0)
    assert "checked" in box  # on by default once published
    # Unticked: the item is cancelled, nobody is told.
    assert client.post(confirm_url, data={}).status_code == 302
    database.session.expire_all()
    assert dialogue.status == "cancelled"
    assert database.session.scalar(sa.select(sa.func.count(PendingSessionNotice.id))) == 0
    # The move form has the choice too, on by default.
    move = client.get(f"/manage/w/{workshop.slug}/agenda/{opening.id}/move").get_data(as_text=True)
    assert 'name="tell_participants"' in move
    response = client.post(f"/manage/w/{workshop.slug}/agenda/{opening.id}/move", data={
        "starts_at": "2030-06-01T09:30", "ends_at": "2030-06-01T10:30", "room": "Room A",
        "tell_participants": "y"}, follow_redirects=True)
    assert "Participants get one message about your changes" in response.get_data(as_text=True)
    assert database.session.scalar(sa.select(sa.func.count(PendingSessionNotice.id))) == 1
