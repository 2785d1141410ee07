"""Public files built once per version of the rows they are made from (benchmark figure 2).

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

_UNLOADED = object()


class Kept:
    """At most ``size`` values in this process, and with ``weigh`` (a value's size in bytes) at
    most ``max_bytes`` of them, the least recently used dropped first; shared by the threads of
    a worker. Also the store of ``workshop.platform.public_cache``."""

    def __init__(self, size: int, *, max_bytes: int | None = None, weigh=None):
        self.size, self.max_bytes, self.weigh = size, max_bytes, weigh
        self._values: "OrderedDict[Hashable, object]" = OrderedDict()
        self._weights: dict[Hashable, int] = {}
        self.bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        weight = self.weigh(value) if self.weigh else 0
        if self.max_bytes is not None and weight > self.max_bytes:
            return  # larger than the whole budget: not kept at all
        with self._lock:
            self.bytes -= self._weights.pop(key, 0)
            self._values[key] = value
            self._values.move_to_end(key)
            self._weights[key] = weight
            self.bytes += weight
            while len(self._values) > self.size or (self.max_bytes is not None and self.bytes > self.max_bytes):
                dropped, _ = self._values.popitem(last=False)
                self.bytes -= self._weights.pop(dropped, 0)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._weights.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._values)


# A few files per workshop, ~50 KB each; the byte budget keeps a network of many workshops (and
# their agenda PDFs in six languages) from growing every worker by tens of MiB.
_cache = Kept(128, max_bytes=4 * 1024 * 1024, weigh=len)


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
    body = _cache.get(key)
    if body is None:
        body = build()
        _cache.put(key, body)
    return body


def clear() -> None:
    _cache.clear()


def conditional(response):
    """A content-hash ETag on ``response``; a matching If-None-Match gets 304 and no body.

    For HTML pages, whose bytes depend on the visitor (flash messages, sign-in state) and so are
    never shared between visitors: the page is still rendered, the check saves the transfer."""
    from flask import request

    response.add_etag()
    return response.make_conditional(request)
