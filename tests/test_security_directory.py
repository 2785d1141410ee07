"""The shared contact directory: who may create workshops, who reads which contacts, who may
change them, and that every change is in the audit log."""

import pytest
import sqlalchemy as sa


@pytest.fixture
def victim(app, db, make_user, make_workshop):
    """Another organizer's workshop with an invited contact who chairs its opening session."""
    from tests.support.agenda import add_item
    from workshop.agenda import service as agenda
    from workshop.people import service as people
    from workshop.registration import invitations

    organizer = make_user("victim.organizer@example.org", can_create_workshops=True)
    workshop = make_workshop(organizer, slug="victims-workshop")
    contact = people.save_contact(None, name="Amina Diallo", email="amina@mission.example", by=organizer)
    invitation = invitations.invite(workshop, contact, by=organizer)
    item = add_item(workshop, title="Opening")
    agenda.update_item(item, chairs=[contact])
    db.session.commit()
    return {"organizer": organizer, "workshop": workshop, "contact": contact, "invitation": invitation}


def test_a_rapporteur_only_account_cannot_create_a_throwaway_workshop_to_reach_the_directory(
        client, make_user, login_as, victim):
    login_as(make_user("rapporteur@example.org"))
    assert client.get("/manage/contacts/").status_code == 403
    created = client.post("/manage/workshops/new", data={
        "title": "Throwaway", "slug": "throwaway", "timezone": "UTC",
        "start_date": "2030-01-01", "end_date": "2030-01-02"})
    assert created.status_code == 403
    assert client.get("/manage/contacts/").status_code == 403
    assert "New workshop" not in client.get("/manage/").get_data(as_text=True)


@pytest.fixture
def everyone_creates(app):
    app.config["WORKSHOP_CREATION"] = "everyone"


def test_even_when_everyone_may_create_workshops_a_new_organizer_reads_and_changes_no_one_elses_contacts(
        client, db, make_user, login_as, victim, everyone_creates):
    from workshop.people.models import Contact
    from workshop.registration.models import Invitation

    contact = victim["contact"]
    login_as(make_user("attacker@example.org"))
    created = client.post("/manage/workshops/new", data={
        "title": "Throwaway", "slug": "throwaway", "timezone": "UTC",
        "start_date": "2030-01-01", "end_date": "2030-01-02"})
    assert created.status_code == 302
    listing = client.get("/manage/contacts/").get_data(as_text=True)
    assert "amina@mission.example" not in listing and "Amina Diallo" not in listing
    assert client.get("/manage/contacts/?q=amina").get_data(as_text=True).count("amina@mission.example") == 0
    assert client.get(f"/manage/contacts/{contact.id}/edit").status_code == 404
    hijack = client.post(f"/manage/contacts/{contact.id}/edit", data={
        "name": "Amina Diallo", "email": "attacker@evil.example"})
    assert hijack.status_code == 404
    # Nor through a CSV import naming the same email: the contact stays as it was.
    upload = client.post("/manage/contacts/import", data={
        "confirm-csv_text": "name,email,organization\nMr Attacker,amina@mission.example,Evil Inc\n",
        "confirm-submit": "Import"})
    assert upload.status_code == 302
    # Nor by picking the contact's id as a chair on an agenda of their own.
    agenda_form = client.get("/manage/w/throwaway/agenda/new").get_data(as_text=True)
    assert "amina@mission.example" not in agenda_form
    db.session.expire_all()
    contact = db.session.get(Contact, contact.id)
    assert (contact.name, contact.email, contact.organization) == ("Amina Diallo", "amina@mission.example", "")
    assert db.session.scalar(sa.select(Invitation.email)) == "amina@mission.example"


def test_a_contact_another_organizers_workshop_uses_is_changed_by_a_site_admin_only_and_audited(
        client, db, make_user, make_workshop, login_as, victim):
    from workshop.platform.audit.models import AuditEntry
    from workshop.registration import invitations

    contact = victim["contact"]
    colleague = make_user("colleague@example.org", can_create_workshops=True)
    theirs = make_workshop(colleague, slug="colleagues-workshop")
    invitations.invite(theirs, contact, by=colleague)
    db.session.commit()

    login_as(colleague)
    assert contact.email in client.get("/manage/contacts/").get_data(as_text=True), "used by their workshop"
    refused = client.get(f"/manage/contacts/{contact.id}/edit")
    assert refused.status_code == 403 and "Only a site admin can change this contact" in refused.get_data(as_text=True)
    assert client.post(f"/manage/contacts/{contact.id}/edit", data={
        "name": "Renamed", "email": "elsewhere@example.org"}).status_code == 403

    client.post("/logout")
    login_as(make_user("admin@example.org", admin=True))
    saved = client.post(f"/manage/contacts/{contact.id}/edit", data={
        "name": "Amina Diallo-Sow", "email": "amina.sow@mission.example"})
    assert saved.status_code == 302
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "contact.updated")).all()
    # In the log of each workshop that uses the contact, with what changed.
    assert sorted(e.workshop_id for e in entries) == sorted([victim["workshop"].id, theirs.id])
    assert entries[0].detail["changes"]["email"] == ["amina@mission.example", "amina.sow@mission.example"]
    assert entries[0].actor_label.startswith("admin@example.org") or entries[0].actor_user_id is not None


