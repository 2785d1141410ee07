"""Compiling from notes never replaces text edited since the last compile without showing it
and asking; the text before is one click away; newly approved notes can be added on their own."""

import sqlalchemy as sa

from tests.support.memo import add_item, add_member, approved_note
from workshop.memos import service
from workshop.memos.compile import SessionNotes, append_sessions, compile_memo
from workshop.platform.db import db
from workshop.workshops.models import Role


def _setting(make_user, make_workshop):
    organizer = make_user(name="Olga Organizer")
    rapporteur = make_user(name="Rita Rapporteur")
    workshop = make_workshop(organizer, title="Compile workshop", description="Why we met.")
    add_member(workshop, rapporteur, Role.RAPPORTEUR)
    return workshop, organizer, rapporteur


def test_appending_keeps_every_edited_line_and_adds_themes_and_recommendations():
    compiled = compile_memo("Ctx", [SessionNotes("One", "First point.\n\n## Recommendations\n\n- do A")])
    edited = compiled.replace("First point.", "First point, a name taken out by hand.")
    added = append_sessions(edited, [SessionNotes("Two", "Second point.\n\n## Recommendation\n\n- do B")])
    assert "First point, a name taken out by hand." in added
    assert added.index("### One") < added.index("### Two") < added.index("## Recommendations")
    assert added.index("- do A") < added.index("- do B")
    # Appending to an untouched compile gives what a full compile would have given.
    full = compile_memo("Ctx", [SessionNotes("One", "First point."), SessionNotes("Two", "Second point.")])
    assert append_sessions(compile_memo("Ctx", [SessionNotes("One", "First point.")]),
                           [SessionNotes("Two", "Second point.")]) == full
    assert "### Two" in append_sessions("Hand-written only.", [SessionNotes("Two", "x")])


def test_compiling_over_hand_edits_shows_what_goes_and_asks_then_offers_the_old_text_back(
        app, client, make_user, make_workshop, login_as):
    workshop, organizer, rapporteur = _setting(make_user, make_workshop)
    item = add_item(workshop, "Session 1", hours=1)
    approved_note(item, "- Ama Mensah said the first point", organizer)
    login_as(rapporteur)
    base = f"/manage/w/{workshop.slug}/memo"
    assert client.post(f"{base}/compile").status_code == 302  # nothing written yet: compiled at once
    memo = service.memo_for(workshop)
    db.session.refresh(memo)
    assert memo.current.number == 1 and memo.compiled_revision_number == 1 and memo.compiled_at is not None
    edited = memo.current.source.replace("Ama Mensah said the first point", "A participant said the first point")
    service.save(memo, edited, rapporteur, 1)
    db.session.commit()

    manage = client.get(f"{base}/").get_data(as_text=True)
    assert f'href="{base}/compile"' in manage  # a link to the preview, not a button that replaces
    response = client.post(f"{base}/compile")  # a stale page's button, or a script
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base}/compile")
    db.session.expire_all()
    assert service.memo_for(workshop).current.number == 2  # nothing replaced

    preview = client.get(f"{base}/compile").get_data(as_text=True)
    assert "Compile from notes?" in preview and "revision 2" in preview
    assert "A participant said the first point" in preview and "Ama Mensah said the first point" in preview
    assert 'name="base" type="hidden" value="2"' in preview

    assert client.post(f"{base}/compile", data={"base": "1"}).status_code == 302  # seen an older text
    db.session.expire_all()
    assert service.memo_for(workshop).current.number == 2
    client.post(f"{base}/compile", data={"base": "2"})
    db.session.expire_all()
    memo = service.memo_for(workshop)
    assert memo.current.number == 3 and "Ama Mensah said" in memo.current.source
    assert memo.compiled_revision_number == 3

    manage = client.get(f"{base}/").get_data(as_text=True)
    assert "Restore revision 2" in manage and f'action="{base}/restore/2"' in manage
    client.post(f"{base}/restore/2")
    db.session.expire_all()
    memo = service.memo_for(workshop)
    assert memo.current.number == 4 and "A participant said" in memo.current.source
    assert memo.edited_since_compile  # the restored text counts as edited: the next compile asks


def test_only_the_notes_approved_since_the_last_compile_are_added_and_edits_stay(
        app, client, make_user, make_workshop, login_as):
    workshop, organizer, rapporteur = _setting(make_user, make_workshop)
    first = add_item(workshop, "Session 1", hours=1)
    second = add_item(workshop, "Session 2", hours=3)
    approved_note(first, "- first point", organizer)
    memo = service.memo_for(workshop)
    service.compile_from_notes(memo, rapporteur)
    service.save(memo, memo.current.source.replace("- first point", "- first point, edited"), rapporteur,
                 memo.current.number)
    db.session.commit()
    assert service.notes_since_compile(memo) == []
    approved_note(second, "- second point\n\n## Recommendations\n\n- act on two", organizer)
    db.session.commit()
    assert [item.title for item, _ in service.notes_since_compile(memo)] == ["Session 2"]

    login_as(rapporteur)
    base = f"/manage/w/{workshop.slug}/memo"
    manage = client.get(f"{base}/").get_data(as_text=True)
    assert "Add the 1 note approved since the last compile" in manage
    assert "Add only the new notes" in client.get(f"{base}/compile").get_data(as_text=True)
    client.post(f"{base}/compile/new-notes", data={"base": str(memo.current.number)})
    db.session.expire_all()
    memo = service.memo_for(workshop)
    text = memo.current.source
    assert "- first point, edited" in text and "### Session 2" in text and "- act on two" in text
    assert text.count("### Session 1") == 1
    assert service.notes_since_compile(memo) == []
    assert memo.edited_since_compile  # the hand edit before is still not the compile's
    assert "note approved since the last compile" not in client.get(f"{base}/").get_data(as_text=True)
    actions = db.session.scalars(sa.text("SELECT action FROM audit_entries WHERE action LIKE 'memo.%'")).all()
    assert "memo.notes_added" in actions
