"""Long organizer lists shown a page at a time: a workshop can have 3,000 registrations and the
directory 100,000 contacts, and a page that renders them all is slow for everyone else too.

``paginate(statement)`` runs two queries whatever the size of the list: the count, and the rows
of the page asked for with ``?page=N``. The page links keep the list's other query arguments
(its filters), so paging through a filtered list stays filtered. The template macro is
``pagination(page)`` in templates/_pagination.html."""

from dataclasses import dataclass
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import request

from workshop.platform.db import db

PAGE_SIZE = 50


@dataclass
class Page:
    items: list
    number: int  # 1 for the first page
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The place in the whole list of this page's first row (1-based; 0 when empty)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None

    def url(self, number: int) -> str:
        """This page's address with ``page`` changed and every other argument kept."""
        args = request.args.to_dict(flat=False)
        args["page"] = [str(number)]
        if number == 1:
            del args["page"]
        query = urlencode([(key, value) for key, values in args.items() for value in values])
        return request.path + ("?" + query if query else "")


def requested_page() -> int:
    """``?page=N`` of the request; 1 for anything that is not a positive whole number."""
    raw = request.args.get("page", "")
    return int(raw) if raw.isdigit() and 0 < len(raw) <= 6 and int(raw) > 0 else 1


def paginate(statement: sa.Select, *, number: int | None = None, size: int = PAGE_SIZE,
             scalars: bool = True) -> Page:
    """The page ``number`` (default: the request's) of ``statement``, which must be ordered.
    A page past the end shows the last one, so a link kept from a longer list still works."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        statement.order_by(None).subquery()))
    number = number if number is not None else requested_page()
    number = min(max(1, number), max(1, -(-total // size)))
    paged = statement.limit(size).offset((number - 1) * size)
    items = list(db.session.scalars(paged) if scalars else db.session.execute(paged).all())
    return Page(items, number, size, total)
