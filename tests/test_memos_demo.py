"""The demo: the 2012 workshop's approved notes and published March 2012 memo, loaded once."""

from datetime import date

import sqlalchemy as sa

from workshop.demo import R2P_SLUG, load_demo
from workshop.platform.db import db
from workshop.memos import service as memos
from workshop.memos.models import MemoRevision, MemoState, MemoVersion
from workshop.notes.models import Note, NoteRevision, NoteState
from workshop.workshops.models import Workshop


def _counts():
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Note, NoteRevision, MemoRevision, MemoVersion))


def test_demo_publishes_the_2012_memo_from_approved_notes_and_is_idempotent(client):
    lines = load_demo(today=date(2030, 1, 1))
    assert any("memo published" in line for line in lines)
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == R2P_SLUG))
    notes = db.session.scalars(sa.select(Note).where(Note.workshop_id == workshop.id)).all()
    assert len(notes) >= 3 and all(n.state == NoteState.APPROVED for n in notes)
    version = memos.published_version(workshop)
    assert version.dated == date(2012, 3, 1)
    assert version.title == "Mass Violence and Atrocities | Discussion Takeaways"
    for fact in ("2005 World Summit", "September 2010", "Denmark and Ghana", "Costa Rica and Australia",
                 "Stanley Center", "43rd United Nations Issues Conference", "24-26 February 2012"):
        assert fact in version.source, fact
    assert "illustrative" in version.source
    assert memos.get_memo(workshop).state == MemoState.PUBLISHED

    before = _counts()
    load_demo(today=date(2030, 1, 1))
    assert _counts() == before

    page = client.get(f"/w/{R2P_SLUG}/memo").get_data(as_text=True)
    assert "Mass Violence and Atrocities | Discussion Takeaways" in page and "March 2012" in page
    assert client.get(f"/w/{R2P_SLUG}/memo.pdf").data[:4] == b"%PDF"


def test_demo_memo_is_published_when_the_agenda_names_people_from_public_organizations(app):
    """The agenda feature's loader runs first and may list speakers from the conveners or the
    UN; naming those organizations in the context is not an attribution of what was said."""
    from tests.support.memo import add_item
    from workshop.agenda.models import PersonRole

    load_demo(today=date(2030, 1, 1))  # makes the workshop; then start the memo again
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == R2P_SLUG))
    memo = memos.get_memo(workshop)
    db.session.delete(memo)
    db.session.commit()
    add_item(workshop, "Extra session", hours=0, people=[
        ("Ana Speaker", "Global Centre for the Responsibility to Protect", PersonRole.SPEAKER),
        ("Ben Speaker", "United Nations", PersonRole.CHAIR)])
    lines = load_demo(today=date(2030, 1, 1))
    assert any("memo published" in line for line in lines), lines
    memo = memos.get_memo(workshop)
    assert memo.accepted_names == ["Global Centre for the Responsibility to Protect", "United Nations"]
    assert memos.published_version(workshop).number == 1


def test_the_2012_workshop_is_held_under_the_chatham_house_rule_and_its_memo_counts_who_took_part(client):
    from workshop.registration.models import Registration

    load_demo(today=date(2030, 1, 1))
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == R2P_SLUG))
    assert workshop.attribution_rule == "chatham_house"
    assert client.get(f"/w/{R2P_SLUG}/participants").status_code == 404
    assert client.get("/w/demo-open-workshop/participants").status_code == 200  # on the record
    version = memos.published_version(workshop)
    [sentence] = [line for line in version.source.splitlines() if line.startswith("The workshop brought together")]
    assert " participants from " in sentence and "R2P Focal Point" in sentence
    names = db.session.scalars(sa.select(Registration.name).where(Registration.workshop_id == workshop.id)).all()
    assert names and not any(name in sentence for name in names)
    assert sentence in client.get(f"/w/{R2P_SLUG}/memo").get_data(as_text=True)
