"""What organizers are offered on a full workshop, the reasons they type, the waitlist places
shown and mailed, and the words of the withdraw page."""

from email import policy
from email.parser import BytesParser

from tests.support.registration import body, details, link_from_outbox, outbox, taking_registrations  # noqa: F401


def _team(make_user, workshop):
    from workshop.workshops import service as workshops

    organizer = make_user()
    workshops.add_member(workshop, organizer.email, "organizer")
    return organizer


def _register(workshop, email, name):
    from workshop.registration import service

    return service.register(workshop, details(email=email, name=name))


def _last_mail_to(db, email):
    for row in reversed(outbox(db)):
        if email in row.recipients.split(","):
            return body(BytesParser(policy=policy.default).parsebytes(row.raw))
    raise AssertionError(f"no mail to {email}")


def test_the_reason_typed_for_each_organizer_action_is_kept_and_mailed(app, db, client, make_user, login_as, taking_registrations):
    workshop = taking_registrations(capacity=5, moderation=True)
    organizer = _team(make_user, workshop)
    people = {action: _register(workshop, f"{action}@example.org", f"Person {action}")
              for action in ("approve", "waitlist", "withdraw", "reject")}
    db.session.commit()
    login_as(organizer)
    for action, registration in people.items():
        reason = f"Because of {action}: the room is small."
        response = client.post(f"/manage/w/{workshop.slug}/registrations/{registration.id}/{action}",
                               data={"reason": reason})
        assert response.status_code == 302
        db.session.refresh(registration)
        assert registration.changes[-1].detail == reason
        assert reason in _last_mail_to(db, f"{action}@example.org")


def test_a_full_workshop_offers_no_approve_to_the_waitlist_but_a_seat_above_capacity(app, db, client, make_user, login_as, taking_registrations):
    from workshop.platform.audit.models import AuditEntry
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    organizer = _team(make_user, workshop)
    _register(workshop, "seated@example.org", "Seated Person")
    waiting = _register(workshop, "waiting@example.org", "Waiting Person")
    db.session.commit()
    login_as(organizer)
    dashboard = client.get(f"/manage/w/{workshop.slug}/registrations").get_data(as_text=True)
    assert f"/registrations/{waiting.id}/approve" not in dashboard
    assert "Seat above capacity" in dashboard
    detail = client.get(f"/manage/w/{workshop.slug}/registrations/{waiting.id}").get_data(as_text=True)
    assert f"/registrations/{waiting.id}/approve" not in detail
    assert f"/registrations/{waiting.id}/seat" in detail

    response = client.post(f"/manage/w/{workshop.slug}/registrations/{waiting.id}/seat", data={"reason": "Our keynote."})
    assert response.status_code == 302
    db.session.refresh(waiting)
    assert waiting.state == "confirmed"
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "registration.seated_above_capacity"))
    assert entry is not None and entry.object_id == waiting.id
    assert service.seats_above_capacity(workshop) == 1
    dashboard = client.get(f"/manage/w/{workshop.slug}/registrations").get_data(as_text=True)
    assert "Seats taken: 2 of 1." in dashboard and "1 seat above capacity, given on purpose." in dashboard


def test_waitlist_places_are_the_current_ones_on_the_dashboard_and_in_the_email(app, db, client, make_user, login_as, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    organizer = _team(make_user, workshop)
    seated = _register(workshop, "seated@example.org", "Seated Person")
    first = _register(workshop, "first@example.org", "First Waiting")
    _register(workshop, "second@example.org", "Second Waiting")
    _register(workshop, "third@example.org", "Third Waiting")
    service.withdraw(seated)  # First Waiting is promoted: Second and Third are now 1 and 2
    db.session.commit()
    db.session.refresh(first)
    assert first.state == "confirmed"
    login_as(organizer)
    dashboard = client.get(f"/manage/w/{workshop.slug}/registrations").get_data(as_text=True)
    assert "on the waitlist</span> #1" in dashboard and "on the waitlist</span> #2" in dashboard
    assert "#3" not in dashboard

    # Moving the seated person to the waitlist gives their seat to Second; First is then number 2.
    client.post(f"/manage/w/{workshop.slug}/registrations/{first.id}/waitlist", data={"reason": ""})
    assert service.waitlist_place(first) == 2
    assert "on the waitlist, number 2." in _last_mail_to(db, "first@example.org").replace("\n", " ")


def test_the_withdraw_page_promises_the_seat_only_when_someone_is_waiting(app, db, client, taking_registrations):
    workshop = taking_registrations(capacity=1)
    _register(workshop, "seated@example.org", "Seated Person")
    db.session.commit()
    link = link_from_outbox(db, "seated@example.org")
    page = client.get(link + "/withdraw").get_data(as_text=True)
    assert "next person on the waitlist" not in page
    assert "Your seat will be free for someone else." in page
    assert "to come after all" not in page
    assert "If you change your mind, you can register again while registration is open" in page

    _register(workshop, "waiting@example.org", "Waiting Person")
    db.session.commit()
    assert "Your seat will go to the next person on the waitlist." in client.get(link + "/withdraw").get_data(as_text=True)
    waiting_page = client.get(link_from_outbox(db, "waiting@example.org") + "/withdraw").get_data(as_text=True)
    assert "You will leave the waitlist." in waiting_page
