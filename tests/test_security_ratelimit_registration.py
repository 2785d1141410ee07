"""Abuse limits on registration, invitation and token links, and on the link re-send form.

Per address, the limits are generous (a conference's delegates share the venue's Wi-Fi); the
re-send form is tight, per address and per target email, so it cannot flood anyone's inbox.
"""

import pytest
import sqlalchemy as sa

from tests.support.registration import form_data, taking_registrations  # noqa: F401
from workshop.platform.security import DEFAULT_RATELIMITS

VENUE_WIFI = "192.0.2.77"


def from_ip(ip):
    return {"REMOTE_ADDR": ip}


def assert_429_in_words(response, wait="Wait a minute, then try again."):
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page and wait in page
    assert int(response.headers["Retry-After"]) > 0


def test_the_limits_are_generous_per_address_and_tight_per_inbox():
    assert DEFAULT_RATELIMITS["register"] == "30 per minute"
    assert DEFAULT_RATELIMITS["invitation"] == DEFAULT_RATELIMITS["token"] == "60 per minute"
    assert DEFAULT_RATELIMITS["resend"] == "5 per minute"
    assert DEFAULT_RATELIMITS["resend_email"] == "3 per hour"


def test_thirty_delegates_behind_one_address_all_register_and_a_burst_beyond_gets_429(
        client, db, taking_registrations):
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    url = f"/w/{workshop.slug}/register"
    statuses = [client.post(url, data=form_data(f"delegate{n}@example.org"), environ_base=from_ip(VENUE_WIFI)).status_code
                for n in range(30)]
    assert statuses == [200] * 30
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 30
    assert_429_in_words(client.post(url, data=form_data("one-too-many@example.org"), environ_base=from_ip(VENUE_WIFI)))
    # Showing the form is not counted, and another address is not affected.
    assert client.get(url, environ_base=from_ip(VENUE_WIFI)).status_code == 200
    assert client.post(url, data=form_data("elsewhere@example.org"), environ_base=from_ip("198.51.100.77")).status_code == 200


def test_guessing_registration_tokens_is_limited_across_all_token_pages(client):
    ip = from_ip("192.0.2.78")
    pages = ("/registrations/guess{n}", "/registrations/guess{n}/calendar.ics", "/registrations/guess{n}/edit",
             "/registrations/guess{n}/withdraw", "/registrations/guess{n}/participants")
    statuses = [client.get(pages[n % len(pages)].format(n=n), environ_base=ip).status_code for n in range(60)]
    assert statuses == [404] * 60, "an unknown token is the invalid-link page"
    assert_429_in_words(client.get("/registrations/guess-more", environ_base=ip))
    assert_429_in_words(client.post("/registrations/guess-more/withdraw", environ_base=ip))


def test_guessing_invitation_tokens_is_limited(client):
    ip = from_ip("192.0.2.79")
    # Opening, showing the form and accepting are three requests: 60 a minute lets 20 delegates
    # behind one address answer in the same minute.
    statuses = [client.get(f"/invitations/guess{n}", environ_base=ip).status_code for n in range(60)]
    assert statuses == [404] * 60
    assert_429_in_words(client.post("/invitations/guess/decline", environ_base=ip))
    assert_429_in_words(client.get("/invitations/guess/accept", environ_base=ip))


def test_the_resend_form_cannot_flood_one_inbox_even_from_many_addresses(client, db, taking_registrations):
    from workshop.platform.mail.models import OutboxMessage

    workshop = taking_registrations()
    assert client.post(f"/w/{workshop.slug}/register", data=form_data("target@example.org")).status_code == 200
    before = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))
    # The registration's own message counted as the first of the three an inbox gets an hour
    # (as a re-send to a known address would, so the limit tells no one which it was).
    statuses = [client.post("/links/resend", data={"email": "Target@example.org"},
                            environ_base=from_ip(f"203.0.113.{n}")).status_code for n in range(1, 3)]
    assert statuses == [200, 200]
    # The limit per inbox is per hour, and the page says so (not "wait a minute").
    assert_429_in_words(client.post("/links/resend", data={"email": "target@example.org "},
                                    environ_base=from_ip("203.0.113.50")),
                        wait="Wait an hour, then try again.")
    sent = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) - before
    assert sent == 2, "only the allowed requests queued a message"


def test_the_resend_form_is_limited_per_address(client):
    ip = from_ip("192.0.2.80")
    statuses = [client.post("/links/resend", data={"email": f"person{n}@example.org"}, environ_base=ip).status_code
                for n in range(5)]
    assert statuses == [200] * 5
    assert_429_in_words(client.post("/links/resend", data={"email": "another@example.org"}, environ_base=ip))
    assert client.get("/links/resend", environ_base=ip).status_code == 200, "showing the form is not counted"


@pytest.mark.parametrize("seconds, words", [
    (60, None), (600, "Wait 10 minutes"), (3600, "Wait an hour"), (86400, "Wait 24 hours")])
def test_the_429_page_names_the_wait_of_the_limit_that_was_hit(app, seconds, words):
    from types import SimpleNamespace

    from workshop.platform.errors import _too_many_message

    error = SimpleNamespace(limit=SimpleNamespace(limit=SimpleNamespace(get_expiry=lambda: seconds)))
    with app.test_request_context():
        message = _too_many_message(error)
        assert (message is None) if words is None else (words in str(message))
