"""What the organizer dashboard reads: counts, and the filtered registration list."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from workshop.platform.db import db
from workshop.registration.models import Category, Registration, State


def counts_by_state(workshop) -> dict[str, int]:
    counts = {state.value: 0 for state in State}
    for state, n in db.session.execute(
        sa.select(Registration.state, sa.func.count()).where(Registration.workshop_id == workshop.id)
        .group_by(Registration.state)
    ):
        counts[state] = n
    return counts


def counts_by_category(workshop) -> list[tuple[str, int]]:
    """Active registrations (pending, confirmed, waitlisted) per category, uncategorized last."""
    rows = db.session.execute(
        sa.select(Category.name, sa.func.count(Registration.id))
        .select_from(Registration).outerjoin(Category, Category.id == Registration.category_id)
        .where(Registration.workshop_id == workshop.id,
               Registration.state.in_([State.PENDING, State.CONFIRMED, State.WAITLISTED]))
        .group_by(Category.name).order_by(Category.name)
    ).all()
    named = [(name, n) for name, n in rows if name is not None]
    unnamed = [("—", n) for name, n in rows if name is None]
    return named + unnamed


def waitlist_places(workshop) -> dict[int, int]:
    """Each waitlisted registration's place in line now (1 for the first): the stored positions
    keep gaps where people left the waitlist."""
    ids = db.session.scalars(
        sa.select(Registration.id)
        .where(Registration.workshop_id == workshop.id, Registration.state == State.WAITLISTED)
        .order_by(Registration.waitlist_position, Registration.id)
    )
    return {registration_id: place for place, registration_id in enumerate(ids, start=1)}


def countries_of(workshop) -> list[str]:
    """The countries the workshop's registrants come from (codes), for the list's filter."""
    return list(db.session.scalars(
        sa.select(Registration.country).where(Registration.workshop_id == workshop.id, Registration.country != "")
        .distinct()))


def registrations_query(workshop, *, state: str | None = None, category_id: int | None = None,
                        country: str = "", query: str = "", only_ids: set | None = None) -> sa.Select:
    """The filtered list as one ordered statement, so the list page can count it and read one
    page of it, and the export can stream it. ``only_ids``: the registrations the filters later
    features add (an answer to a question) kept; None keeps all."""
    statement = (
        sa.select(Registration).where(Registration.workshop_id == workshop.id)
        .options(selectinload(Registration.category))
        # The id last: rows with the same name keep one order, so no row shows on two pages.
        .order_by(Registration.state, Registration.waitlist_position, Registration.name, Registration.id)
    )
    if state:
        statement = statement.where(Registration.state == state)
    if category_id:
        statement = statement.where(Registration.category_id == category_id)
    if country:
        statement = statement.where(Registration.country == country)
    if only_ids is not None:
        statement = statement.where(Registration.id.in_(sorted(only_ids)) if only_ids else sa.false())
    query = (query or "").strip().lower()
    if query:
        like = f"%{query}%"
        statement = statement.where(sa.or_(
            sa.func.lower(Registration.name).like(like), Registration.email.like(like),
            sa.func.lower(Registration.organization).like(like)))
    return statement


def count_of(statement: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))


def registrations(workshop, **filters) -> list[Registration]:
    return list(db.session.scalars(registrations_query(workshop, **filters)))
