"""The public form's answer ("check your inbox") is rendered once per workshop, language and URL
and kept with the address left out: each submitter sees the very page a fresh render gives them,
their address escaped as the template escapes it, whether the address was new or known, in their
language, and a renamed workshop is shown at once."""

import pytest

from tests.support.registration import form_data, taking_registrations  # noqa: F401


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


def _answer(app, path: str, email: str, **headers) -> str:
    response = app.test_client().post(path, data=form_data(email, name="Siobhán O'Brien"), headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language, words", [("en", "Check your inbox"), ("fr", "Consultez votre boîte")])
def test_a_kept_answer_is_the_fresh_render_with_each_visitors_address(app, db, taking_registrations,
                                                                      language, words):
    from workshop.registration import views

    workshop = taking_registrations()
    path = f"/w/{workshop.slug}/register"
    header = {"Accept-Language": language}
    views._check_inbox_pages.clear()
    _answer(app, path, "first@example.org", **header)  # rendered, then kept
    tricky = "o'brien&co@example.org"
    kept = _answer(app, path, tricky, **header)
    assert "o&#39;brien&amp;co@example.org" in kept and words in kept
    assert views._EMAIL_PLACEHOLDER not in kept
    # The same address again is a known one; with nothing kept, its answer is a fresh render.
    views._check_inbox_pages.clear()
    fresh = _answer(app, path, tricky, **header)
    assert kept == fresh


def test_a_renamed_workshop_shows_in_the_next_answer(app, db, taking_registrations):
    from workshop.workshops import service as workshops

    workshop = taking_registrations()
    workshops.update_workshop(workshop, title="Opening Consultation")
    db.session.commit()
    path = f"/w/{workshop.slug}/register"
    assert "Opening Consultation" in _answer(app, path, "a@example.org")
    workshops.update_workshop(workshop, title="Second Consultation")
    db.session.commit()
    page = _answer(app, path, "b@example.org")
    assert "Second Consultation" in page and "Opening Consultation" not in page


def test_a_signed_in_visitor_gets_their_own_page(app, db, client, make_user, taking_registrations):
    from tests.conftest import login

    workshop = taking_registrations()
    path = f"/w/{workshop.slug}/register"
    _answer(app, path, "a@example.org")  # an anonymous answer is kept
    login(client, make_user())
    page = client.post(path, data=form_data("b@example.org")).get_data(as_text=True)
    assert "Sign out" in page and "b@example.org" in page
