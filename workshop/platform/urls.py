"""Absolute links on ``BASE_URL``: the one way emails, calendar files, PDFs and feeds build them.

They work in a request, in the CLI and in the mail worker alike, since they never read the
request's host (which a proxy or an attacker's Host header could set).
"""

from urllib.parse import urlsplit

from flask import current_app, url_for


def absolute_url(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)


def webcal_url(https_url: str) -> str:
    """The same address for calendar apps: ``webcal://`` opens a subscription."""
    parts = urlsplit(https_url)
    return "webcal://" + https_url[len(parts.scheme) + 3:]


# An id no row will have; werkzeug writes an int as its digits, so the link splits around it.
_ID_MARK = 987654321987654321


def url_for_each(endpoint: str, id_name: str, **values):
    """``url_for(endpoint, **values, <id_name>=id)`` as a function of the id, built once: a page
    that links each of its 36 rows saves 35 route builds (~20 µs each). Same links as url_for."""
    head, _, tail = url_for(endpoint, **values, **{id_name: _ID_MARK}).rpartition(str(_ID_MARK))
    return lambda row_id: f"{head}{int(row_id)}{tail}"
