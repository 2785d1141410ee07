"""Team invitations by email: existing accounts are added and told; others get a one-time
link to create their account and join; pending invitations are re-sent and revoked."""

from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import login
from tests.support.accounts import account_link, mails_to
from tests.support.registration import body
from workshop.auth import service as accounts
from workshop.platform.audit.models import AuditEntry
from workshop.platform.types import utcnow
from workshop.workshops.models import TeamInvitation, WorkshopMember

PASSWORD = "rapporteur passphrase"


def _organizer_with_workshop(client, make_user, make_workshop):
    organizer = make_user("olga@example.org", "Olga Organizer", can_create_workshops=True)
    workshop = make_workshop(organizer, title="Early Warning", slug="early-warning")
    login(client, organizer)
    return organizer, workshop


def _actions(db):
    return [e.action for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_an_existing_account_is_added_and_told_by_email(client, db, make_user, make_workshop):
    _organizer, workshop = _organizer_with_workshop(client, make_user, make_workshop)
    ravi = make_user("ravi@example.org", "Ravi Rapporteur")
    response = client.post("/manage/w/early-warning/team", data={"email": "Ravi@Example.org", "role": "rapporteur"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(WorkshopMember).where(WorkshopMember.user_id == ravi.id))
    [mail] = mails_to(db, "ravi@example.org")
    assert "Early Warning" in mail["Subject"]
    assert "http://workshop.test/manage/w/early-warning/" in body(mail)
    again = client.post("/manage/w/early-warning/team", data={"email": "ravi@example.org", "role": "rapporteur"})
    assert again.status_code == 422 and "on the team already" in again.get_data(as_text=True)


def test_a_new_person_joins_through_the_link_and_is_signed_in(app, client, db, make_user, make_workshop):
    _organizer_with_workshop(client, make_user, make_workshop)
    response = client.post("/manage/w/early-warning/team", data={"email": "new@example.org", "role": "rapporteur"})
    assert response.status_code == 302
    team_page = client.get("/manage/w/early-warning/team").get_data(as_text=True)
    assert "new@example.org" in team_page and "Invited, not yet joined" in team_page
    assert "flask create-user" not in team_page
    link = account_link(db, "new@example.org", "/team-invitations/")
    [invitation] = db.session.scalars(sa.select(TeamInvitation)).all()
    assert link.rsplit("/", 1)[1] != invitation.token_hash
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
    invitee = app.test_client()
    assert invitee.get(link).status_code == 200
    weak = invitee.post(link, data={"name": "Nia New", "password": "short", "confirm": "short"})
    assert weak.status_code == 422 and accounts.find_user("new@example.org") is None
    joined = invitee.post(link, data={"name": "Nia New", "password": PASSWORD, "confirm": PASSWORD})
    assert joined.status_code == 302 and joined.headers["Location"] == "/manage/w/early-warning/"
    assert invitee.get("/manage/w/early-warning/").status_code == 200  # signed in, a rapporteur
    user = accounts.find_user("new@example.org")
    assert user.name == "Nia New" and user.check_password(PASSWORD)
    used = app.test_client().get(link)
    assert used.status_code == 404 and "has been used already" in used.get_data(as_text=True)
    assert _actions(db)[-2:] == ["team.member_added", "team.invitation_accepted"]
    assert "team.invitation_sent" in _actions(db)


def test_resending_replaces_the_link_and_revoking_ends_it(app, client, db, make_user, make_workshop):
    _organizer_with_workshop(client, make_user, make_workshop)
    client.post("/manage/w/early-warning/team", data={"email": "new@example.org", "role": "organizer"})
    first = account_link(db, "new@example.org", "/team-invitations/")
    [invitation] = db.session.scalars(sa.select(TeamInvitation)).all()
    assert client.post(f"/manage/w/early-warning/team/invitations/{invitation.id}/resend").status_code == 302
    second = account_link(db, "new@example.org", "/team-invitations/")
    assert first != second
    assert app.test_client().get(first).status_code == 404
    assert client.post(f"/manage/w/early-warning/team/invitations/{invitation.id}/revoke").status_code == 302
    revoked = app.test_client().get(second)
    assert revoked.status_code == 404 and "withdrawn this invitation" in revoked.get_data(as_text=True)
    assert "Invited, not yet joined" not in client.get("/manage/w/early-warning/team").get_data(as_text=True)
    assert {"team.invitation_resent", "team.invitation_revoked"} <= set(_actions(db))


def test_an_expired_invitation_says_what_to_do(app, client, db, make_user, make_workshop):
    _organizer_with_workshop(client, make_user, make_workshop)
    client.post("/manage/w/early-warning/team", data={"email": "late@example.org", "role": "rapporteur"})
    link = account_link(db, "late@example.org", "/team-invitations/")
    db.session.execute(sa.update(TeamInvitation).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = app.test_client().post(link, data={"name": "Late", "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 404
    assert "This link has expired" in response.get_data(as_text=True)
    assert "Ask the workshop's organizers to invite you again" in response.get_data(as_text=True)
    assert accounts.find_user("late@example.org") is None


def test_an_address_that_got_an_account_meanwhile_joins_once_signed_in(app, client, db, make_user, make_workshop):
    _organizer_with_workshop(client, make_user, make_workshop)
    client.post("/manage/w/early-warning/team", data={"email": "meanwhile@example.org", "role": "rapporteur"})
    link = account_link(db, "meanwhile@example.org", "/team-invitations/")
    person = make_user("meanwhile@example.org", "Meanwhile")
    browser = app.test_client()
    page = browser.get(link).get_data(as_text=True)
    assert "Sign in with it" in page
    assert browser.post(link).status_code == 200  # not signed in: nothing happens
    assert not db.session.scalar(sa.select(WorkshopMember).where(WorkshopMember.user_id == person.id))
    login(browser, person)
    assert browser.post(link).status_code == 302
    assert db.session.scalar(sa.select(WorkshopMember).where(WorkshopMember.user_id == person.id))


def test_other_workshops_invitations_cannot_be_touched(client, db, make_user, make_workshop):
    _organizer_with_workshop(client, make_user, make_workshop)
    client.post("/manage/w/early-warning/team", data={"email": "new@example.org", "role": "rapporteur"})
    [invitation] = db.session.scalars(sa.select(TeamInvitation)).all()
    mine = make_workshop(accounts.find_user("olga@example.org"), slug="another")
    response = client.post(f"/manage/w/{mine.slug}/team/invitations/{invitation.id}/revoke", follow_redirects=True)
    assert "no longer open" in response.get_data(as_text=True)
    assert db.session.get(TeamInvitation, invitation.id).state == "pending"
