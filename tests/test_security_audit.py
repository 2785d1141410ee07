"""The audit log: entries written with the change they describe, shown to organizers only."""

import re
from datetime import date

import sqlalchemy as sa

from workshop.platform import audit
from workshop.platform.audit.models import AuditEntry
from workshop.workshops import service
from workshop.workshops.models import WorkshopStatus


def entries(db, action=None):
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def test_record_joins_the_callers_transaction_and_rolls_back_with_it(db, make_workshop):
    workshop = make_workshop()
    before = len(entries(db))
    audit.record("test.thing_done", workshop=workshop, actor="registrant via token", target=workshop)
    db.session.rollback()
    assert len(entries(db)) == before
    entry = audit.record("test.thing_done", workshop=workshop, actor="registrant via token",
                         target=workshop, reason="a <b>reason</b>")
    db.session.commit()
    stored = db.session.get(AuditEntry, entry.id)
    assert (stored.workshop_id, stored.actor_user_id, stored.actor_label) == (workshop.id, None, "registrant via token")
    assert (stored.object_type, stored.object_id) == ("Workshop", workshop.id)
    assert stored.detail == {"reason": "a <b>reason</b>"}


def test_detail_holds_dates_and_long_text_safely(db, make_workshop):
    workshop = make_workshop()
    entry = audit.record("test.detail", workshop=workshop, day=workshop.start_date, text="x" * 2000,
                         tags={"b", "a"})
    db.session.commit()
    detail = db.session.get(AuditEntry, entry.id).detail
    assert detail["day"] == workshop.start_date.isoformat()
    assert len(detail["text"]) < 600 and detail["tags"] == ["a", "b"]


def test_creating_editing_and_publishing_a_workshop_are_recorded_with_their_actor(db, make_user):
    organizer = make_user(name="Olu Organizer")
    workshop = service.create_workshop(organizer, title="Before", slug="audited",
                                       start_date=date(2030, 1, 1), end_date=date(2030, 1, 2))
    service.update_workshop(workshop, title="After", conveners=["Global Centre"])
    service.update_workshop(workshop, title="After")  # no change: no entry
    service.set_status(workshop, WorkshopStatus.PUBLISHED)
    actions = [e.action for e in entries(db) if e.workshop_id == workshop.id]
    assert actions == ["workshop.created", "workshop.updated", "workshop.status_changed"]
    created, updated, published = [e for e in entries(db) if e.workshop_id == workshop.id]
    assert created.actor_user_id == organizer.id and "Olu Organizer" in created.actor_label
    assert updated.detail["changes"]["title"] == ["Before", "After"]
    assert updated.detail["changes"]["conveners"] == ["", "Global Centre"]
    assert published.detail == {"from_status": "draft", "to_status": "published"}
    assert published.actor_label == "system"


def test_team_changes_made_through_the_pages_name_the_signed_in_organizer(
        db, client, make_user, make_workshop, login_as):
    organizer = make_user(name="Ama Organizer")
    colleague = make_user(email="colleague@example.org")
    workshop = make_workshop(organizer)
    login_as(organizer)
    client.post(f"/manage/w/{workshop.slug}/team", data={"email": colleague.email, "role": "rapporteur"})
    member = next(m for m in workshop.members if m.user_id == colleague.id)
    client.post(f"/manage/w/{workshop.slug}/team/{member.id}/remove")
    added, removed = entries(db, "team.member_added"), entries(db, "team.member_removed")
    assert len(added) == len(removed) == 1
    assert added[0].actor_user_id == organizer.id
    assert added[0].detail == {"email": "colleague@example.org", "role": "rapporteur"}
    assert (removed[0].object_type, removed[0].object_id) == ("WorkshopMember", member.id)


def test_the_log_page_lists_entries_newest_first_in_words(client, make_user, make_workshop, login_as):
    organizer = make_user()
    workshop = make_workshop(organizer)
    service.update_workshop(workshop, venue="Salle <XVII>")
    login_as(organizer)
    response = client.get(f"/manage/w/{workshop.slug}/audit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index("Workshop details changed") < page.index("Visibility changed") < page.index("Workshop created")
    assert "Salle &lt;XVII&gt;" in page and "<XVII>" not in page
    overview = client.get(f"/manage/w/{workshop.slug}/").get_data(as_text=True)
    assert f"/manage/w/{workshop.slug}/audit" in overview


def test_the_log_pages_on_past_the_first_hundred(client, db, make_user, make_workshop, login_as):
    organizer = make_user()
    workshop = make_workshop(organizer)
    for n in range(105):
        audit.record("test.bulk", workshop=workshop, n=n)
    db.session.commit()
    login_as(organizer)
    first = client.get(f"/manage/w/{workshop.slug}/audit").get_data(as_text=True)
    assert "Older entries" in first
    link = re.search(r'href="([^"]*before=\d+)"', first).group(1).replace("&amp;", "&")
    second = client.get(link).get_data(as_text=True)
    assert "Workshop created" in second and "Older entries" not in second


def test_only_organizers_and_admins_see_the_log(client, make_user, make_workshop, login_as):
    organizer, rapporteur, stranger = make_user(), make_user(), make_user()
    workshop = make_workshop(organizer)
    service.add_member(workshop, rapporteur.email, "rapporteur")
    assert client.get(f"/manage/w/{workshop.slug}/audit").status_code == 302
    login_as(rapporteur)
    assert client.get(f"/manage/w/{workshop.slug}/audit").status_code == 403
    client.post("/logout")
    login_as(stranger)
    assert client.get(f"/manage/w/{workshop.slug}/audit").status_code == 403


def test_agenda_notes_and_memo_changes_are_recorded(client, db, make_user, make_workshop, login_as):
    from tests.support.agenda import add_item
    from workshop.memos import service as memos
    from workshop.notes import service as notes

    organizer, rapporteur = make_user(name="Org"), make_user(name="Rap")
    workshop = make_workshop(organizer)
    service.add_member(workshop, rapporteur.email, "rapporteur")
    item = add_item(workshop, title="Opening plenary")
    note = notes.note_for(item)
    notes.save(note, "Notes.", rapporteur, None)
    notes.change_state(note, "submit", rapporteur)
    memo = memos.memo_for(workshop)
    memos.save(memo, "Memo text.", rapporteur, None)
    memos.submit_for_review(memo)
    login_as(organizer)
    assert client.post(f"/manage/w/{workshop.slug}/agenda/{item.id}/cancel").status_code == 302

    by_action = {e.action: e for e in entries(db) if e.workshop_id == workshop.id}
    assert by_action["agenda.item_created"].detail["title"] == "Opening plenary"
    assert by_action["notes.state_changed"].detail["to_state"] == "submitted"
    assert by_action["notes.state_changed"].actor_user_id == rapporteur.id
    assert by_action["memo.state_changed"].detail == {"from_state": "draft", "to_state": "in_review"}
    cancelled = by_action["agenda.item_cancelled"]
    assert cancelled.actor_user_id == organizer.id and cancelled.object_id == item.id
    page = client.get(f"/manage/w/{workshop.slug}/audit").get_data(as_text=True)
    assert "Agenda item cancelled" in page and "Memo: status changed" in page
