"""Registering: modes, opening times, moderation, waitlist and promotion, self-service, bad input."""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from tests.support.registration import details, form_data, link_from_outbox, taking_registrations  # noqa: F401
from workshop.platform.types import utcnow


def _states(db):
    from workshop.registration.models import Registration

    db.session.expire_all()
    return {r.email: r.state for r in db.session.scalars(sa.select(Registration))}


def _register(workshop, email, **extra):
    from workshop.registration import service

    return service.register(workshop, details(email=email, **extra))


# Modes and times ----------------------------------------------------------------------------------


def test_open_mode_shows_the_form_and_invitation_only_mode_does_not(client, taking_registrations):
    open_workshop = taking_registrations(mode="open")
    closed_workshop = taking_registrations(mode="invitation")
    assert 'name="privacy"' in client.get(f"/w/{open_workshop.slug}/register").get_data(as_text=True)
    page = client.get(f"/w/{closed_workshop.slug}/register").get_data(as_text=True)
    assert "by invitation" in page and 'name="privacy"' not in page
    client.post(f"/w/{closed_workshop.slug}/register", data=form_data("ama@example.org"))
    from workshop.registration.models import Registration
    from workshop.platform.db import db

    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0


def test_not_yet_open_and_closed_pages_say_when_in_the_workshop_time_zone(client, db, taking_registrations):
    from workshop.registration.models import Registration

    future = taking_registrations(opens_at=utcnow() + timedelta(days=3), closes_at=utcnow() + timedelta(days=9))
    past = taking_registrations(opens_at=utcnow() - timedelta(days=9), closes_at=utcnow() - timedelta(days=3))
    page = client.get(f"/w/{future.slug}/register").get_data(as_text=True)
    assert "Registration is not open yet" in page and "London time" in page and 'name="privacy"' not in page
    assert "Registration is closed" in client.get(f"/w/{past.slug}/register").get_data(as_text=True)
    response = client.post(f"/w/{past.slug}/register", data=form_data("ama@example.org"))
    assert "Registration is closed" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0


