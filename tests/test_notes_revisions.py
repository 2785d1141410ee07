"""Session notes: revisions, restore, optimistic concurrency, the state machine and access."""

import threading

import pytest

from tests.conftest import csrf_token_from
from tests.support.memo import add_item, add_member
from workshop.platform.db import db
from workshop.notes import service
from workshop.platform import revisions
from workshop.notes.models import Note, NoteState
from workshop.workshops.models import Role


@pytest.fixture
def setting(make_user, make_workshop):
    organizer = make_user(name="Olga Organizer")
    rapporteur = make_user(name="Rita Rapporteur")
    workshop = make_workshop(organizer)
    add_member(workshop, rapporteur, Role.RAPPORTEUR)
    item = add_item(workshop, "Opening plenary")
    return workshop, item, organizer, rapporteur


def test_every_save_is_a_revision_with_author_and_base(setting):
    _, item, organizer, rapporteur = setting
    note = service.note_for(item)
    first = service.save(note, "First *draft*", rapporteur, None)
    second = service.save(note, "Second draft", organizer, first.number)
    assert [r.number for r in note.revisions] == [1, 2]
    assert first.author.id == rapporteur.id and first.base_number is None
    assert second.author.id == organizer.id and second.base_number == 1
    assert first.html == "<p>First <em>draft</em></p>\n"
    assert first.created_at.tzinfo is not None


def test_saving_unchanged_text_adds_no_revision(setting):
    _, item, _, rapporteur = setting
    note = service.note_for(item)
    first = service.save(note, "Same", rapporteur, None)
    assert service.save(note, "Same", rapporteur, 1) is first
    assert len(note.revisions) == 1


def test_a_stale_base_is_refused_and_keeps_both_texts(setting):
    _, item, organizer, rapporteur = setting
    note = service.note_for(item)
    service.save(note, "base text", rapporteur, None)
    service.save(note, "organizer's edit", organizer, 1)
    with pytest.raises(revisions.StaleRevision) as caught:
        service.save(note, "rapporteur's edit", rapporteur, 1)
    assert caught.value.current.source == "organizer's edit"
    assert caught.value.submitted_source == "rapporteur's edit"
    assert note.current.source == "organizer's edit"  # nothing overwritten
    assert len(note.revisions) == 2


def test_saving_a_first_revision_twice_from_an_empty_form_conflicts(setting):
    _, item, organizer, rapporteur = setting
    note = service.note_for(item)
    service.save(note, "one", rapporteur, None)
    with pytest.raises(revisions.StaleRevision):
        service.save(note, "two", organizer, None)


def test_two_racing_saves_on_the_same_base_cannot_both_win(app, setting):
    """The unique (note, number) constraint decides a race the in-memory check cannot see."""
    _, item, organizer, rapporteur = setting
    note = service.note_for(item)
    service.save(note, "base", rapporteur, None)
    db.session.commit()  # services only flush: the writers' own sessions must see the note
    note_id = note.id
    barrier = threading.Barrier(2)
    outcomes = []

    def writer(text, user_id):
        with app.app_context():
            from workshop.auth.models import User

            mine = db.session.get(Note, note_id)
            _ = mine.revisions  # both read revision 1 as current
            barrier.wait()
            try:
                service.save(mine, text, db.session.get(User, user_id), 1)
                db.session.commit()  # as the request would at its end
                outcomes.append("saved")
            except revisions.StaleRevision:
                db.session.rollback()
                outcomes.append("conflict")
            except Exception as error:  # SQLite may refuse the second writer outright
                db.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(f"edit {n}", u.id)) for n, u in enumerate((organizer, rapporteur))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    # Both writers ran to an answer (a writer that failed before saving proves nothing), and one won.
    assert len(outcomes) == 2 and outcomes.count("saved") == 1, outcomes
    assert [r.number for r in db.session.get(Note, note_id).revisions] == [1, 2]


def test_restore_makes_a_new_revision_with_the_old_text(setting):
    _, item, organizer, rapporteur = setting
    note = service.note_for(item)
    service.save(note, "original", rapporteur, None)
    service.save(note, "vandalized", organizer, 1)
    restored = service.restore(note, 1, organizer)
    assert restored.number == 3 and restored.source == "original"
    assert restored.restored_from_number == 1 and restored.base_number == 2
    assert [r.source for r in note.revisions] == ["original", "vandalized", "original"]


def test_side_by_side_diff_marks_changed_added_and_removed_lines():
    rows = revisions.side_by_side("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(r.kind, r.left, r.right) for r in rows] == [
        ("equal", "a", "a"), ("changed", "b", "B"), ("equal", "c", "c"), ("added", "", "d")]
    assert [r.kind for r in revisions.side_by_side("x\ny", "x")] == ["equal", "removed"]
    assert "-b\n+B" in revisions.unified("a\nb\n", "a\nB\n", "r1", "r2")


