"""No form inside another, on every page the organizer, the rapporteur, a registrant and a visitor
reach; and the Restore buttons of a history page restore, submitted as a browser submits them.

A browser ignores a <form> opened inside another: the inner form's button submits the outer
form. That is how a Restore button inside the history's compare form led to the compare page.
"""

import pytest
import sqlalchemy as sa

from tests.support.access import World, build_url, sign_in
from tests.support.html import button_labelled, nested_forms
from workshop.platform.db import db

# Routes a GET must not be sent to here: it would sign the visitor out half-way.
NOT_VISITED = {"static", "auth.logout"}

# Pages the journeys must have reached, not just tried: a page that stopped answering 200 would
# otherwise drop out of the check unnoticed.
MUST_REACH = {
    "organizer": {
        "/manage/w/<slug>/", "/manage/w/<slug>/edit", "/manage/w/<slug>/agenda",
        "/manage/w/<slug>/notes/", "/manage/w/<slug>/notes/<int:item_id>",
        "/manage/w/<slug>/notes/<int:item_id>/history", "/manage/w/<slug>/memo/",
        "/manage/w/<slug>/memo/history", "/manage/w/<slug>/memo/settings",
        "/manage/w/<slug>/registrations", "/manage/w/<slug>/invitations",
        "/manage/w/<slug>/registration-settings", "/manage/w/<slug>/categories",
        "/manage/contacts/",
    },
    "rapporteur": {
        "/manage/w/<slug>/", "/manage/w/<slug>/notes/<int:item_id>",
        "/manage/w/<slug>/notes/<int:item_id>/history", "/manage/w/<slug>/memo/history",
    },
    "registrant": {"/registrations/<token>", "/registrations/<token>/edit", "/invitations/<token>"},
    "anonymous": {"/w/<slug>/", "/w/<slug>/agenda", "/w/<slug>/register", "/w/<slug>/memo"},
}


@pytest.fixture
def world(app):
    """The access-matrix world, with a second revision of the note and of the memo (so their
    history pages show Restore buttons) and a published memo for the public memo page (a
    published memo is unlocked again: its history still offers Restore)."""
    from workshop.memos import service as memos
    from workshop.notes import service as notes

    world = World()
    note = notes.note_for(world.item)
    notes.save(note, "Second draft of the session notes.", world.rapporteur, 1)
    memo = memos.memo_for(world.workshop)
    memos.save(memo, "## Key takeaways\n\nA second draft.", world.rapporteur, 1)
    memos.submit_for_review(memo)
    memos.approve(memo)
    memos.publish(memo, world.organizer)
    db.session.commit()
    return world


def _html_pages(app, client, world, role):
    """(rule, url, html) of every page the role gets with a 200 from a GET."""
    samples = world.samples(role)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in NOT_VISITED or "GET" not in rule.methods:
            continue
        values = dict(samples)
        if rule.rule.startswith("/invitations/"):
            values["token"] = values["invitation_token"]
        url = build_url(rule.rule, values)
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            yield rule.rule, url, response.get_data(as_text=True)


@pytest.mark.parametrize("role", sorted(MUST_REACH))
def test_no_page_nests_a_form_in_another(app, client, world, role):
    sign_in(client, world.user_for(role))
    reached, problems = set(), []
    for rule, url, html in _html_pages(app, client, world, role):
        reached.add(rule)
        problems += [f"{url}: {problem}" for problem in nested_forms(html)]
    assert MUST_REACH[role] <= reached, f"not reached: {sorted(MUST_REACH[role] - reached)}"
    assert problems == []


def _press(client, form, button):
    method, action, data = form.submit_with(button)
    if method == "GET":
        return client.get(action, query_string=data)
    return client.open(action, method=method, data=data)


def _restore_by_button(client, history_url: str, number: int):
    """Press the history page's Restore button of revision ``number``, as a browser would."""
    page = client.get(history_url).get_data(as_text=True)
    buttons = button_labelled(page, "Restore")
    assert buttons, "no Restore button on the history page"
    restore = [(form, button) for form, button in buttons if f"/restore/{number}" in form.action]
    assert len(restore) == 1, [form.action for form, _ in buttons]
    form, button = restore[0]
    assert form.method == "POST"
    return _press(client, form, button)


@pytest.fixture
def app_config(app_config):
    # The Restore forms must carry their own token: submitted as parsed, with CSRF on.
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_restore_on_the_memo_history_restores(app, client, world):
    from workshop.memos.models import Memo

    sign_in(client, world.rapporteur)
    response = _restore_by_button(client, f"/manage/w/{world.workshop.slug}/memo/history", 1)
    assert response.status_code == 302
    db.session.expire_all()
    memo = db.session.scalar(sa.select(Memo).where(Memo.workshop_id == world.workshop.id))
    assert [r.number for r in memo.revisions] == [1, 2, 3]
    assert memo.current.source == "## Key takeaways\n\nA first draft."
    assert memo.current.restored_from_number == 1


def test_restore_on_the_notes_history_restores(app, client, world):
    from workshop.notes.models import Note

    sign_in(client, world.rapporteur)
    url = f"/manage/w/{world.workshop.slug}/notes/{world.item.id}/history"
    response = _restore_by_button(client, url, 1)
    assert response.status_code == 302
    db.session.expire_all()
    note = db.session.scalar(sa.select(Note).where(Note.agenda_item_id == world.item.id))
    assert [r.number for r in note.revisions] == [1, 2, 3]
    assert note.current.source == "First draft of the session notes."
    assert note.current.restored_from_number == 1


def test_compare_on_the_history_still_compares(app, client, world):
    sign_in(client, world.rapporteur)
    page = client.get(f"/manage/w/{world.workshop.slug}/memo/history").get_data(as_text=True)
    [(form, button)] = button_labelled(page, "Compare selected")
    assert form.submit_with(button)[2] == {"a": ["1"], "b": ["2"]}
    response = _press(client, form, button)
    assert response.status_code == 200
    assert "Revision 1 compared with revision 2" in response.get_data(as_text=True)