def test_settings_form_takes_times_in_the_workshop_time_zone_and_stores_utc(client, db, make_user, login_as, make_workshop):
    from workshop.registration import service

    organizer = make_user()
    workshop = make_workshop(organizer, timezone="America/New_York")
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/registration-settings", data={
        "mode": "open", "capacity": "25", "opens_at": "2030-03-01T09:00", "closes_at": "2030-05-01T17:30",
        "moderation": "y", "edit_deadline": "", "privacy_notice": "We keep it safe.",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    settings = service.settings_for(workshop)
    assert settings.opens_at == datetime(2030, 3, 1, 14, 0, tzinfo=timezone.utc)   # EST, UTC-5
    assert settings.closes_at == datetime(2030, 5, 1, 21, 30, tzinfo=timezone.utc)  # EDT, UTC-4
    assert settings.capacity == 25 and settings.moderation and settings.mode == "open"
    bad = client.post(f"/manage/w/{workshop.slug}/registration-settings", data={
        "mode": "open", "capacity": "-3", "opens_at": "2030-05-01T09:00", "closes_at": "2030-03-01T09:00"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Enter a number of seats from 0 up." in text and "must close after it opens" in text


# Capacity, waitlist, promotion --------------------------------------------------------------------


def test_full_workshop_waitlists_in_order_and_a_withdrawal_promotes_the_first(app, db, taking_registrations):
    from workshop.registration import service
    from workshop.registration.models import Registration, RegistrationChange

    workshop = taking_registrations(capacity=2)
    first, second = _register(workshop, "a@example.org"), _register(workshop, "b@example.org")
    w1, w2 = _register(workshop, "c@example.org"), _register(workshop, "d@example.org")
    assert [r.state for r in (first, second, w1, w2)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [service.waitlist_place(r) for r in (w1, w2)] == [1, 2]

    service.withdraw(db.session.get(Registration, second.id))
    assert _states(db) == {"a@example.org": "confirmed", "b@example.org": "withdrawn",
                           "c@example.org": "confirmed", "d@example.org": "waitlisted"}
    assert service.waitlist_place(db.session.get(Registration, w2.id)) == 1
    promoted = db.session.scalars(sa.select(RegistrationChange).where(
        RegistrationChange.registration_id == w1.id).order_by(RegistrationChange.id)).all()
    assert [(c.from_state, c.to_state, c.actor) for c in promoted] == [
        (None, "waitlisted", "registrant"), ("waitlisted", "confirmed", "system")]


def test_rejection_and_a_raised_capacity_promote_from_the_waitlist(app, db, make_user, taking_registrations):
    from workshop.registration import service
    from workshop.registration.models import Registration

    organizer = make_user()
    workshop = taking_registrations(capacity=1)
    for email in ("a@example.org", "b@example.org", "c@example.org", "d@example.org"):
        _register(workshop, email)
    a = service.find_registration(workshop, "a@example.org")
    service.reject(a, by=organizer, reason="Not eligible.")
    assert _states(db)["b@example.org"] == "confirmed"
    service.update_settings(workshop, capacity=3, by=organizer)
    assert _states(db) == {"a@example.org": "rejected", "b@example.org": "confirmed",
                           "c@example.org": "confirmed", "d@example.org": "confirmed"}
    change = db.session.get(Registration, a.id).changes[-1]
    assert (change.actor, change.from_state, change.to_state, change.detail) == (
        organizer.email, "confirmed", "rejected", "Not eligible.")


def test_moderation_keeps_registrations_pending_until_approved_or_rejected(app, db, make_user, client, login_as, taking_registrations):
    from workshop.workshops import service as workshops
    from workshop.registration import service

    organizer = make_user()
    workshop = taking_registrations(capacity=1, moderation=True)
    workshops.add_member(workshop, organizer.email, "organizer")
    page = client.post(f"/w/{workshop.slug}/register", data=form_data("a@example.org")).get_data(as_text=True)
    assert "Check your inbox" in page
    _register(workshop, "b@example.org")
    assert _states(db) == {"a@example.org": "pending", "b@example.org": "pending"}

    login_as(organizer)
    a = service.find_registration(workshop, "a@example.org")
    b = service.find_registration(workshop, "b@example.org")
    client.post(f"/manage/w/{workshop.slug}/registrations/{a.id}/approve", data={})
    client.post(f"/manage/w/{workshop.slug}/registrations/{b.id}/approve", data={})
    assert _states(db) == {"a@example.org": "confirmed", "b@example.org": "waitlisted"}  # one seat
    client.post(f"/manage/w/{workshop.slug}/registrations/{a.id}/reject", data={"reason": "Sorry."})
    assert _states(db) == {"a@example.org": "rejected", "b@example.org": "confirmed"}
    detail = client.get(f"/manage/w/{workshop.slug}/registrations/{a.id}").get_data(as_text=True)
    assert organizer.email in detail and "Sorry." in detail


def test_an_organizer_can_move_a_confirmed_registration_to_the_waitlist(app, db, make_user, taking_registrations):
    from workshop.registration import service

    organizer = make_user()
    workshop = taking_registrations(capacity=1)
    _register(workshop, "a@example.org")
    _register(workshop, "b@example.org")
    service.move_to_waitlist(service.find_registration(workshop, "a@example.org"), by=organizer)
    assert _states(db) == {"a@example.org": "waitlisted", "b@example.org": "confirmed"}
    assert service.waitlist_place(service.find_registration(workshop, "a@example.org")) == 1


def test_a_state_change_the_rules_forbid_is_refused_and_recorded_nowhere(app, db, taking_registrations):
    import pytest
    from workshop.registration import service
    from workshop.registration.models import RegistrationChange

    workshop = taking_registrations()
    registration = _register(workshop, "a@example.org")
    service.withdraw(registration)
    count = db.session.scalar(sa.select(sa.func.count(RegistrationChange.id)))
    with pytest.raises(service.RegistrationError):
        service.approve(service.find_registration(workshop, "a@example.org"), by=None)
    assert db.session.scalar(sa.select(sa.func.count(RegistrationChange.id))) == count


# Duplicates and bad input -------------------------------------------------------------------------


def test_the_same_email_twice_keeps_one_row_and_resends_its_link_without_leaking(app, db, client, taking_registrations):
    from workshop.platform.mail.models import OutboxMessage
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    client.post(f"/w/{workshop.slug}/register", data=form_data("ama@example.org", dietary_needs="Vegetarian"))
    again = client.post(f"/w/{workshop.slug}/register", data=form_data("AMA@Example.org ", name="Impostor"))
    text = again.get_data(as_text=True)
    # The same answer as for a new address: the form tells nobody who is registered.
    assert "Check your inbox" in text and "already" not in text
    assert "Vegetarian" not in text and "Ama Mensah" not in text
    rows = db.session.scalars(sa.select(Registration)).all()
    assert [(r.email, r.name) for r in rows] == [("ama@example.org", "Ama Mensah")]
    subjects = db.session.scalars(sa.select(OutboxMessage.subject).order_by(OutboxMessage.id)).all()
    assert subjects[-1].startswith("Your registration link")


def test_a_double_submit_creates_one_registration(app, db, client, taking_registrations):
    import threading
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    data = form_data("ama@example.org")
    url = f"/w/{workshop.slug}/register"
    statuses = []

    def submit():
        with app.test_client() as own_client:
            statuses.append(own_client.post(url, data=data).status_code)

    threads = [threading.Thread(target=submit) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 5
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1


def test_the_unique_constraint_backs_the_check_when_a_row_appears_outside_the_lock(app, db, taking_registrations):
    import pytest
    from workshop.registration import service
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    original = service.find_registration
    # Make the service miss the existing row once, as if it had been inserted concurrently.
    _register(workshop, "a@example.org")
    service.find_registration = lambda w, e, _calls=[]: None if not _calls and not _calls.append(1) else original(w, e)
    try:
        with pytest.raises(service.AlreadyRegistered):
            _register(workshop, "a@example.org")
    finally:
        service.find_registration = original
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1


def test_invalid_fields_are_explained_beside_each_field_and_nothing_is_saved(app, db, client, taking_registrations):
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    response = client.post(f"/w/{workshop.slug}/register", data=form_data(
        "not-an-email", name="", privacy="", country="XX", arrival_date="2030-06-03",
        departure_date="2030-06-01", consent="everyone", category_id="99999"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for message in ("Enter your name.", "Enter a valid email address", "You must agree to the privacy notice",
                    "The departure date cannot be before the arrival date.", 'role="alert"'):
        assert message in text, message
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0


# Self-service -------------------------------------------------------------------------------------


def test_self_service_shows_status_and_waitlist_place_and_edits_until_the_deadline(app, db, client, taking_registrations):
    from workshop.registration import service
    from workshop.registration.models import Registration

    workshop = taking_registrations(capacity=1)
    _register(workshop, "a@example.org")
    client.post(f"/w/{workshop.slug}/register", data=form_data("b@example.org"))
    link = link_from_outbox(db, "b@example.org")
    page = client.get(link).get_data(as_text=True)
    assert "waitlisted" in page and "number 1 on the waitlist" in page

    edit = client.post(link + "/edit", data={**form_data("ignored@example.org", name="Ama K. Mensah", dietary_needs="Halal")})
    assert edit.status_code == 302
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == "b@example.org"))
    db.session.refresh(registration)
    assert (registration.name, registration.dietary_needs) == ("Ama K. Mensah", "Halal")
    assert registration.changes[-1].action == "details edited" and "dietary_needs" in registration.changes[-1].detail

    service.update_settings(workshop, edit_deadline=utcnow() - timedelta(minutes=1))
    late = client.post(link + "/edit", data=form_data("b@example.org", name="Too late"))
    assert late.status_code == 422 and "deadline" in late.get_data(as_text=True)
    db.session.refresh(registration)
    assert registration.name == "Ama K. Mensah"


def test_withdraw_asks_for_confirmation_then_frees_the_seat(app, db, client, taking_registrations):
    workshop = taking_registrations(capacity=1)
    client.post(f"/w/{workshop.slug}/register", data=form_data("a@example.org"))
    _register(workshop, "b@example.org")
    link = link_from_outbox(db, "a@example.org")
    confirm = client.get(link + "/withdraw")
    assert "Withdraw your registration?" in confirm.get_data(as_text=True)
    assert _states(db)["a@example.org"] == "confirmed"
    client.post(link + "/withdraw", data={})
    assert _states(db) == {"a@example.org": "withdrawn", "b@example.org": "confirmed"}
    assert "withdrawn" in client.get(link).get_data(as_text=True)


def test_the_resend_form_answers_the_same_for_known_and_unknown_addresses(app, db, client, taking_registrations):
    from workshop.platform.mail.models import OutboxMessage

    workshop = taking_registrations()
    _register(workshop, "a@example.org")
    before = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))
    known = client.post("/links/resend", data={"email": "A@example.org"})
    unknown = client.post("/links/resend", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    sent = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id > before)).all()
    assert [m.recipients for m in sent] == ["a@example.org"]
    assert client.get(link_from_outbox(db, "a@example.org")).status_code == 200


def test_someone_who_withdrew_can_register_again_through_their_link_and_joins_the_end_of_the_queue(
        app, db, taking_registrations):
    import pytest
    from workshop.registration import confirmation, service
    from workshop.registration.models import Registration

    workshop = taking_registrations(capacity=1)
    _register(workshop, "a@example.org")
    _register(workshop, "b@example.org")
    service.withdraw(service.find_registration(workshop, "a@example.org"))
    with pytest.raises(service.AlreadyRegistered):  # not from the public form: anyone can type an address
        _register(workshop, "a@example.org", name="Someone else")
    again = confirmation.confirm(service.find_registration(workshop, "a@example.org"))
    assert again.state == "waitlisted" and again.name == "Ama Mensah"
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 2
    assert [c.action for c in again.changes][-1] == "registered again"


def test_accepting_an_invitation_after_registering_openly_keeps_one_row_and_resends_the_link(app, db, client, taking_registrations):
    from workshop.people import service as people
    from workshop.registration import invitations
    from workshop.registration.models import Invitation, Registration

    workshop = taking_registrations()
    _register(workshop, "ama@example.org")
    invitation = invitations.invite(workshop, people.save_contact(None, name="Ama", email="ama@example.org"))
    link = link_from_outbox(db, "ama@example.org", "invitations")
    page = client.post(link + "/accept", data=form_data("ama@example.org"))
    assert "A registration already exists" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).state == "accepted"
    assert "You accepted this invitation." in client.get(link).get_data(as_text=True)  # where they stand


