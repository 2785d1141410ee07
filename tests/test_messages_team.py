"""The team hears what happens: registration news at once or in a daily digest (each
organizer's choice), notes and memo steps at once to organizers and rapporteurs."""

import re
from datetime import timedelta

import pytest

from tests.support.agenda import add_item
from tests.support.mail import outbox_rows
from tests.support.registration import details, taking_registrations  # noqa: F401
from workshop.messages import team
from workshop.platform.types import utcnow


def _team_mail(db, address):
    return [row.subject for row in outbox_rows(db) if row.recipients == address]


@pytest.fixture
def workshop(taking_registrations, make_user, db):
    from workshop.workshops import service as workshops
    from workshop.workshops.models import Role

    workshop = taking_registrations()
    organizer = workshop.members[0].user
    rapporteur = make_user("rita@example.org", "Rita Rapporteur")
    workshops.add_member(workshop, rapporteur.email, Role.RAPPORTEUR)
    db.session.commit()
    workshop.organizer, workshop.rapporteur = organizer, rapporteur
    return workshop


def _register(workshop, name, email):
    from workshop.registration import service as registration

    return registration.register(workshop, {**details(name=name), "email": email})


def test_an_organizer_who_chose_it_hears_at_once_and_a_rapporteur_does_not(db, workshop):
    from workshop.registration import service as registration

    team.choose(workshop, workshop.organizer, daily_digest=False)
    ama = _register(workshop, "Ama Mensah", "ama@example.org")
    registration.withdraw(ama, reason="")
    db.session.commit()
    assert _team_mail(db, workshop.organizer.email) == [
        f"New registration: Ama Mensah · {workshop.title}", f"Registration withdrawn: Ama Mensah · {workshop.title}"]
    assert _team_mail(db, workshop.rapporteur.email) == []


def test_the_daily_digest_is_the_default_gathers_the_news_and_goes_once_a_day(db, workshop):
    from workshop.people import service as people
    from workshop.registration import invitations

    _register(workshop, "Ama Mensah", "ama@example.org")
    contact = people.save_contact(None, name="Chen Wei", email="chen@example.org", organization="Mission")
    invitations.decline(invitations.invite(workshop, contact))
    db.session.commit()
    assert _team_mail(db, workshop.organizer.email) == []

    # Morning, so that an hour later is still the same UTC day whenever the suite runs.
    now = utcnow().replace(hour=9, minute=0)
    assert team.send_digests(now) == 1
    db.session.commit()
    [digest] = [row for row in outbox_rows(db) if row.recipients == workshop.organizer.email]
    assert digest.subject == f"Daily digest for {workshop.title}: 2 new"
    text = digest.raw.decode("ascii", "replace")
    assert "New registration: Ama Mensah" in text and "Invitation declined: Chen Wei" in text

    _register(workshop, "Bo Lindqvist", "bo@example.org")
    db.session.commit()
    assert team.send_digests(now + timedelta(minutes=60)) == 0  # the same day: it waits
    assert team.send_digests(now + timedelta(days=1)) == 1
    db.session.commit()
    assert _team_mail(db, workshop.organizer.email)[-1] == f"Daily digest for {workshop.title}: 1 new"
    assert team.send_digests(now + timedelta(days=2)) == 0  # nothing new: no empty digest


def test_notes_and_memo_steps_reach_organizers_and_rapporteurs(db, workshop):
    from workshop.memos import service as memos
    from workshop.notes import service as notes

    item = add_item(workshop, title="Early warning in practice")
    note = notes.note_for(item)
    notes.save(note, "What was said.", workshop.rapporteur, None)
    notes.change_state(note, "submit", workshop.rapporteur)
    notes.change_state(note, "approve", workshop.organizer)
    memo = memos.memo_for(workshop)
    memos.save(memo, "## Takeaways\n\nOne.", workshop.rapporteur, None)
    memos.submit_for_review(memo)
    db.session.commit()
    expected = [f"Notes submitted for review: Early warning in practice · {workshop.title}",
                f"Notes approved: Early warning in practice · {workshop.title}",
                f"The memo is ready for review: {workshop.title} · {workshop.title}"]
    assert _team_mail(db, workshop.organizer.email) == expected
    assert _team_mail(db, workshop.rapporteur.email) == expected


def _checked(page):
    return re.findall(r'<input checked[^>]*value="([a-z]+)"', page)


def test_an_organizer_chooses_the_digest_on_the_page(client, db, workshop, login_as):
    login_as(workshop.organizer)
    url = f"/manage/w/{workshop.slug}/notifications"
    assert _checked(client.get(url).get_data(as_text=True)) == ["digest"]
    response = client.post(url, data={"how": "immediate"})
    assert response.status_code == 302
    assert not team.takes_digest(workshop.id, workshop.organizer.id)
    assert _checked(client.get(url).get_data(as_text=True)) == ["immediate"]
    assert client.post(url, data={"how": "weekly"}).status_code == 422


def test_the_worker_hourly_round_sends_the_digest(db, workshop):
    from workshop.platform.mail.worker import housekeeping

    _register(workshop, "Ama Mensah", "ama@example.org")
    db.session.commit()
    housekeeping()
    housekeeping()  # the next hour: already sent today
    assert _team_mail(db, workshop.organizer.email) == [f"Daily digest for {workshop.title}: 1 new"]
