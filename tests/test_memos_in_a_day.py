"""The memo in a day: the check of the saved text beside the editor, dates and a copied Context
pointed out before publishing, and a clear button to the published memo."""

from tests.support.memo import add_member
from tests.support.registration import details
from workshop.memos import service as memos
from workshop.memos import publication_warnings as memo_warnings
from workshop.platform.db import db
from workshop.registration import service as registration
from workshop.workshops.models import Role

import pytest


@pytest.fixture
def taking(make_user, make_workshop):
    organizer = make_user(name="Olga Organizer")
    workshop = make_workshop(organizer)
    add_member(workshop, organizer, Role.RAPPORTEUR)
    registration.update_settings(workshop, mode="open", confirm_email=False)
    categories = {c.name: c.id for c in registration.categories_for(workshop)}
    db.session.commit()

    def register(n, category, country, **extra):
        return registration.register(workshop, details(email=f"p{n}@example.org", name=f"Person Number{n}",
                                                       country=country, category_id=categories.get(category),
                                                       **extra))
    return workshop, organizer, register


def test_the_editor_shows_the_hits_of_the_saved_text_marked_and_checks_again_on_save(client, login_as, taking):
    workshop, organizer, register = taking
    register(1, "R2P Focal Point", "GH")
    db.session.commit()
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/memo/edit"
    client.post(url, data={"source": "## Context\n\nAs Number1 put it, the Ghanaian delegation argued.", "base_number": ""})
    page = client.get(url).get_data(as_text=True)
    assert "Non-attribution check of the saved text" in page
    assert "<mark>Number1</mark>" in page and "<mark>Ghanaian delegation</mark>" in page
    memo = memos.memo_for(workshop)
    client.post(url, data={"source": "## Context\n\nOne participant argued.", "base_number": str(memo.current.number)})
    page = client.get(url).get_data(as_text=True)
    assert "Non-attribution check of the saved text: clean." in page and "<mark>" not in page


def test_dates_and_a_copied_context_are_pointed_out(client, login_as, taking):
    from datetime import date

    from tests.support.memo import add_item, approved_note

    workshop, organizer, _ = taking
    workshop.description = "Why we met, as on the public page."
    item = add_item(workshop, "Session 1")  # in 2030: approved now, before it took place
    approved_note(item, "Observations.", organizer)
    memo = memos.memo_for(workshop)
    memos.compile_from_notes(memo, organizer)
    memo.dated = date(2030, 5, 1)  # the workshop ends on 3 June 2030
    db.session.commit()
    messages = [message % params if params else message for message, params in memo_warnings.warnings(memo)]
    assert messages == [
        "The memo is dated 2030-05-01, before the workshop ended (2030-06-03).",
        "Notes were approved before their session ended: Session 1.",
        "The Context is the workshop's description word for word: say why the workshop met, who took part "
        "and what it prepared, for the memo's readers."]
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/memo/").get_data(as_text=True)
    assert "Look again before publishing" in page and "before their session ended: Session 1." in page
    memo.dated = date(2030, 6, 1)
    memos.save(memo, "## Context\n\nOur own words.\n", organizer, memo.current.number)
    assert [m for m, _ in memo_warnings.warnings(memo)] == ["Notes were approved before their session ended: %(sessions)s."]


def test_the_published_memo_is_one_clear_button_away(client, login_as, taking):
    workshop, organizer, _ = taking
    memo = memos.memo_for(workshop)
    memos.save(memo, "## Context\n\nOur own words.\n", organizer, None)
    memos.submit_for_review(memo)
    memos.approve(memo)
    memos.publish(memo, organizer)
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/memo/").get_data(as_text=True)
    assert (f'<a class="button primary" href="/w/{workshop.slug}/memo">See the published memo (version 1)</a>'
            in page)
