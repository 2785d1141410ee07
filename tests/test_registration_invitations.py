"""Invitations: unguessable hashed tokens, bound to the invitee's email, and their life cycle."""

from datetime import timedelta

import sqlalchemy as sa

from tests.support.registration import form_data, link_from_outbox, taking_registrations  # noqa: F401
from workshop.platform.types import utcnow


def _contact(email="ama@example.org", name="Ama Mensah"):
    from workshop.people import service as people

    return people.save_contact(None, name=name, email=email, organization="Mission of Ghana", country="GH")


def _invite(workshop, contact):
    from workshop.registration import invitations

    invitation = invitations.invite(workshop, contact)
    from workshop.platform.db import db

    return invitation, link_from_outbox(db, contact.email, "invitations")


def test_the_token_is_long_random_and_only_its_hash_is_stored(app, db, taking_registrations):
    from workshop.registration.models import AccessToken
    from workshop.registration.tokens import hash_token

    workshop = taking_registrations(mode="invitation")
    invitation, link = _invite(workshop, _contact())
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64url: 256 bits
    stored = db.session.scalars(sa.select(AccessToken.token_hash)).all()
    assert stored == [hash_token(token)]
    assert token not in str(stored)
    assert invitation.email == "ama@example.org"


def test_invitation_life_cycle_open_accept_then_the_link_is_used(app, db, client, taking_registrations):
    from workshop.registration.models import Invitation, InvitationState, Registration

    workshop = taking_registrations(mode="invitation")
    invitation, link = _invite(workshop, _contact())
    assert invitation.state == InvitationState.PENDING and invitation.opened_at is None

    page = client.get(link)
    assert page.status_code == 200
    assert "Accept and register" in page.get_data(as_text=True)
    assert f'action="{link}/seen"' in page.get_data(as_text=True)  # reported by the page's script
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).opened_at is None  # a GET writes nothing (link scanners)
    assert client.post(link + "/seen").status_code == 204
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).opened_at is not None

    form = client.get(link + "/accept").get_data(as_text=True)
    assert 'value="ama@example.org" readonly' in form and 'value="Ama Mensah"' in form  # prefilled, locked
    done = client.post(link + "/accept", data=form_data("ama@example.org"))
    assert "You are registered" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).state == InvitationState.ACCEPTED
    registration = db.session.scalar(sa.select(Registration))
    assert registration.invitation_id == invitation.id

    # Opened again after answering: where they stand, and a way to their registration by mail.
    again = client.get(link)
    assert again.status_code == 200
    text = again.get_data(as_text=True)
    assert "You accepted this invitation." in text and "Your registration is confirmed" in text
    assert "already been used" not in text
    assert client.get(link + "/accept").status_code == 200  # the same page, not a second form
    assert "Your registration is confirmed" in client.get(link + "/accept").get_data(as_text=True)
    sent = client.post(link + "/registration-link")
    assert "We have sent the link to your registration to ama@example.org" in sent.get_data(as_text=True)
    assert client.get(link_from_outbox(db, "ama@example.org")).status_code == 200


def test_the_invitation_is_bound_to_the_invited_email_whatever_the_form_says(app, db, client, taking_registrations):
    from workshop.registration.models import Registration

    workshop = taking_registrations(mode="invitation")
    _, link = _invite(workshop, _contact())
    client.post(link + "/accept", data=form_data("someone.else@example.org"))
    emails = db.session.scalars(sa.select(Registration.email)).all()
    assert emails == ["ama@example.org"]


def test_decline_with_a_message_records_it_and_uses_up_the_link(app, db, client, taking_registrations):
    from workshop.registration.models import Invitation, InvitationState

    workshop = taking_registrations(mode="invitation")
    invitation, link = _invite(workshop, _contact())
    page = client.post(link + "/decline", data={"message": "Travelling that week."})
    assert "declined the invitation" in page.get_data(as_text=True)
    db.session.expire_all()
    invitation = db.session.get(Invitation, invitation.id)
    assert invitation.state == InvitationState.DECLINED
    assert invitation.decline_message == "Travelling that week."
    assert client.post(link + "/decline", data={}).status_code == 404  # answered once


def test_a_decline_can_be_changed_while_registration_is_open(app, db, client, taking_registrations):
    from workshop.platform.audit.models import AuditEntry
    from workshop.registration import service
    from workshop.registration.models import Invitation, InvitationState, Registration

    workshop = taking_registrations(mode="invitation")
    invitation, link = _invite(workshop, _contact())
    client.post(link + "/decline", data={"message": "Travelling that week."})
    again = client.get(link)
    assert again.status_code == 200
    text = again.get_data(as_text=True)
    assert "You declined this invitation." in text and "Changed your mind?" in text
    assert f'href="{link}/accept"' in text
    assert client.get(link + "/accept").status_code == 200
    done = client.post(link + "/accept", data=form_data("ama@example.org"))
    assert "You are registered" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).state == InvitationState.ACCEPTED
    assert db.session.scalar(sa.select(Registration.email)) == "ama@example.org"
    moves = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("invitation.%"))).all()
    assert moves == ["invitation.declined", "invitation.accepted"]

    # Once registration closes, a decline stands: the page says so and offers no form.
    _, second = _invite(workshop, _contact("b@example.org", "B"))
    client.post(second + "/decline", data={})
    service.update_settings(workshop, closes_at=utcnow() - timedelta(minutes=1), opens_at=utcnow() - timedelta(days=1))
    db.session.commit()
    closed = client.get(second).get_data(as_text=True)
    assert "Changed your mind?" not in closed and "Registration is closed" in closed
    assert client.post(second + "/accept", data=form_data("b@example.org")).status_code in (200, 404)
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1


