"""Attribution rules: on the record, Chatham House Rule or closed, on the workshop and on each
session. Shown on the agenda, in the letters and the notes editor; a closed session's notes never
enter the memo; the memo's check follows the strictest rule of the sessions it draws on; under the
Chatham House Rule the participant list is for confirmed participants only."""

import pytest

from tests.support.memo import add_item, add_member, approved_note
from tests.support.registration import body, details, link_from_outbox, outbox, taking_registrations  # noqa: F401
from workshop.agenda.models import PersonRole
from workshop.memos import service as memos
from workshop.memos.models import MemoState
from workshop.platform.db import db
from workshop.registration import service as registration
from workshop.workshops import service as workshops
from workshop.workshops.attribution_rules import AttributionRule, strictest
from workshop.workshops.models import Role


@pytest.fixture
def team(make_user, make_workshop):
    organizer, rapporteur = make_user(name="Olga Organizer"), make_user(name="Rita Rapporteur")
    workshop = make_workshop(organizer)
    add_member(workshop, rapporteur, Role.RAPPORTEUR)
    return workshop, organizer, rapporteur


def test_the_strictest_rule_wins_and_the_default_is_the_chatham_house_rule(make_workshop):
    assert strictest(["on_record", "chatham_house"]) == "chatham_house"
    assert strictest(["on_record", "closed", "chatham_house"]) == "closed"
    assert strictest([], default="on_record") == "on_record"
    assert make_workshop().attribution_rule == AttributionRule.CHATHAM_HOUSE


