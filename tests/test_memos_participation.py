"""The participation paragraph: drafted from the confirmed registrations, in counts by category
and country (never names), in the workshop's language with its plurals, inserted into the memo's
Context by a button of the memo editor, as text to edit like any other."""

import pytest

from tests.support.memo import add_member
from tests.support.registration import details
from workshop.memos import service as memos
from workshop.memos.participation import Participation, paragraph, participation
from workshop.platform.db import db
from workshop.registration import service as registration
from workshop.registration.models import Registration
from workshop.workshops.models import Role


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


def test_counts_by_category_and_country_of_confirmed_participants_only(taking):
    workshop, organizer, register = taking
    for n, (category, country) in enumerate([("R2P Focal Point", "GH"), ("R2P Focal Point", "DK"),
                                             ("UN official", "US"), ("Expert/specialist", "GH"),
                                             (None, "")]):
        register(n, category, country)
    withdrawn = register(9, "UN official", "FR")
    registration.withdraw(withdrawn, by=organizer)
    db.session.commit()
    counts = participation(workshop)
    assert counts == Participation(5, 3, (("R2P Focal Point", 2), ("UN official", 1), ("Expert/specialist", 1)))
    text = paragraph(counts)
    assert text == ("The workshop brought together 5 participants from 3 countries, including "
                    "2 R2P Focal Points, 1 UN official and 1 expert.")
    assert "Person" not in text and "Number" not in text


def test_the_paragraph_of_the_issue_and_its_plurals_in_every_language(app):
    counts = Participation(34, 21, (("R2P Focal Point", 18), ("UN official", 6), ("Expert/specialist", 10)))
    with app.test_request_context():
        assert paragraph(counts) == ("The workshop brought together 34 participants from 21 countries, including "
                                     "18 R2P Focal Points, 6 UN officials and 10 experts.")
        one = Participation(1, 1, (("Expert/specialist", 1),))
        assert paragraph(one) == "The workshop brought together 1 participant from 1 country, including 1 expert."
        assert paragraph(Participation(3, 0, ())) == "The workshop brought together 3 participants."
        assert paragraph(Participation(0, 0, ())) == ""
        ru = paragraph(counts, "ru")
        assert "34 участника" in ru and "21 страны" in ru, ru
        assert "5 участников" in paragraph(Participation(5, 5, ()), "ru")
        assert "21 участник " in paragraph(Participation(21, 2, ()), "ru")
        for language in ("fr", "es", "ar", "zh", "ru"):
            text = paragraph(counts, language)
            assert "34" in text and "21" in text and "18" in text and "The workshop" not in text, (language, text)
        other = paragraph(Participation(2, 1, (("Civil society", 2),)))
        assert other.endswith("including 2 participants in the category Civil society.")


def test_purged_registrations_still_count(taking):
    workshop, organizer, register = taking
    register(1, "UN official", "GH")
    db.session.commit()
    db.session.execute(Registration.__table__.update().values(name="", email="purged-1", purged_at=db.func.now()))
    assert participation(workshop).participants == 1 and participation(workshop).countries == 1


def test_the_editor_button_saves_the_typed_text_with_the_paragraph_in_the_context(client, login_as, taking):
    workshop, organizer, register = taking
    register(1, "R2P Focal Point", "GH")
    register(2, "UN official", "KE")
    db.session.commit()
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/memo/edit"
    page = client.get(url).get_data(as_text=True)
    drafted = ("The workshop brought together 2 participants from 2 countries, including 1 R2P Focal Point "
               "and 1 UN official.")
    assert drafted in page and 'name="insert" value="participation"' in page
    typed = "## Context\n\nWhy we met, typed and not yet saved.\n\n## Key takeaways\n\n- One.\n"
    response = client.post(url, data={"source": typed, "base_number": "", "insert": "participation"})
    assert response.status_code == 302
    db.session.expire_all()
    memo = memos.memo_for(workshop)
    assert memo.current.source == ("## Context\n\nWhy we met, typed and not yet saved.\n\n" + drafted
                                   + "\n\n## Key takeaways\n\n- One.\n")
    # Edited like any other text; inserting again does not repeat it.
    client.post(url, data={"source": memo.current.source, "base_number": str(memo.current.number),
                           "insert": "participation"})
    db.session.expire_all()
    assert memos.memo_for(workshop).current.source.count("brought together") == 1
    # A plain save is a plain save.
    client.post(url, data={"source": "## Context\n\nShorter.\n", "base_number": str(memo.current.number)})
    db.session.expire_all()
    assert memos.memo_for(workshop).current.source == "## Context\n\nShorter.\n"

