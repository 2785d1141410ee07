"""Public pages cost a fixed, small number of SQL queries, however much data the workshop has.

Figure 3 of the benchmarks as a correctness property: a page that issues one query per
agenda item or per registration passes a small test and falls over on a real workshop.
"""

import pytest

from benchmarks import data
from benchmarks.pages import OTHER_PUBLIC_PAGES, PUBLIC_PAGES, has_route, queries_for

MAX_QUERIES = 6


@pytest.fixture
def small_and_large(app, make_workshop):
    """Two published workshops: one with 36 agenda items, one with ten times as many."""
    small, large = make_workshop(), make_workshop()
    data.add_agenda(small, scale=1, through_service=False)
    data.add_agenda(large, scale=10, through_service=False)
    return small, large


def pages_on_this_build(app):
    return [page for page in PUBLIC_PAGES + OTHER_PUBLIC_PAGES if has_route(app, page.url("x"))]


def test_every_public_page_of_the_figure_is_on_this_build(app):
    assert [page for page in PUBLIC_PAGES if page not in pages_on_this_build(app)] == []


def test_public_pages_use_few_queries_and_the_same_number_at_ten_times_the_data(
        app, db, client, small_and_large):
    small, large = small_and_large
    counts = {}
    for page in pages_on_this_build(app):
        status, few, statements = queries_for(client, db.engine, page.url(small.slug))
        status_large, many, _ = queries_for(client, db.engine, page.url(large.slug))
        if status == 404 and status_large == 404 and page in OTHER_PUBLIC_PAGES:
            continue  # a page that exists only once something is published (memo, participants)
        assert (status, status_large) == (200, 200), page.name
        counts[page.name] = (few, many)
        assert few <= MAX_QUERIES, (page.name, statements)
        assert many == few, page.name
    assert {page.name for page in PUBLIC_PAGES} <= set(counts)
