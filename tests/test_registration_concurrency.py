"""No overbooking: 200 simultaneous registrations for 20 seats, on SQLite and PostgreSQL."""

import threading

import pytest
import sqlalchemy as sa

from tests.support.registration import details, taking_registrations  # noqa: F401

SEATS = 20
PEOPLE = 200


@pytest.fixture
def app_config(app_config, database_url):
    # Every thread waits its turn for the workshop lock; give the pool and SQLite room to queue.
    options = {"pool_size": 20, "max_overflow": 0, "pool_timeout": 120, "pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 120}
    return {**app_config, "SQLALCHEMY_ENGINE_OPTIONS": options}


def test_200_simultaneous_registrations_fill_exactly_20_seats_and_queue_the_rest_in_order(app, db, taking_registrations):
    from workshop.registration import service
    from workshop.registration.models import Registration, RegistrationChange, State
    from workshop.platform.mail.models import OutboxMessage

    workshop = taking_registrations(capacity=SEATS)
    workshop_id = workshop.id
    db.session.commit()
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []
    results: dict[str, str] = {}

    def register(n: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=60)
                target = db.session.get(type(workshop), workshop_id)
                registration = service.register(target, details(name=f"Person {n}", email=email_for(n)))
                results[registration.email] = registration.state
                db.session.commit()  # as the registration request does at its end
            except BaseException as error:  # noqa: BLE001  (every failure is reported)
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert not errors, errors[:3]
    assert len(results) == PEOPLE
    rows = db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop_id)
                              .order_by(Registration.id)).all()
    assert len(rows) == PEOPLE
    confirmed = [r for r in rows if r.state == State.CONFIRMED]
    waitlisted = [r for r in rows if r.state == State.WAITLISTED]
    assert len(confirmed) == SEATS
    assert len(waitlisted) == PEOPLE - SEATS
    # In order: the waitlist follows the order in which registrations were made (their ids),
    # positions have no gaps or repeats, and every seat went to someone who came before them.
    assert [r.waitlist_position for r in waitlisted] == list(range(1, PEOPLE - SEATS + 1))
    assert max(r.id for r in confirmed) < min(r.id for r in waitlisted)
    assert [service.waitlist_place(r) for r in waitlisted[:3]] == [1, 2, 3]
    # Each registration wrote its audit entry and queued its email in the same transaction.
    assert db.session.scalar(sa.select(sa.func.count(RegistrationChange.id))) == PEOPLE
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == PEOPLE


def email_for(n: int) -> str:
    return f"person{n}@example.org"
