"""The demo agendas: illustrative 2012 programme, the open workshop's two days, idempotent."""

from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.support.ics import parse_checked
from workshop.agenda import service
from workshop.agenda.models import AgendaItem
from workshop.agenda.rules import time_problems
from workshop.demo import OPEN_SLUG, R2P_SLUG, load_demo
from workshop.workshops.service import get_public_workshop


def count(db):
    return db.session.scalar(sa.select(sa.func.count(AgendaItem.id)))


def test_the_demo_loads_both_agendas_once(app, db):
    load_demo(today=date(2030, 1, 10))
    loaded = count(db)
    lines = load_demo(today=date(2030, 1, 10))
    assert count(db) == loaded > 20
    assert any("already present" in line and R2P_SLUG in line for line in lines)


def test_the_2012_agenda_spans_24_to_26_february_in_new_york_and_says_it_is_illustrative(app, db):
    load_demo(today=date(2030, 1, 10))
    workshop = get_public_workshop(R2P_SLUG)
    items = service.items_for(workshop)
    zone = ZoneInfo("America/New_York")
    assert {i.starts_at.astimezone(zone).date() for i in items} == {date(2012, 2, 24), date(2012, 2, 25), date(2012, 2, 26)}
    for item in items:
        starts, ends = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
        assert time_problems(starts, ends, workshop.start_date, workshop.end_date) == []
    sessions = [i for i in items if i.kind in ("plenary", "working_session", "breakout")]
    assert sessions and all("Illustrative" in i.description for i in sessions)
    assert {"break", "meal"} <= {i.kind for i in items}
    titles = " ".join(i.title for i in items)
    assert "Early warning" in titles and "Regional" in titles and "future of the Focal Points Network" in titles


def test_the_open_workshop_agenda_follows_its_dates(app, db, client):
    load_demo(today=date(2030, 1, 10))
    workshop = get_public_workshop(OPEN_SLUG)
    zone = ZoneInfo(workshop.timezone)
    days = {i.starts_at.astimezone(zone).date() for i in service.items_for(workshop)}
    assert days == {workshop.start_date, workshop.end_date}
    for slug in (R2P_SLUG, OPEN_SLUG):
        parse_checked(client.get(f"/w/{slug}/calendar.ics").data)
        assert client.get(f"/w/{slug}/agenda").status_code == 200
