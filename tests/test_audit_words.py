"""The activity log reads in words, in the reader's language: no detail keys (``from_state``,
``agenda_item_id``), no class names and record numbers ("Memo #2"), no raw state codes."""

import re

import pytest

from tests.support.access import World, sign_in
from tests.test_platform_dates import visible_text
from workshop.platform.db import db


@pytest.fixture
def world(app):
    from workshop.memos import service as memos
    from workshop.notes import service as notes
    from workshop.registration import service as registration
    from workshop.registration.models import State

    world = World()
    notes.change_state(notes.note_for(world.item), "submit", world.rapporteur)
    memos.submit_for_review(memos.memo_for(world.workshop))
    registration.transition(world.registration, State.WITHDRAWN, actor="registrant", notify_registrant=False)
    db.session.commit()
    return world


def _log(client, world, language="en"):
    client.get(f"/?lang={language}")
    return visible_text(client.get(f"/manage/w/{world.workshop.slug}/audit").get_data(as_text=True))


def test_the_activity_log_names_changes_in_words(client, world):
    sign_in(client, world.organizer)
    text = _log(client, world)
    for code in ("from_state", "to_state", "agenda_item_id", "from_status", "AgendaItem", "registrant via token"):
        assert code not in text
    assert not re.search(r"#\d", text), "record numbers instead of words"
    assert "Status draft → submitted" in text and "Session Opening plenary" in text
    assert "Status confirmed → withdrawn" in text
    assert "the registrant, through their personal link" in text
    assert "(memo)" in text


def test_the_activity_log_is_in_the_readers_language(client, world):
    sign_in(client, world.organizer)
    text = _log(client, world, "fr")
    assert "confirmé → retiré" in text and "Statut" in text
