"""The opening rush through the public form: many people submit at the same moment for a few
seats. Exactly the seats are confirmed, the rest waitlisted in the order they came, nobody sees
an error; and each person's email, which the mail worker writes after the workshop lock is
released, says what the request decided (seat or place in line), with the calendar invitation
of a confirmed seat at the SEQUENCE of the moment it was decided. SQLite and PostgreSQL."""

import threading
from email import policy
from email.parser import BytesParser

import pytest
import sqlalchemy as sa

from tests.support.registration import body, form_data, outbox, taking_registrations  # noqa: F401
from tests.support.itip import itip_parts

SEATS = 8
PEOPLE = 60


@pytest.fixture
def app_config(app_config, database_url):
    # Every request waits its turn for the workshop lock: room in the pool and SQLite's busy wait.
    options = {"pool_size": 20, "max_overflow": 0, "pool_timeout": 120, "pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 120}
    # The per-address limit would answer 429: every test client comes from the same address.
    return {**app_config, "SQLALCHEMY_ENGINE_OPTIONS": options, "RATELIMIT_ENABLED": False}


def _submit_all_at_once(app, slug: str) -> tuple[dict[int, int], list[BaseException]]:
    barrier = threading.Barrier(PEOPLE)
    statuses: dict[int, int] = {}
    errors: list[BaseException] = []

    def submit(n: int) -> None:
        client = app.test_client()  # each its own browser, and (outside the test's context) its own session
        try:
            barrier.wait(timeout=60)
            response = client.post(f"/w/{slug}/register", data=form_data(f"rush{n}@example.org",
                                                                      name=f"Rush Person {n}"))
            statuses[n] = response.status_code
        except BaseException as error:  # noqa: BLE001  (every failure is reported)
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return statuses, errors


def test_a_rush_of_submissions_fills_exactly_the_seats_and_each_email_says_what_was_decided(
        app, db, taking_registrations):
    from workshop.platform.mail.models import OutboxMessage
    from workshop.registration.models import Registration, State
    from workshop.workshops.models import Workshop

    workshop = taking_registrations(capacity=SEATS)
    workshop_id, slug = workshop.id, workshop.slug
    db.session.commit()
    # Whatever happens in the worker's own application context must not see the test's session.
    db.session.remove()

    statuses, errors = _submit_all_at_once(app, slug)

    assert not errors, errors[:3]
    assert sorted(statuses) == list(range(PEOPLE))
    assert set(statuses.values()) == {200}, statuses
    rows = db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop_id)
                              .order_by(Registration.id)).all()
    assert len(rows) == PEOPLE
    confirmed = [r for r in rows if r.state == State.CONFIRMED]
    waitlisted = [r for r in rows if r.state == State.WAITLISTED]
    assert len(confirmed) == SEATS and len(waitlisted) == PEOPLE - SEATS
    assert [r.waitlist_position for r in waitlisted] == list(range(1, PEOPLE - SEATS + 1))
    assert max(r.id for r in confirmed) < min(r.id for r in waitlisted)

    # The requests left the emails for the mail worker: nothing was rendered under the lock.
    queued = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(queued) == PEOPLE
    assert all(row.raw is None and row.pending["kind"] == "registration_state" for row in queued)

    # Before the worker writes them, the workshop moves on (a lost seat raises its SEQUENCE):
    # each message must still say what its request decided.
    sequence_then = db.session.get(Workshop, workshop_id).sequence or 0
    db.session.execute(sa.update(Workshop).where(Workshop.id == workshop_id)
                       .values(sequence=sequence_then + 5))
    db.session.commit()

    messages = {row.recipients: BytesParser(policy=policy.default).parsebytes(row.raw) for row in outbox(db)}
    assert len(messages) == PEOPLE
    for registration in confirmed:
        message = messages[registration.email]
        assert message["Subject"].startswith("Registration confirmed: ")
        assert registration.name in body(message)
        (request,) = itip_parts(message)
        assert request.method == "REQUEST"
        assert int(request.event["SEQUENCE"]) == sequence_then
    for place, registration in enumerate(waitlisted, start=1):
        message = messages[registration.email]
        assert message["Subject"].startswith("You are on the waitlist: ")
        assert f"on the waitlist, number {place}." in " ".join(body(message).split()), body(message)
        assert not itip_parts(message)