def test_state_machine_draft_submitted_approved_reopened(setting):
    _, item, organizer, rapporteur = setting
    note = service.note_for(item)
    with pytest.raises(service.NoteError):
        service.change_state(note, "submit", rapporteur)  # nothing written yet
    service.save(note, "text", rapporteur, None)
    service.change_state(note, "submit", rapporteur)
    assert note.state == NoteState.SUBMITTED
    with pytest.raises(service.NoteError):
        service.change_state(note, "submit", rapporteur)
    service.change_state(note, "approve", organizer)
    assert note.state == NoteState.APPROVED and note.is_locked
    with pytest.raises(service.NoteError):
        service.save(note, "late change", rapporteur, 1)
    with pytest.raises(service.NoteError):
        service.restore(note, 1, rapporteur)
    service.change_state(note, "reopen", organizer)
    assert note.state == NoteState.DRAFT
    service.save(note, "late change", rapporteur, 1)
    assert note.current.number == 2


def test_approved_notes_come_in_agenda_order_and_only_when_approved(make_user, make_workshop):
    user = make_user()
    workshop = make_workshop(user)
    late = add_item(workshop, "Late", hours=5)
    early = add_item(workshop, "Early", hours=1)
    draft = add_item(workshop, "Draft only", hours=3)
    for item in (late, early, draft):
        service.save(service.note_for(item), item.title, user, None)
    for item in (late, early):
        service.change_state(service.note_for(item), "approve", user)
    assert [item.title for item, _ in service.approved_notes(workshop)] == ["Early", "Late"]


# Through the web ----------------------------------------------------------------------------


def _edit_url(workshop, item):
    return f"/manage/w/{workshop.slug}/notes/{item.id}"


def test_rapporteur_writes_notes_and_sees_them_rendered(client, login_as, setting):
    workshop, item, _, rapporteur = setting
    login_as(rapporteur)
    page = client.get(_edit_url(workshop, item))
    assert page.status_code == 200
    assert service.find_note(item) is None  # viewing writes nothing
    assert 'src="/static/notes.js"' in page.get_data(as_text=True)
    assert "<script>" not in page.get_data(as_text=True).replace('<script src', '')
    response = client.post(_edit_url(workshop, item), data={"source": "**Key point**", "base_number": ""})
    assert response.status_code == 302 and "saved=1" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Key point</strong>" in page
    assert 'data-autosave-clear="true"' in page


