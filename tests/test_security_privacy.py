"""Privacy: personal data kept only for the workshop's retention period, links organizers can
revoke, and participant lists that follow each registrant's consent."""

import threading
from datetime import date, datetime, timezone

import sqlalchemy as sa

from tests.support.registration import details, form_data, link_from_outbox, taking_registrations  # noqa: F401


def _past(db, workshop):
    """The workshop took place in 2020 (registered while it was in the future)."""
    workshop.start_date, workshop.end_date = date(2020, 3, 1), date(2020, 3, 2)
    db.session.commit()


def _mark_all_sent(db):
    from workshop.platform.mail.models import OutboxMessage, OutboxStatus

    db.session.execute(sa.update(OutboxMessage).values(status=OutboxStatus.SENT))
    db.session.commit()


def _count(db, model, *where):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _registered(client, db, workshop, n, **overrides):
    email = f"person{n}-{workshop.id}@example.org"
    values = {"name": f"Person {n}", "dietary_needs": "No nuts", "accessibility_needs": "Step-free access",
              "position": "Ambassador", "organization": "Mission", "country": "KE", **overrides}
    response = client.post(f"/w/{workshop.slug}/register", data=form_data(email, **values))
    assert response.status_code == 200
    return email, link_from_outbox(db, email)


def _invite_and_decline(client, db, workshop, email):
    from workshop.people import service as people
    from workshop.registration import invitations

    contact = people.save_contact(None, name="Invited Person", email=email, position="", organization="",
                                  country="FR")
    invitations.invite(workshop, contact)
    link = link_from_outbox(db, email, kind="invitations")
    assert client.post(f"{link}/decline", data={"message": "Sorry, I am travelling."}).status_code == 200
    return link


def test_flask_purge_removes_personal_data_past_retention_and_keeps_the_counts(client, db, runner, taking_registrations):
    from workshop.platform.audit.models import AuditEntry
    from workshop.platform.mail.models import OutboxMessage, OutboxStatus
    from workshop.platform.mail.outbox import queue_mail
    from workshop.registration import dashboard, service
    from workshop.registration.models import AccessToken, Invitation, Registration

    workshop = taking_registrations(retention_days=30, capacity=1)
    kept = taking_registrations(retention_days=30)  # still in the future: untouched
    forever = taking_registrations()  # no retention period set: untouched
    email, link = _registered(client, db, workshop, 1)
    _registered(client, db, workshop, 2)  # waitlisted
    invitation_link = _invite_and_decline(client, db, workshop, "invitee@example.org")
    kept_email, kept_link = _registered(client, db, kept, 3)
    _registered(client, db, forever, 4)
    _past(db, workshop)
    _past(db, forever)
    _mark_all_sent(db)
    queue_mail("other@example.org", "test_message", subject="Unrelated")
    db.session.commit()
    by_state = dashboard.counts_by_state(workshop)
    by_category = dashboard.counts_by_category(workshop)

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Purged 2 registrations, 1 invitations" in result.output and workshop.slug in result.output

    db.session.expire_all()
    purged = db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop.id)
                                .order_by(Registration.id)).all()
    assert [r.state for r in purged] == ["confirmed", "waitlisted"]
    for r in purged:
        assert r.purged_at is not None and r.country == "KE"
        assert (r.name, r.position, r.organization, r.dietary_needs, r.accessibility_needs) == ("", "", "", "", "")
        assert "@" not in r.email and r.arrival_date is None
        assert all(change.detail == "" for change in r.changes)
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.workshop_id == workshop.id))
    assert (invitation.name, invitation.decline_message, invitation.state) == ("", "", "declined")
    assert "@" not in invitation.email
    assert dashboard.counts_by_state(workshop) == by_state
    assert dashboard.counts_by_category(workshop) == by_category
    assert _count(db, AccessToken, AccessToken.registration_id.in_([r.id for r in purged])) == 0
    assert client.get(link).status_code == 404 and client.get(invitation_link).status_code == 404
    # Mail already sent to them is gone; mail to others, and still to send, stays.
    for address in (email, "invitee@example.org"):
        assert _count(db, OutboxMessage, OutboxMessage.recipients.contains(address)) == 0
    assert _count(db, OutboxMessage, OutboxMessage.recipients.contains(kept_email)) >= 1
    assert _count(db, OutboxMessage, OutboxMessage.status == OutboxStatus.QUEUED) == 1
    # Other workshops keep everything.
    assert client.get(kept_link).status_code == 200
    assert _count(db, Registration, Registration.purged_at.is_not(None)) == 2
    # Recorded, without names.
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "registration.personal_data_purged"))
    assert entry.workshop_id == workshop.id and entry.actor_label == "system"
    assert entry.detail["registrations"] == 2 and entry.detail["invitations"] == 1
    assert "Person" not in str(entry.detail)
    assert service.settings_for(workshop).purged_at is not None
    # Twice is harmless.
    assert "Nothing to purge." in runner.invoke(args=["purge"]).output


