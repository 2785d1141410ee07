"""Public files built once per version of the rows they are made from (issue 8, figure 2).

The calendar feed and agenda.json are pure functions of the rows handed to their builders:
the workshop, its agenda items and everything loaded with them (people, contacts, organizations),
plus the app's settings. Building them costs 10-25 ms (icalendar's serializer most of it);
reading the rows costs about 1 ms. So each process keeps the bytes it built, keyed by *every
column value of every row reachable through what was loaded*: any change to any of those rows,
made by a service, a migration or by hand, makes a different key and a fresh build. Nothing
is ever invalidated by name, so nothing can be forgotten.

The builders must only read what was loaded before the key is taken (the views load items with
their people and contacts eagerly); ``tests/test_bench_built_once.py`` changes each kind of row
and checks the file follows.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import sqlalchemy as sa

MAX_ENTRIES = 128  # a few files per workshop; ~50 KB each
_UNLOADED = object()

_cache: "OrderedDict[Hashable, bytes]" = OrderedDict()
_lock = threading.Lock()


def rows_key(*roots) -> tuple:
    """Every loaded column value of ``roots`` and of every row reachable from them through
    relationships that are already loaded (never triggers a query)."""
    seen: set[int] = set()
    out: list = []
    stack = list(reversed(roots))
    while stack:
        obj = stack.pop()
        if obj is None or id(obj) in seen:
            continue
        seen.add(id(obj))
        state = sa.inspect(obj)
        loaded = state.dict
        mapper = state.mapper
        out.append(mapper.class_.__name__)
        out.append(tuple(_frozen(loaded.get(attr.key, _UNLOADED)) for attr in mapper.column_attrs))
        for relationship in mapper.relationships:
            if relationship.key not in loaded:
                continue
            value = loaded[relationship.key]
            if relationship.uselist:
                out.append(len(value))
                stack.extend(reversed(list(value)))
            else:
                stack.append(value)
    return tuple(out)


def _frozen(value):
    """JSON columns hold lists and dicts: make them hashable, keeping their content."""
    if isinstance(value, list):
        return ("list", tuple(_frozen(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    return value


def built_once(kind: Hashable, roots, build: Callable[[], bytes]) -> bytes:
    """The bytes ``build()`` returns for these rows, built at most once per process per version."""
    key = (kind, rows_key(*roots))
    with _lock:
        body = _cache.get(key)
        if body is not None:
            _cache.move_to_end(key)
            return body
    body = build()
    with _lock:
        _cache[key] = body
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return body


def clear() -> None:
    with _lock:
        _cache.clear()


def conditional(response):
    """A content-hash ETag on ``response``; a matching If-None-Match gets 304 and no body.

    For HTML pages, whose bytes depend on the visitor (flash messages, sign-in state) and so are
    never shared between visitors: the page is still rendered, the check saves the transfer."""
    from flask import request

    response.add_etag()
    return response.make_conditional(request)