def test_stale_save_through_the_form_shows_the_conflict_page(client, login_as, setting):
    workshop, item, organizer, rapporteur = setting
    note = service.note_for(item)
    service.save(note, "line one\nline two", rapporteur, None)
    service.save(note, "line one\nline two (organizer)", organizer, 1)
    login_as(rapporteur)
    response = client.post(_edit_url(workshop, item), data={"source": "line one\nline two (rapporteur)", "base_number": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved first" in html
    assert "line two (organizer)" in html and "line two (rapporteur)" in html
    assert 'name="base_number" type="hidden" value="2"' in html
    assert "diff-changed" in html
    # Merging from the conflict page saves on top of revision 2.
    merged = client.post(_edit_url(workshop, item), data={"source": "line one\nline two (both)", "base_number": "2"})
    assert merged.status_code == 302
    db.session.expire_all()
    assert [r.source for r in db.session.get(Note, note.id).revisions][-1] == "line one\nline two (both)"


def test_history_compare_and_restore_pages(client, login_as, setting):
    workshop, item, organizer, rapporteur = setting
    note = service.note_for(item)
    service.save(note, "alpha\nbeta", rapporteur, None)
    service.save(note, "alpha\ngamma", organizer, 1)
    login_as(rapporteur)
    history = client.get(_edit_url(workshop, item) + "/history").get_data(as_text=True)
    assert "Revision 2" in history and "Rita Rapporteur" in history and "Olga Organizer" in history
    compare = client.get(_edit_url(workshop, item) + "/compare?a=1&b=2").get_data(as_text=True)
    assert "beta" in compare and "gamma" in compare and "-beta" in compare
    assert client.get(_edit_url(workshop, item) + "/compare?a=1&b=9").status_code == 404
    assert client.post(_edit_url(workshop, item) + "/restore/1").status_code == 302
    db.session.expire_all()
    assert db.session.get(Note, note.id).current.source == "alpha\nbeta"


def test_notes_over_one_megabyte_get_a_form_error(client, login_as, setting):
    workshop, item, _, rapporteur = setting
    login_as(rapporteur)
    response = client.post(_edit_url(workshop, item), data={"source": "x" * 1_000_001, "base_number": ""})
    assert response.status_code == 422
    assert "larger than 1 MB" in response.get_data(as_text=True)
    assert service.note_for(item).current is None


def test_only_organizers_approve_and_outsiders_see_nothing(client, login_as, setting, make_user):
    workshop, item, organizer, rapporteur = setting
    service.save(service.note_for(item), "text", rapporteur, None)
    login_as(rapporteur)
    assert client.post(_edit_url(workshop, item) + "/state/submit").status_code == 302
    assert client.post(_edit_url(workshop, item) + "/state/approve").status_code == 403
    client.post("/logout")
    login_as(make_user())
    assert client.get(_edit_url(workshop, item)).status_code == 403
    assert client.get(f"/manage/w/{workshop.slug}/notes/").status_code == 403
    client.post("/logout")
    assert client.get(_edit_url(workshop, item)).status_code in (302, 401)
    login_as(organizer)
    assert client.post(_edit_url(workshop, item) + "/state/approve").status_code == 302
    assert service.note_for(item).state == NoteState.APPROVED


def test_an_item_of_another_workshop_is_not_found(client, login_as, setting, make_workshop):
    workshop, _, organizer, _ = setting
    other_item = add_item(make_workshop(), "Elsewhere")
    login_as(organizer)
    assert client.get(f"/manage/w/{workshop.slug}/notes/{other_item.id}").status_code == 404


def test_notes_index_lists_sessions_not_breaks(client, login_as, setting):
    from workshop.agenda.models import ItemKind

    workshop, _, _, rapporteur = setting
    add_item(workshop, "Coffee", hours=2, kind=ItemKind.BREAK)
    login_as(rapporteur)
    html = client.get(f"/manage/w/{workshop.slug}/notes/").get_data(as_text=True)
    assert "Opening plenary" in html and "Coffee" not in html


# The largest text the form takes: 1 MB in one-character lines, half a million lines.
LARGEST_LINES = revisions.MAX_SOURCE_BYTES // 2


def _largest_text(letter: str) -> str:
    return f"{letter}\n" * LARGEST_LINES


def _add_revision_unrendered(note, source, author):
    """A revision stored without rendering its Markdown (seconds for 1 MB), which these tests
    do not read."""
    head = note.current
    note.revisions.append(note.revision_class(
        number=(head.number if head else 0) + 1, source=source, html="", author_id=author.id,
        base_number=head.number if head else None))
    db.session.flush()


def test_texts_past_the_line_limit_are_not_compared_line_by_line():
    old, new = _largest_text("a"), _largest_text("b")
    assert len(new.encode("utf-8")) == revisions.MAX_SOURCE_BYTES
    comparison = revisions.compare(old, new)
    assert comparison.too_long and comparison.compared_lines == 0
    assert comparison.rows == [] and comparison.unified == ""


def test_texts_at_the_line_limit_are_compared_once(monkeypatch):
    made = []
    real = revisions.difflib.SequenceMatcher
    monkeypatch.setattr(revisions.difflib, "SequenceMatcher", lambda *a, **k: made.append(k) or real(*a, **k))
    lines = revisions.MAX_COMPARED_LINES
    # Blank lines between the text lines: the pattern that made the unbounded matcher quadratic.
    old = "\n".join("" if i % 2 == 0 else f"old {i}" for i in range(lines))
    new = "\n".join("" if i % 2 == 0 else f"new {i}" for i in range(lines))
    comparison = revisions.compare(old, new, "r1", "r2")
    assert not comparison.too_long and comparison.compared_lines == 2 * lines
    assert made == [{"autojunk": True}]  # one matcher for the rows and the unified diff
    assert comparison.unified.startswith("--- r1\n+++ r2\n@@ ")


def test_comparing_the_largest_texts_the_form_allows_says_so_in_words(client, login_as, setting):
    workshop, item, organizer, rapporteur = setting
    note = service.note_for(item)
    _add_revision_unrendered(note, _largest_text("a"), rapporteur)
    _add_revision_unrendered(note, _largest_text("b"), organizer)
    login_as(rapporteur)
    page = client.get(_edit_url(workshop, item) + "/compare?a=1&b=2")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "too long to compare line by line" in html
    assert "diff-equal" not in html and "diff-changed" not in html


def test_a_stale_save_of_the_largest_text_gives_the_conflict_page_without_a_line_diff(client, login_as, setting):
    workshop, item, organizer, rapporteur = setting
    note = service.note_for(item)
    service.save(note, "base", rapporteur, None)
    _add_revision_unrendered(note, _largest_text("a"), organizer)
    login_as(rapporteur)
    response = client.post(_edit_url(workshop, item), data={"source": _largest_text("b"), "base_number": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "too long to compare line by line" in html
    assert "diff-changed" not in html
