"""Two organizers removing each other at the same moment leave the workshop one organizer."""

import threading
import time

import pytest
import sqlalchemy as sa

from workshop.workshops.models import Role


@pytest.fixture
def app_config(app_config, database_url):
    options = {"pool_size": 4, "max_overflow": 0, "pool_timeout": 30}
    if database_url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    return {**app_config, "SQLALCHEMY_ENGINE_OPTIONS": options}


def test_two_organizers_removing_each_other_at_once_leave_one_organizer(app, db, make_user, make_workshop):
    from workshop.workshops import service
    from workshop.workshops.models import Workshop, WorkshopMember

    alice, bob = make_user(), make_user()
    workshop = make_workshop(alice)
    bob_member = service.add_member(workshop, bob.email, Role.ORGANIZER)
    alice_member = next(m for m in workshop.members if m.user_id == alice.id)
    workshop_id, targets = workshop.id, (bob_member.id, alice_member.id)
    db.session.commit()  # the threads read it on connections of their own

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def remove(member_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                service.remove_member(db.session.get(Workshop, workshop_id), member_id)
                # Hold the transaction open a moment, as a slow request would, so that the other
                # removal runs while this one has counted but not yet committed.
                time.sleep(0.3)
                db.session.commit()
                outcomes.append("removed")
            except service.WorkshopError:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as error:  # noqa: BLE001  (any other failure is a finding)
                db.session.rollback()
                outcomes.append(f"error: {error!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=remove, args=(member_id,)) for member_id in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused", "removed"], outcomes
    db.session.expire_all()
    organizers = db.session.scalar(sa.select(sa.func.count(WorkshopMember.id)).where(
        WorkshopMember.workshop_id == workshop_id, WorkshopMember.role == Role.ORGANIZER))
    assert organizers == 1