def test_an_invitation_keeps_the_address_it_was_issued_to(app, db, victim):
    from workshop.people import service as people
    from workshop.platform.mail.models import OutboxMessage
    from workshop.registration import invitations

    people.save_contact(victim["contact"], name="Amina Diallo", email="someone.else@example.org")
    invitations.send_reminders(victim["workshop"])
    db.session.commit()
    invitation = db.session.get(type(victim["invitation"]), victim["invitation"].id)
    assert invitation.email == "amina@mission.example"
    recipients = set(db.session.scalars(sa.select(OutboxMessage.recipients)))
    assert recipients == {"amina@mission.example"}


def test_contacts_an_organizer_adds_are_theirs_to_see_and_change_and_the_creation_is_audited(
        client, db, make_user, make_workshop, login_as, victim):
    from workshop.platform.audit.models import AuditEntry

    organizer = make_user("fresh@example.org", can_create_workshops=True)
    make_workshop(organizer, slug="fresh-workshop")
    login_as(organizer)
    assert client.post("/manage/contacts/new", data={"name": "Lars Holm", "email": "lars@example.org"}).status_code == 302
    listing = client.get("/manage/contacts/").get_data(as_text=True)
    assert "lars@example.org" in listing and "amina@mission.example" not in listing
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "contact.created")) == 2


def test_a_site_admin_grants_the_right_to_create_workshops_on_the_accounts_page(client, db, make_user, login_as):
    from workshop.auth.models import User
    from workshop.platform.audit.models import AuditEntry

    person = make_user("person@example.org")
    login_as(make_user("admin@example.org", admin=True))
    page = client.get("/manage/accounts/").get_data(as_text=True)
    assert "person@example.org" in page
    assert client.post(f"/manage/accounts/{person.id}", data={
        f"u{person.id}-can_create_workshops": "y"}).status_code == 302
    db.session.expire_all()
    person = db.session.get(User, person.id)
    assert person.can_create_workshops and not person.sees_all_contacts
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.rights_changed"))
    assert entry.detail["can_create_workshops"] is True


def test_an_account_an_admin_lets_see_all_reads_every_contact_but_changes_only_its_own(
        client, db, make_user, make_workshop, login_as, victim):
    reader = make_user("reader@example.org")
    reader.sees_all_contacts = True
    db.session.commit()
    login_as(reader)
    assert "amina@mission.example" in client.get("/manage/contacts/").get_data(as_text=True)
    assert client.get(f"/manage/contacts/{victim['contact'].id}/edit").status_code == 403


def test_the_grant_command_gives_and_takes_the_right(app, db, runner, make_user):
    from workshop.auth.models import User

    make_user("cli@example.org")
    assert "may now create workshops" in runner.invoke(args=["grant-workshop-creation", "CLI@example.org"]).output
    assert db.session.scalar(sa.select(User.can_create_workshops).where(User.email == "cli@example.org"))
    assert "may no longer" in runner.invoke(args=["grant-workshop-creation", "cli@example.org", "--revoke"]).output
    db.session.expire_all()
    assert not db.session.scalar(sa.select(User.can_create_workshops).where(User.email == "cli@example.org"))
    assert runner.invoke(args=["grant-workshop-creation", "nobody@example.org"]).exit_code != 0


def test_existing_organizers_keep_the_right_when_the_migration_runs(tmp_path):
    from flask_migrate import upgrade

    from workshop import create_app
    from workshop.platform.db import db

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "TESTING": True}, instance_path=str(tmp_path))
    with app.app_context():
        upgrade(revision="0012")
        with db.engine.begin() as connection:
            for n, admin in ((1, False), (2, False), (3, True)):
                connection.execute(sa.text(
                    "INSERT INTO users (id, email, name, password_hash, is_admin, is_active_account, created_at) "
                    "VALUES (:id, :email, 'X', 'x', :admin, 1, '2026-01-01 00:00:00')"),
                    {"id": n, "email": f"u{n}@example.org", "admin": admin})
            connection.execute(sa.text(
                "INSERT INTO workshops (id, slug, title, theme, network, prepares_meeting, conference, venue, city, "
                "timezone, start_date, end_date, description, status, sequence, public_version, created_at, updated_at) "
                "VALUES (1, 'w', 'W', '', '', '', '', '', '', 'UTC', '2030-01-01', '2030-01-02', '', 'draft', 0, '', "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
            connection.execute(sa.text(
                "INSERT INTO workshop_members (workshop_id, user_id, role, created_at) "
                "VALUES (1, 1, 'organizer', '2026-01-01 00:00:00'), (1, 2, 'rapporteur', '2026-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as connection:
            rights = dict(connection.execute(sa.text("SELECT id, can_create_workshops FROM users")).all())
        db.engine.dispose()
    assert {k: bool(v) for k, v in rights.items()} == {1: True, 2: False, 3: True}