def test_the_retention_period_counts_from_the_workshops_last_day(app, db, taking_registrations):
    from workshop.registration import retention, service

    workshop = taking_registrations(retention_days=10)
    service.register(workshop, {**details(), "email": "counted@example.org"})
    _past(db, workshop)  # ended 2 March 2020: kept through 12 March, purged from the 13th
    assert not retention.purge_expired(now=datetime(2020, 3, 12, 23, 59, tzinfo=timezone.utc))
    assert retention.purge_expired(now=datetime(2020, 3, 13, 0, 1, tzinfo=timezone.utc)).registrations == 1


def test_the_mail_worker_purges_on_start(app, db, taking_registrations):
    from workshop.platform.mail import worker
    from workshop.registration.models import Registration

    workshop = taking_registrations(retention_days=0)
    service_email = "worker-purge@example.org"
    from workshop.registration import service

    service.register(workshop, {**details(), "email": service_email})
    _past(db, workshop)
    stop = threading.Event()
    errors = []

    def run():
        with app.app_context():
            try:
                worker.run_forever(stop)
            except BaseException as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        for _ in range(600):
            db.session.expire_all()
            if _count(db, Registration, Registration.purged_at.is_not(None)) == 1:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not errors
    assert _count(db, Registration, Registration.purged_at.is_not(None)) == 1
    assert worker.HOUSEKEEPING_INTERVAL.total_seconds() == 3600


def test_organizers_set_the_retention_period_in_the_registration_settings(client, db, make_user, make_workshop, login_as):
    from workshop.registration import service

    organizer = make_user()
    workshop = make_workshop(organizer)
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/registration-settings"
    assert "Keep participants" in client.get(url).get_data(as_text=True)
    for bad in ("-1", "99999", "=1+1", "ten"):
        response = client.post(url, data={"mode": "open", "retention_days": bad})
        assert response.status_code == 422 and 'role="alert"' in response.get_data(as_text=True)
    assert client.post(url, data={"mode": "open", "retention_days": "180"}).status_code == 302
    assert service.settings_for(workshop).retention_days == 180
    assert client.post(url, data={"mode": "open", "retention_days": ""}).status_code == 302
    db.session.expire_all()
    assert service.settings_for(workshop).retention_days is None
    audit = client.get(f"/manage/w/{workshop.slug}/audit").get_data(as_text=True)
    assert "Registration settings changed" in audit


def test_organizers_revoke_a_registrants_links_and_it_is_recorded(client, db, make_user, login_as, taking_registrations):
    from workshop.platform.audit.models import AuditEntry

    workshop = taking_registrations()
    email, link = _registered(client, db, workshop, 1)
    organizer = make_user()
    from workshop.workshops import service as workshops

    workshops.add_member(workshop, organizer.email, "organizer")
    from workshop.registration.models import Registration

    registration = db.session.scalar(sa.select(Registration).where(Registration.email == email))
    assert client.get(link).status_code == 200
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/registrations/{registration.id}").get_data(as_text=True)
    assert "Revoke their links" in page
    response = client.post(f"/manage/w/{workshop.slug}/registrations/{registration.id}/links/revoke")
    assert response.status_code == 302
    client.post("/logout")
    assert client.get(link).status_code == 404
    assert client.get(f"{link}/calendar.ics").status_code == 404
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "registration.links_revoked"))
    assert entry.actor_user_id == organizer.id and entry.object_id == registration.id
    # The registrant can still ask for a fresh link, which works.
    assert client.post("/links/resend", data={"email": email}).status_code == 200
    assert client.get(link_from_outbox(db, email)).status_code == 200