def test_a_registration_deadline_the_clocks_skip_is_refused_in_words(client, db, make_user, login_as, make_workshop):
    """New York's clocks go from 02:00 to 03:00 on 10 March 2030: 02:30 never happens there."""
    from workshop.registration import service

    organizer = make_user()
    workshop = make_workshop(organizer, timezone="America/New_York")
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/registration-settings", data={
        "mode": "open", "capacity": "25", "opens_at": "", "closes_at": "2030-03-10T02:30",
        "edit_deadline": "", "privacy_notice": ""})
    assert response.status_code == 422
    assert "The clocks skip this time in America/New_York" in response.get_data(as_text=True)
    db.session.expire_all()
    assert service.settings_for(workshop).closes_at is None  # nothing saved


def test_wall_clock_conversions_round_trip_and_refuse_a_skipped_time():
    from workshop.platform.times import NonexistentTime, to_local, to_utc

    moment = to_utc(datetime(2030, 11, 3, 1, 30), "America/New_York")  # the hour that happens twice
    assert moment == datetime(2030, 11, 3, 5, 30, tzinfo=timezone.utc)  # its first occurrence (EDT)
    assert to_local(moment, "America/New_York") == datetime(2030, 11, 3, 1, 30)
    assert to_utc(None, "UTC") is None and to_local(None, "UTC") is None
    import pytest

    with pytest.raises(NonexistentTime):
        to_utc(datetime(2030, 3, 10, 2, 30), "America/New_York")
