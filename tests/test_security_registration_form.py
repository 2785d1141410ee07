"""The public registration form is neither an oracle nor a mail cannon, and open registration
seats only addresses their owners confirm."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.registration import form_data, link_from_outbox, taking_registrations  # noqa: F401
from workshop.platform.types import utcnow


def _mails_to(db, email):
    from workshop.platform.mail.models import OutboxMessage

    return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(OutboxMessage.recipients == email))


def test_a_registered_address_gets_the_same_answer_as_a_new_one(client, db, taking_registrations):
    workshop = taking_registrations()
    url = f"/w/{workshop.slug}/register"
    client.post(url, data=form_data("known@example.org"))
    known = client.post(url, data=form_data("known@example.org", name="Prober"))
    new = client.post(url, data=form_data("fresh@example.org", name="Prober"))
    assert known.status_code == new.status_code == 200
    as_text = lambda response, email: response.get_data(as_text=True).replace(email, "EMAIL")  # noqa: E731
    assert as_text(known, "known@example.org") == as_text(new, "fresh@example.org")


def test_repeating_the_form_for_a_registered_address_mails_it_no_more_than_the_resend_limit(
        client, db, taking_registrations):
    workshop = taking_registrations()
    url = f"/w/{workshop.slug}/register"
    statuses = [client.post(url, data=form_data("victim@example.org"), environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code
                for n in range(1, 11)]
    assert statuses == [200] * 10, "the same answer, whether a mail went or not"
    assert _mails_to(db, "victim@example.org") == 3, "the per-inbox allowance of /links/resend: 3 an hour"
    assert client.post("/links/resend", data={"email": "victim@example.org"}).status_code == 429, "one shared allowance"


def test_no_anonymous_request_ends_a_registrants_real_link(client, db, taking_registrations):
    from workshop.registration import notify, service

    workshop = taking_registrations()
    client.post(f"/w/{workshop.slug}/register", data=form_data("ama@example.org"))
    first_link = link_from_outbox(db, "ama@example.org")
    registration = service.find_registration(workshop, "ama@example.org")
    for _ in range(15):  # more than any re-send limit allows: none of them prunes older links
        notify.link_resent(registration)
    db.session.commit()
    assert client.get(first_link).status_code == 200


def test_the_form_changes_no_existing_registration_only_its_own_link_does(client, db, taking_registrations):
    from workshop.registration import service
    from workshop.registration.models import Registration

    workshop = taking_registrations(capacity=5)
    url = f"/w/{workshop.slug}/register"
    client.post(url, data=form_data("ama@example.org", organization="Mission of Ghana"))
    link = link_from_outbox(db, "ama@example.org")
    client.post(link + "/withdraw", data={})
    overwrite = client.post(url, data=form_data("ama@example.org", name="Mallory", organization="Evil Inc"))
    assert overwrite.status_code == 200
    db.session.expire_all()
    row = db.session.scalar(sa.select(Registration))
    assert (row.name, row.organization, row.state) == ("Ama Mensah", "Mission of Ghana", "withdrawn")
    # Her own link lets her register again, with her own details.
    page = client.get(link).get_data(as_text=True)
    assert "Register again" in page
    assert client.post(link + "/confirm", data={}).status_code == 302
    db.session.expire_all()
    assert service.find_registration(workshop, "ama@example.org").state == "confirmed"


# Confirming one's address -------------------------------------------------------------------------


def test_open_registration_asks_to_confirm_the_address_by_default(app, db, make_workshop):
    from workshop.registration import service

    workshop = make_workshop()
    assert service.update_settings(workshop, mode="open").confirm_email is True


def test_an_unconfirmed_request_holds_no_seat_until_its_link_confirms_it(client, db, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(capacity=1, confirm_email=True)
    url = f"/w/{workshop.slug}/register"
    client.post(url, data=form_data("made-up@example.org", name="Bot"))
    client.post(url, data=form_data("real@example.org", name="Real Person"))
    made_up = service.find_registration(workshop, "made-up@example.org")
    assert made_up.state == "unconfirmed" and made_up.waitlist_position is None
    assert service.seats_taken(workshop.id) == 0

    link = link_from_outbox(db, "real@example.org")
    page = client.get(link)  # a mail scanner's GET confirms nothing
    assert "Confirm my registration" in page.get_data(as_text=True)
    assert service.find_registration(workshop, "real@example.org").state == "unconfirmed"
    assert client.post(link + "/confirm", data={}).status_code == 302
    db.session.expire_all()
    assert service.find_registration(workshop, "real@example.org").state == "confirmed"
    assert service.seats_taken(workshop.id) == 1, "the seat went to the confirmed address"


def test_unconfirmed_requests_expire_hourly_and_the_address_may_register_afresh(app, client, db, taking_registrations):
    from workshop.platform import registry
    from workshop.registration import confirmation, service

    assert confirmation.expire_unconfirmed in registry.registry(app).housekeeping
    workshop = taking_registrations(capacity=1, confirm_email=True)
    url = f"/w/{workshop.slug}/register"
    client.post(url, data=form_data("late@example.org", name="Squatter"))
    link = link_from_outbox(db, "late@example.org")
    request = service.find_registration(workshop, "late@example.org")
    request.confirm_by = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "has lapsed" in client.get(link).get_data(as_text=True)
    assert client.post(link + "/confirm", data={}).status_code == 302
    assert service.find_registration(workshop, "late@example.org").state == "unconfirmed"

    assert confirmation.expire_unconfirmed() == 1
    db.session.commit()
    assert service.find_registration(workshop, "late@example.org").state == "expired"
    client.post(url, data=form_data("late@example.org", name="Lena Late"))
    again = service.find_registration(workshop, "late@example.org")
    assert (again.state, again.name) == ("unconfirmed", "Lena Late")


def test_an_invitation_link_proves_the_address_so_needs_no_confirmation(client, db, taking_registrations):
    from workshop.people import service as people
    from workshop.registration import invitations, service

    workshop = taking_registrations(confirm_email=True)
    invitations.invite(workshop, people.save_contact(None, name="Ina", email="ina@example.org"))
    link = link_from_outbox(db, "ina@example.org", "invitations")
    assert client.post(link + "/accept", data=form_data("ina@example.org")).status_code == 200
    assert service.find_registration(workshop, "ina@example.org").state == "confirmed"


@pytest.mark.parametrize("confirm_email", [True, False])
def test_the_answer_is_the_same_with_or_without_the_address_check(client, db, taking_registrations, confirm_email):
    workshop = taking_registrations(confirm_email=confirm_email)
    page = client.post(f"/w/{workshop.slug}/register", data=form_data("x@example.org")).get_data(as_text=True)
    assert "Check your inbox" in page


def test_variants_of_a_registered_address_are_answered_as_any_address_and_change_nothing(
        client, db, taking_registrations):
    from tests.support.hostile import HOSTILE
    from workshop.registration import service

    workshop = taking_registrations()
    url = f"/w/{workshop.slug}/register"
    client.post(url, data=form_data("victim@example.org"))
    fresh = client.post(url, data=form_data("someone.new@example.org")).get_data(as_text=True)
    findings = []
    for label, value in HOSTILE.items():
        if not label.startswith("email "):
            continue
        response = client.post(url, data=form_data(value, name="Mallory"),
                               environ_base={"REMOTE_ADDR": "198.51.100.200"})
        if response.status_code == 200:
            page = response.get_data(as_text=True)
            if page.replace(value.strip(), "EMAIL").replace(value.strip().lower(), "EMAIL") != \
                    fresh.replace("someone.new@example.org", "EMAIL"):
                findings.append(f"{label}: a different answer")
        elif response.status_code != 422:
            findings.append(f"{label}: status {response.status_code}")
    assert findings == []
    db.session.expire_all()
    assert service.find_registration(workshop, "victim@example.org").name == "Ama Mensah"
