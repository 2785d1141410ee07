"""The demo loads contacts, invitations in every state and registrations, and is idempotent."""

import sqlalchemy as sa


def test_demo_registration_data_is_complete_and_loading_twice_changes_nothing(app, db, client):
    from workshop.demo import OPEN_SLUG, R2P_SLUG, load_demo
    from workshop.platform.mail.models import OutboxMessage
    from workshop.people.models import Contact
    from workshop.registration import service
    from workshop.registration.models import Invitation, Registration
    from workshop.workshops.models import Workshop

    load_demo()
    counts = [db.session.scalar(sa.select(sa.func.count(model.id)))
              for model in (Contact, Invitation, Registration, OutboxMessage)]
    load_demo()
    assert [db.session.scalar(sa.select(sa.func.count(model.id)))
            for model in (Contact, Invitation, Registration, OutboxMessage)] == counts

    open_workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == OPEN_SLUG))
    settings = service.settings_for(open_workshop)
    assert (settings.mode, settings.capacity) == ("open", 40)
    states = set(db.session.scalars(sa.select(Invitation.state)))
    assert states == {"pending", "accepted", "declined", "expired"}
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(Invitation.opened_at.is_not(None),
                                                                         Invitation.state == "pending")) >= 1
    for slug in (R2P_SLUG, OPEN_SLUG):
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
        assert db.session.scalar(sa.select(sa.func.count(Registration.id)).where(
            Registration.workshop_id == workshop.id, Registration.state == "confirmed")) > 3
    page = client.get(f"/w/{OPEN_SLUG}/register")
    assert page.status_code == 200 and 'name="privacy"' in page.get_data(as_text=True)
    # Some demo people have an honorific, and their registrations carry it from the contact.
    petrova = db.session.scalar(sa.select(Registration).where(Registration.email == "elena.petrova@demo.example"))
    assert petrova.honorific == "dr"
    assert db.session.scalar(sa.select(Contact.honorific).where(Contact.email == "sofia.vargas@demo.example")) == "ms"