def test_an_expired_invitation_answers_404_and_cannot_register(app, db, client, taking_registrations):
    from workshop.registration import invitations
    from workshop.registration.models import Invitation, InvitationState, Registration

    workshop = taking_registrations(mode="invitation")
    invitation, link = _invite(workshop, _contact())
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(link).status_code == 404
    assert client.post(link + "/accept", data=form_data("ama@example.org")).status_code == 404
    db.session.expire_all()
    found = db.session.get(Invitation, invitation.id)
    assert invitations.shown_state(found) == InvitationState.EXPIRED  # read as expired at once
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0
    assert invitations.expire_all_overdue() == 1  # the mail worker's hourly job records it
    assert db.session.get(Invitation, invitation.id).state == InvitationState.EXPIRED


def test_unknown_token_is_a_404_page_in_words_with_the_resend_form(client, app):
    for path in ("/invitations/not-a-real-token", "/registrations/not-a-real-token",
                 "/registrations/" + "x" * 300):
        response = client.get(path)
        assert response.status_code == 404
        text = response.get_data(as_text=True)
        assert "This link does not work" in text and 'action="/links/resend"' in text
        assert "Traceback" not in text


def test_reminders_go_only_to_those_who_have_not_answered_and_old_links_keep_working(app, db, client, taking_registrations):
    from workshop.platform.mail.models import OutboxMessage
    from workshop.registration import invitations

    workshop = taking_registrations(mode="invitation")
    _, first_link = _invite(workshop, _contact("a@example.org", "A"))
    _, declined_link = _invite(workshop, _contact("b@example.org", "B"))
    client.post(declined_link + "/decline", data={})
    before = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)))
    assert invitations.send_reminders(workshop) == 1
    reminders = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.id > before)).all()
    assert [m.recipients for m in reminders] == ["a@example.org"]
    assert reminders[0].subject.startswith("Reminder")
    reminder_link = link_from_outbox(db, "a@example.org", "invitations")
    assert reminder_link != first_link
    assert client.get(first_link).status_code == 200
    assert client.get(reminder_link).status_code == 200


def test_invite_by_category_invites_that_category_once(app, db, taking_registrations):
    from workshop.registration import invitations, service
    from workshop.registration.models import Invitation

    workshop = taking_registrations(mode="invitation")
    categories = {c.name: c for c in service.categories_for(workshop)}
    focal = categories["R2P Focal Point"]
    for n in range(3):
        invitations.set_contact_category(workshop, _contact(f"fp{n}@example.org", f"FP {n}"), focal)
    invitations.set_contact_category(workshop, _contact("un@example.org", "UN"), categories["UN official"])
    db.session.commit()
    assert invitations.invite_category(workshop, focal) == 3
    assert invitations.invite_category(workshop, focal) == 0
    rows = db.session.scalars(sa.select(Invitation).order_by(Invitation.email)).all()
    assert [(i.email, i.category.name) for i in rows] == [
        ("fp0@example.org", "R2P Focal Point"), ("fp1@example.org", "R2P Focal Point"),
        ("fp2@example.org", "R2P Focal Point")]


def test_organizer_invites_one_contact_and_sees_who_opened_and_answered(app, db, client, make_user, login_as, taking_registrations):
    organizer = make_user()
    workshop = taking_registrations(mode="invitation")
    from workshop.workshops import service as workshops

    workshops.add_member(workshop, organizer.email, "organizer")
    _contact()
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/invitations/one",
                           data={"one-email": "AMA@example.org", "one-category_id": "None"})
    assert response.status_code == 302
    link = link_from_outbox(db, "ama@example.org", "invitations")
    client.get(link)
    client.post(link + "/seen")
    page = client.get(f"/manage/w/{workshop.slug}/invitations").get_data(as_text=True)
    assert "ama@example.org" in page and "Pending 1 · opened 1 · accepted 0" in page
    missing = client.post(f"/manage/w/{workshop.slug}/invitations/one", data={"one-email": "nobody@example.org"})
    assert missing.status_code == 422 and "No contact has this email" in missing.get_data(as_text=True)


def test_invitations_follow_the_registration_deadline_when_it_moves(app, db, client, taking_registrations):
    from workshop.registration import invitations, service
    from workshop.registration.models import Invitation

    workshop = taking_registrations(mode="invitation", closes_at=utcnow() + timedelta(days=1))
    invitation, link = _invite(workshop, _contact())
    service.update_settings(workshop, closes_at=utcnow() + timedelta(days=30))
    assert invitations.expire_overdue(workshop, now=utcnow() + timedelta(days=2)) == 0
    assert client.get(link).status_code == 200
    assert invitations.expire_overdue(workshop, now=utcnow() + timedelta(days=31)) == 1
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).state == "expired"


def test_no_reminder_for_an_invitee_who_registered_through_the_open_form(app, db, taking_registrations):
    from workshop.registration import invitations, service
    from workshop.registration.models import Invitation

    workshop = taking_registrations(mode="open")
    invitation, _ = _invite(workshop, _contact())
    service.register(workshop, {"name": "Ama", "email": "ama@example.org", "consent": "nobody"})
    assert invitations.send_reminders(workshop) == 0
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).state == "accepted"