def test_the_organizer_sets_the_workshops_rule_and_a_sessions_own(client, login_as, team):
    workshop, organizer, _ = team
    login_as(organizer)
    form = client.get(f"/manage/w/{workshop.slug}/edit").get_data(as_text=True)
    assert 'name="attribution_rule"' in form and "Chatham House Rule" in form
    response = client.post(f"/manage/w/{workshop.slug}/edit", data={
        "title": workshop.title, "slug": workshop.slug, "timezone": workshop.timezone,
        "start_date": workshop.start_date.isoformat(), "end_date": workshop.end_date.isoformat(),
        "attribution_rule": "on_record"})
    assert response.status_code == 302
    db.session.expire_all()
    assert workshop.attribution_rule == "on_record"
    item = add_item(workshop, "Closed-door session")
    response = client.post(f"/manage/w/{workshop.slug}/agenda/{item.id}/edit", data={
        "kind": "working_session", "title": "Closed-door session", "starts_at": "2030-06-01T10:00",
        "ends_at": "2030-06-01T11:00", "attribution_rule": "closed"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert item.attribution_rule == "closed" and item.rule == "closed"
    manage = client.get(f"/manage/w/{workshop.slug}/agenda").get_data(as_text=True)
    assert "Attribution rule of the workshop: On the record." in manage and "Closed (no record)" in manage
    public = client.get(f"/w/{workshop.slug}/agenda").get_data(as_text=True)
    assert "On the record: what is said may be attributed to the speaker." in public
    assert "Closed (no record)" in public and "Sessions held under another rule say so." in public
    # Back to the workshop's rule: the session follows it again.
    client.post(f"/manage/w/{workshop.slug}/agenda/{item.id}/edit", data={
        "kind": "working_session", "title": "Closed-door session", "starts_at": "2030-06-01T10:00",
        "ends_at": "2030-06-01T11:00", "attribution_rule": ""})
    db.session.expire_all()
    assert item.attribution_rule is None and item.rule == "on_record"


def test_an_unknown_rule_is_a_field_error_or_a_refusal_in_words(client, login_as, team):
    workshop, organizer, _ = team
    with pytest.raises(workshops.WorkshopError):
        workshops.update_workshop(workshop, attribution_rule="off_the_record")
    db.session.rollback()
    login_as(organizer)
    item = add_item(workshop, "Session")
    response = client.post(f"/manage/w/{workshop.slug}/agenda/{item.id}/edit", data={
        "kind": "working_session", "title": "Session", "starts_at": "2030-06-01T10:00",
        "ends_at": "2030-06-01T11:00", "attribution_rule": "whispered"})
    assert response.status_code == 422 and 'role="alert"' in response.get_data(as_text=True)


def test_the_notes_editor_says_the_sessions_rule(client, login_as, team):
    workshop, _, rapporteur = team
    item = add_item(workshop, "Session 1")
    closed = add_item(workshop, "Session 2", hours=2)
    closed.attribution_rule = "closed"
    db.session.commit()
    login_as(rapporteur)
    page = client.get(f"/manage/w/{workshop.slug}/notes/{item.id}").get_data(as_text=True)
    assert "Chatham House Rule: participants are free to use the information received" in page
    page = client.get(f"/manage/w/{workshop.slug}/notes/{closed.id}").get_data(as_text=True)
    assert "Closed: the discussion is not recorded" in page and "they never enter the memo" in page


def test_a_closed_sessions_notes_never_enter_the_memo(team):
    workshop, organizer, rapporteur = team
    open_item = add_item(workshop, "Open session")
    closed = add_item(workshop, "Closed session", hours=2)
    closed.attribution_rule = "closed"
    db.session.commit()
    approved_note(open_item, "Early warning must lead to early action.", organizer)
    approved_note(closed, "Something said behind closed doors.", organizer)
    memo = memos.memo_for(workshop)
    memos.compile_from_notes(memo, rapporteur)
    assert "early action" in memo.current.source
    assert "closed doors" not in memo.current.source and "Closed session" not in memo.current.source
    assert memos.notes_since_compile(memo) == []


def test_the_check_follows_the_strictest_rule_of_the_sessions_the_memo_draws_on(team):
    workshop, organizer, rapporteur = team
    workshop.attribution_rule = "on_record"
    first = add_item(workshop, "Session 1", people=[("Kofi Mensah", "", PersonRole.SPEAKER)])
    second = add_item(workshop, "Session 2", hours=2)
    approved_note(first, "Mensah presented.", organizer)
    memo = memos.memo_for(workshop)
    memos.compile_from_notes(memo, rapporteur)
    assert memos.check_rule(memo) == "on_record" and not memos.check_required(memo)
    assert memos.unresolved_names(memo) == ["Kofi Mensah"]  # offered all the same
    memos.submit_for_review(memo)
    memos.approve(memo)  # on the record: the name may stay
    assert memo.state == MemoState.APPROVED
    memos.reopen(memo)
    second.attribution_rule = "chatham_house"
    approved_note(second, "Nothing identifying.", organizer)
    assert memos.check_rule(memo) == "chatham_house" and memos.check_required(memo)
    memos.submit_for_review(memo)
    with pytest.raises(memos.AttributionUnresolved):
        memos.approve(memo)


def test_the_memo_page_says_which_rule_the_check_applies(client, login_as, team):
    workshop, organizer, rapporteur = team
    workshop.attribution_rule = "on_record"
    item = add_item(workshop, "Session 1", people=[("Kofi Mensah", "", PersonRole.SPEAKER)])
    approved_note(item, "Mensah presented.", organizer)
    memo = memos.memo_for(workshop)
    memos.compile_from_notes(memo, rapporteur)
    memos.submit_for_review(memo)
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/memo/").get_data(as_text=True)
    assert "The sessions the memo draws on are held under: On the record." in page
    assert "approval does not need the non-attribution check" in page
    assert 'name="accept"' not in page and "<mark>Mensah</mark>" in page


def test_under_the_chatham_house_rule_the_list_is_for_confirmed_participants_only(client, taking_registrations):
    from email import policy
    from email.parser import BytesParser

    workshop = taking_registrations(participants_published=True)
    registration.register(workshop, details(email="ama@example.org", name="Ama Mensah", consent="public"))
    db.session.commit()
    assert client.get(f"/w/{workshop.slug}/participants").status_code == 404
    assert 'participants"' not in client.get(f"/w/{workshop.slug}/").get_data(as_text=True).split("<main")[1]
    [row] = [row for row in outbox(db) if "ama@example.org" in row.recipients]
    letter = BytesParser(policy=policy.default).parsebytes(row.raw)
    for text in (body(letter), body(letter, "html")):
        assert "neither the identity nor the affiliation of the speaker" in text
        assert "The participant list is shown to confirmed participants only" in text
    own = client.get(link_from_outbox(db, "ama@example.org") + "/participants")
    assert own.status_code == 200 and "Ama Mensah" in own.get_data(as_text=True)
    workshop.attribution_rule = "on_record"
    db.session.commit()
    assert "Ama Mensah" in client.get(f"/w/{workshop.slug}/participants").get_data(as_text=True)
