"""The site admin's page of accounts: search, disable and enable, site admin and the right to
create workshops."""

import sqlalchemy as sa

from tests.conftest import TEST_PASSWORD, login
from workshop.auth import service
from workshop.auth.models import User
from workshop.platform.audit.models import AuditEntry


def test_search_finds_by_name_or_email(client, make_user):
    admin = make_user("admin@example.org", "Ada Admin", admin=True)
    make_user("ravi@example.org", "Ravi Rapporteur")
    make_user("olga@example.org", "Olga Organizer")
    login(client, admin)
    page = client.get("/manage/accounts/?q=rapp").get_data(as_text=True)
    assert "ravi@example.org" in page and "olga@example.org" not in page
    page = client.get("/manage/accounts/?q=OLGA@").get_data(as_text=True)
    assert "olga@example.org" in page and "ravi@example.org" not in page
    page = client.get("/manage/accounts/?q=%25").get_data(as_text=True)  # a literal %, not "anything"
    assert "No account matches." in page


def test_granting_and_removing_site_admin_and_workshop_creation(client, db, make_user):
    admin = make_user(admin=True)
    other = make_user()
    login(client, admin)
    prefix = f"u{other.id}-"
    client.post(f"/manage/accounts/{other.id}", data={prefix + "is_admin": "y", prefix + "can_create_workshops": "y"})
    other = db.session.get(User, other.id)
    assert other.is_admin and other.can_create_workshops
    client.post(f"/manage/accounts/{other.id}", data={})
    other = db.session.get(User, other.id)
    assert not other.is_admin and not other.can_create_workshops
    changes = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "account.rights_changed")).all()
    assert len(changes) == 2


def test_an_admin_cannot_lock_themselves_out(client, db, make_user):
    admin = make_user(admin=True)
    login(client, admin)
    response = client.post(f"/manage/accounts/{admin.id}", data={}, follow_redirects=True)
    assert "cannot remove your own site admin right" in response.get_data(as_text=True)
    response = client.post(f"/manage/accounts/{admin.id}/disable", follow_redirects=True)
    assert "cannot disable your own account" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id).is_admin and db.session.get(User, admin.id).is_active


def test_a_disabled_account_is_shown_and_can_be_enabled(client, db, make_user):
    admin = make_user(admin=True)
    other = make_user("gone@example.org")
    login(client, admin)
    client.post(f"/manage/accounts/{other.id}/disable")
    assert "disabled" in client.get("/manage/accounts/?q=gone").get_data(as_text=True)
    assert service.authenticate("gone@example.org", TEST_PASSWORD).is_active is False
    client.post(f"/manage/accounts/{other.id}/enable")
    assert db.session.get(User, other.id).is_active
    actions = [e.action for e in db.session.scalars(sa.select(AuditEntry))]
    assert "account.disabled" in actions and "account.enabled" in actions