def test_organizers_revoke_an_invitees_links(client, db, make_user, login_as, make_workshop):
    from workshop.platform.audit.models import AuditEntry
    from workshop.people import service as people
    from workshop.registration import invitations
    from workshop.registration.models import Invitation

    organizer = make_user()
    workshop = make_workshop(organizer)
    contact = people.save_contact(None, name="Invitee", email="revoked@example.org", position="",
                                  organization="", country="")
    invitations.invite(workshop, contact)
    link = link_from_outbox(db, "revoked@example.org", kind="invitations")
    assert client.get(link).status_code == 200
    invitation = db.session.scalar(sa.select(Invitation))
    login_as(organizer)
    assert "Revoke links" in client.get(f"/manage/w/{workshop.slug}/invitations").get_data(as_text=True)
    assert client.post(f"/manage/w/{workshop.slug}/invitations/{invitation.id}/links/revoke").status_code == 302
    assert client.get(link).status_code == 404
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "invitation.links_revoked")) is not None


def test_participant_lists_follow_consent_and_the_organizer_export_records_it(client, db, make_user, login_as,
                                                                             taking_registrations):
    import csv
    import io

    workshop = taking_registrations(participants_published=True, attribution_rule="on_record")
    _, public_link = _registered(client, db, workshop, 1, consent="public", name="Public Person")
    _, peers_link = _registered(client, db, workshop, 2, consent="participants", name="Peers Only")
    _registered(client, db, workshop, 3, consent="nobody", name="Nobody Sees")
    public = client.get(f"/w/{workshop.slug}/participants").get_data(as_text=True)
    assert "Public Person" in public and "Peers Only" not in public and "Nobody Sees" not in public
    for link in (public_link, peers_link):
        peers = client.get(f"{link}/participants").get_data(as_text=True)
        assert "Public Person" in peers and "Peers Only" in peers and "Nobody Sees" not in peers
    organizer = make_user()
    from workshop.workshops import service as workshops

    workshops.add_member(workshop, organizer.email, "organizer")
    login_as(organizer)
    rows = list(csv.reader(io.StringIO(client.post(f"/manage/w/{workshop.slug}/registrations.csv")
                                       .data.decode("utf-8-sig"))))
    consent = {row[0]: row[rows[0].index("Participant list consent")] for row in rows[1:]}
    assert consent == {"Public Person": "public", "Peers Only": "participants", "Nobody Sees": "nobody"}
    audit = client.get(f"/manage/w/{workshop.slug}/audit").get_data(as_text=True)
    assert "Registration list exported" in audit


def test_after_a_purge_state_changes_and_lists_never_write_to_or_show_removed_people(
        client, db, make_user, taking_registrations):
    from workshop.platform.mail.models import OutboxMessage
    from workshop.registration import retention, service
    from workshop.registration.models import Registration

    workshop = taking_registrations(retention_days=0, capacity=1, participants_published=True,
                                    attribution_rule="on_record")
    _registered(client, db, workshop, 1, consent="public")
    _registered(client, db, workshop, 2, consent="public")  # waitlisted
    _past(db, workshop)
    assert retention.purge_expired().registrations == 2
    before = _count(db, OutboxMessage)
    confirmed, waitlisted = db.session.scalars(sa.select(Registration).order_by(Registration.id)).all()
    service.withdraw(confirmed, by=make_user())  # frees the seat: the waitlisted one is promoted
    db.session.expire_all()
    assert db.session.get(Registration, waitlisted.id).state == "confirmed"
    assert _count(db, OutboxMessage) == before, "no mail to an address that no longer exists"
    page = client.get(f"/w/{workshop.slug}/participants")
    assert page.status_code == 200 and "Person" not in page.get_data(as_text=True)


