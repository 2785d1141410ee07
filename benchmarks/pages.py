"""The pages the figures measure, as data, and the in-process SQL query counter.

A page whose route is not on this build is skipped with "route not on this build yet": the
check is the app's URL map, so a 404 from an existing route is never mistaken for a missing one.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

NOT_ON_BUILD = "route not on this build yet"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {slug}

    def url(self, slug: str) -> str:
        return self.path.format(slug=slug)


# Figure 2 (req/s vs hello-world) and figure 3 (queries per request).
PUBLIC_PAGES = (
    Page("workshop page", "/w/{slug}/"),
    Page("agenda page", "/w/{slug}/agenda"),
    Page("calendar.ics", "/w/{slug}/calendar.ics"),
    Page("agenda.json", "/w/{slug}/agenda.json"),
    Page("home page", "/"),
)
MEMO_PAGE = Page("memo page", "/w/{slug}/memo")
# Figure 2's load runs: the pages above and the memo page (published in the benchmark's data).
LOAD_PAGES = PUBLIC_PAGES + (MEMO_PAGE,)
# The registration form GET: its own target (figure 2 of the second round), no ETag (a token each).
REGISTRATION_FORM = Page("registration form (GET)", "/w/{slug}/register")
# Figure 3 only: public pages with no load figure of their own.
OTHER_PUBLIC_PAGES = (
    MEMO_PAGE,
    Page("memo.pdf", "/w/{slug}/memo.pdf"),
    Page("participants", "/w/{slug}/participants"),
)
# The organizer's registration list: the first of these paths the build has.
ORGANIZER_REGISTRATION_LISTS = (
    Page("organizer's registration list", "/manage/w/{slug}/registrations"),
    Page("organizer's registration list", "/manage/w/{slug}/registrations/"),
    Page("organizer's registration list", "/manage/w/{slug}/participants"),
)
MEMO_PDF = Page("memo.pdf", "/w/{slug}/memo.pdf")


def has_route(app: Flask, path: str, method: str = "GET") -> bool:
    adapter = app.url_map.bind("127.0.0.1")
    try:
        adapter.match(path, method=method)
    except RequestRedirect:
        return True
    except (NotFound, MethodNotAllowed):
        return False
    return True


def organizer_registration_list(app: Flask) -> Page | None:
    for page in ORGANIZER_REGISTRATION_LISTS:
        if has_route(app, page.url("x")):
            return page
    return None


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(engine: sa.Engine):
    """Counts every statement sent to the database while the block runs."""
    counter = QueryCounter()

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        counter.statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", before_cursor_execute)


def queries_for(client, engine: sa.Engine, url: str) -> tuple[int, int, list[str]]:
    """(status, queries, statements) for the second GET of ``url``: the first warms caches and
    makes any once-per-workshop rows, which a steady-state request does not. The page cache is
    emptied before it, so this is the full render (the first visitor after a change); a page
    replayed from memory costs one query (``queries_when_kept``)."""
    client.get(url)
    forget_pages()
    with count_queries(engine) as counter:
        response = client.get(url)
    return response.status_code, counter.count, counter.statements


def queries_when_kept(client, engine: sa.Engine, url: str) -> int:
    """Queries for a GET of ``url`` right after another: the page replayed from memory."""
    client.get(url)
    with count_queries(engine) as counter:
        client.get(url)
    return counter.count


def forget_pages() -> None:
    try:
        from workshop.platform import public_cache
    except ImportError:  # a build from before the page cache
        return
    public_cache.clear()
