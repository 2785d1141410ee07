"""State labels: the reader sees a state in words of their language, never its stored code
('waitlisted', 'in_review'), wherever it is shown: tables, status chips, the filter, and the
messages that name a state ("Thank you: your registration is %(state)s")."""

import html as html_module
import re

import pytest
from flask_babel import force_locale

from tests.conftest import login
from tests.support.memo import add_item, add_member
from tests.support.registration import details, form_data, link_from_outbox, taking_registrations  # noqa: F401
from workshop.memos.models import MemoState
from workshop.notes.models import NoteState
from workshop.platform.states import state_choices, state_label
from workshop.registration.models import InvitationState, State
from workshop.workshops.models import Role, WorkshopStatus

KINDS = {"registration": State, "invitation": InvitationState, "memo": MemoState, "note": NoteState,
         "workshop": WorkshopStatus}


@pytest.mark.parametrize("kind", KINDS)
def test_every_state_has_a_label_translated_into_french(app, kind):
    codes = [state.value for state in KINDS[kind]]
    assert sorted(code for code, _ in state_choices(kind)) == sorted(codes)
    with app.test_request_context(), force_locale("fr"):
        untranslated = [code for code in codes if state_label(code, kind) == state_label_in_english(app, code, kind)]
    assert untranslated == []


def state_label_in_english(app, code, kind):
    with force_locale("en"):
        return state_label(code, kind)


def visible_text(response) -> str:
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_module.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_organizers_pages_show_registration_and_invitation_states_in_french(
        client, db, make_user, taking_registrations):
    from workshop.people import service as people
    from workshop.registration import invitations, service

    organizer = make_user(can_create_workshops=True)
    workshop = taking_registrations(capacity=1)
    add_member(workshop, organizer, Role.ORGANIZER)
    service.register(workshop, details(email="a@example.org", name="Ama Seated"))
    service.register(workshop, details(email="b@example.org", name="Bo Waiting"))
    invitations.invite(workshop, people.save_contact(None, name="Carla Invited", email="c@example.org"))
    db.session.commit()
    login(client, organizer)

    dashboard = visible_text(client.get(f"/manage/w/{workshop.slug}/registrations?lang=fr"))
    assert "confirmée" in dashboard and "sur liste d'attente #1" in dashboard
    assert "en attente d'approbation" in dashboard  # the By state table and the filter
    invited = visible_text(client.get(f"/manage/w/{workshop.slug}/invitations?lang=fr"))
    assert "en attente de réponse" in invited
    overview = visible_text(client.get(f"/manage/w/{workshop.slug}/?lang=fr"))
    assert "publié" in overview
    for page in (dashboard, invited, overview):
        assert not re.search(r"\b(waitlisted|confirmed|pending|published|unconfirmed)\b", page)


def test_the_registrant_reads_their_state_and_the_thank_you_in_french(client, db, taking_registrations):
    workshop = taking_registrations(confirm_email=True)
    client.post(f"/w/{workshop.slug}/register?lang=fr", data=form_data("ama@example.org"))
    link = link_from_outbox(db, "ama@example.org")
    before = visible_text(client.get(link + "?lang=fr"))
    assert "en attente de confirmation de l'adresse" in before and "unconfirmed" not in before
    answer = client.post(link + "/confirm?lang=fr", follow_redirects=True)
    page = visible_text(answer)
    assert "Merci : votre inscription est confirmée." in page
    assert "is confirmed" not in page and " confirmed" not in page


def test_notes_and_memo_states_in_french(client, db, make_user, make_workshop):
    from workshop.memos import service as memos
    from workshop.notes import service as notes

    organizer = make_user()
    workshop = make_workshop(organizer)
    item = add_item(workshop, "Session 1")
    note = notes.note_for(item)
    notes.save(note, "- said", organizer, None)
    notes.change_state(note, "submit", organizer)
    memo = memos.memo_for(workshop)
    memos.save(memo, "## Context\n\nWe met.\n", organizer, None)
    memos.submit_for_review(memo)
    db.session.commit()
    login(client, organizer)
    listed = visible_text(client.get(f"/manage/w/{workshop.slug}/notes/?lang=fr"))
    assert "soumises pour approbation" in listed and "submitted" not in listed
    memo_page = visible_text(client.get(f"/manage/w/{workshop.slug}/memo/?lang=fr"))
    assert "en cours d'examen" in memo_page and "in review" not in memo_page and "in_review" not in memo_page