def test_a_purge_leaves_no_mail_copy_audit_detail_or_directory_entry_of_the_people(
        app, client, db, runner, make_user, login_as, taking_registrations):
    """The file outbox, the audit log and the contact directory held the purged people too."""
    from pathlib import Path

    from tests.support.agenda import add_item
    from tests.support.smtp import deliver_outbox
    from workshop.people import service as people
    from workshop.people.models import Contact
    from workshop.platform.audit.models import AuditEntry
    from workshop.registration import invitations
    from workshop.workshops import service as workshops
    from workshop.workshops.models import Role

    outbox = Path(app.config["MAIL_URL"].removeprefix("file://"))
    workshop = taking_registrations(retention_days=30)
    other = taking_registrations(retention_days=30)  # in the future: keeps its people
    organizer = make_user(email="purging-organizer@example.org")
    workshops.add_member(workshop, organizer.email, Role.ORGANIZER)
    email, _ = _registered(client, db, workshop, 1, name="Adwoa Boateng")
    only_here = people.save_contact(None, name="Only Here", email="only.here@example.org")
    shared = people.save_contact(None, name="Shared Person", email="shared@example.org")
    kept = people.save_contact(None, name="Kept Person", email="kept@example.org", keep=True)
    speaker = people.save_contact(None, name="Speaker Person", email="speaker@example.org")
    for contact in (only_here, shared, kept, speaker):
        invitations.invite(workshop, contact)
    invitations.invite(other, shared)
    workshops_item = add_item(workshop, title="Opening")
    from workshop.agenda.models import AgendaItemPerson

    db.session.add(AgendaItemPerson(agenda_item_id=workshops_item.id, contact_id=speaker.id, role="speaker"))
    from workshop.platform.mail.outbox import queue_mail

    queue_mail("bystander@example.org", "test_message", subject="Unrelated")
    db.session.commit()
    deliver_outbox(app)
    copies = {path.name: path.read_bytes() for path in outbox.glob("*.eml")}
    assert any(b"only.here@example.org" in raw for raw in copies.values())
    # An export filtered by the person's name: the audit entry keeps the filter.
    login_as(organizer)
    assert client.post(f"/manage/w/{workshop.slug}/registrations.csv?q=Adwoa+Boateng").status_code == 200
    assert "Adwoa" in str(db.session.scalar(sa.select(AuditEntry.detail).where(AuditEntry.action == "registration.exported")))
    _past(db, workshop)

    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output

    db.session.expire_all()
    left = b"".join(path.read_bytes() for path in outbox.glob("*.eml"))
    for address in (email, "only.here@example.org", "kept@example.org", "speaker@example.org"):
        assert address.encode() not in left, address
    assert b"bystander@example.org" in left  # mail to anyone else stays
    details = " ".join(str(detail) for detail in db.session.scalars(
        sa.select(AuditEntry.detail).where(AuditEntry.workshop_id == workshop.id)))
    for text in ("Adwoa", "Boateng", email, "only.here@example.org", "Only Here"):
        assert text not in details, text
    remaining = set(db.session.scalars(sa.select(Contact.email)))
    assert "only.here@example.org" not in remaining
    assert {"shared@example.org", "kept@example.org", "speaker@example.org"} <= remaining
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "registration.personal_data_purged"))
    assert entry.detail["files"] >= 2 and entry.detail["contacts"] == 1


def test_a_contact_marked_keep_says_so_on_its_form(client, db, make_user, make_workshop, login_as):
    from workshop.people import service as people

    organizer = make_user()
    make_workshop(organizer)
    # Added by this organizer, so the directory rules let them change it.
    contact = people.save_contact(None, name="Regular Speaker", email="regular@example.org", by=organizer)
    db.session.commit()
    login_as(organizer)
    response = client.post(f"/manage/contacts/{contact.id}/edit", data={
        "name": "Regular Speaker", "email": "regular@example.org", "keep": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert people.find_contact("regular@example.org").keep is True


def test_purging_one_workshop_keeps_the_mail_the_same_person_got_from_another(
        app, client, db, runner, taking_registrations):
    """Someone registered at two workshops: the purge of the first deletes its mail to them,
    in the outbox and in the file outbox, and never the mail of the second."""
    from pathlib import Path

    from tests.support.smtp import deliver_outbox
    from workshop.platform.mail.models import OutboxMessage

    outbox = Path(app.config["MAIL_URL"].removeprefix("file://"))
    purged = taking_registrations(retention_days=30)
    kept = taking_registrations(retention_days=30)
    purged.title, kept.title = "The Purged Workshop", "The Kept Workshop"
    db.session.commit()
    email = "both-workshops@example.org"
    for workshop in (purged, kept):
        response = client.post(f"/w/{workshop.slug}/register", data=form_data(email, name="Twice Registered"))
        assert response.status_code == 200
    deliver_outbox(app)
    _past(db, purged)

    assert runner.invoke(args=["purge"]).exit_code == 0

    db.session.expire_all()
    subjects = db.session.scalars(sa.select(OutboxMessage.subject)
                                  .where(OutboxMessage.recipients.contains(email))).all()
    assert subjects and all("Kept" in subject for subject in subjects), subjects
    copies = [path.read_bytes() for path in outbox.glob("*.eml")]
    addressed = [raw for raw in copies if email.encode() in raw]
    assert addressed and all(b"Kept" in raw for raw in addressed)
    assert not any(b"Purged" in raw for raw in addressed)


# Dietary and accessibility needs behind the registrant's link ------------------------------------

ON_FILE = "An answer is on file — leave empty to keep, or enter a new one."
NEEDS = {"dietary_needs": "Coeliac, no gluten", "accessibility_needs": "Wheelchair user, step-free access"}


def _needs(db, email):
    from workshop.registration.models import Registration

    db.session.expire_all()
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == email))
    return {name: getattr(registration, name) for name in NEEDS}


def _edit(client, link, email, **fields):
    """The edit form as a browser sends it: every field, the needs left empty unless given."""
    return client.post(f"{link}/edit", data=form_data(email, **fields))


def test_a_link_holder_never_reads_the_dietary_and_accessibility_needs_and_an_empty_field_keeps_them(
        client, db, make_user, login_as, taking_registrations):
    """Whoever holds a forwarded link learns that needs are on file, not what they are; the
    organizers still read them, and no mail to the registrant repeats them."""
    from tests.support.registration import outbox
    from workshop.registration.models import Registration
    from workshop.workshops import service as workshops

    workshop = taking_registrations()
    email, link = _registered(client, db, workshop, 1, **NEEDS)
    assert _needs(db, email) == NEEDS
    page = client.get(link).get_data(as_text=True)
    assert "Dietary needs" in page and "Accessibility needs" in page and "only the organizers see it" in page
    edit = client.get(f"{link}/edit").get_data(as_text=True)
    for value in NEEDS.values():
        assert value not in page and value not in edit
    assert edit.count(ON_FILE) == 2
    assert 'name="dietary_needs_clear"' in edit and 'name="accessibility_needs_clear"' in edit
    # Each box says which answer it removes (a screen reader lists labels alone).
    assert "Remove the answer on file for “Dietary needs”" in edit
    assert "Remove the answer on file for “Accessibility needs”" in edit
    # Saved with both fields left empty (and another change): both kept.
    assert _edit(client, link, email, name="Ama K. Mensah").status_code == 302
    assert _needs(db, email) == NEEDS
    # The mail the registrant got repeats neither (it goes to their own address, but still).
    mails = [row.raw for row in outbox(db) if row.recipients == email]
    assert mails and not any(value.encode() in raw for raw in mails for value in NEEDS.values())
    # The organizers see them on the registration's page.
    organizer = make_user()
    workshops.add_member(workshop, organizer.email, "organizer")
    login_as(organizer)
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == email))
    detail = client.get(f"/manage/w/{workshop.slug}/registrations/{registration.id}").get_data(as_text=True)
    assert all(value in detail for value in NEEDS.values())


def test_a_new_value_replaces_the_needs_on_file_and_the_box_removes_them(client, db, taking_registrations):
    workshop = taking_registrations()
    email, link = _registered(client, db, workshop, 1, **NEEDS)
    assert _edit(client, link, email, dietary_needs="Vegan").status_code == 302
    assert _needs(db, email) == {**NEEDS, "dietary_needs": "Vegan"}
    assert "Vegan" not in client.get(f"{link}/edit").get_data(as_text=True)
    # The box wins over a value typed with it: the answer is removed.
    assert _edit(client, link, email, accessibility_needs="Typed anyway",
                 accessibility_needs_clear="y").status_code == 302
    assert _needs(db, email) == {"dietary_needs": "Vegan", "accessibility_needs": ""}
    # Nothing on file any more: no hint, no box, and the page lists no accessibility needs.
    edit = client.get(f"{link}/edit").get_data(as_text=True)
    assert edit.count(ON_FILE) == 1 and 'name="accessibility_needs_clear"' not in edit
    assert "Accessibility needs</dt>" not in client.get(link).get_data(as_text=True)
    # A box sent for a field with nothing on file does nothing; a value typed there is saved.
    assert _edit(client, link, email, accessibility_needs="Hearing loop",
                 accessibility_needs_clear="y").status_code == 302
    assert _needs(db, email) == {"dietary_needs": "Vegan", "accessibility_needs": "Hearing loop"}

