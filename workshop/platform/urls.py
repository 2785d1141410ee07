"""Absolute links on ``BASE_URL``: the one way emails, calendar files, PDFs and feeds build them.

They work in a request, in the CLI and in the mail worker alike, since they never read the
request's host (which a proxy or an attacker's Host header could set).
"""

from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values) -> str:
    adapter = current_app.url_map.bind("localhost", script_name="/")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)


def webcal_url(https_url: str) -> str:
    """The same address for calendar apps: ``webcal://`` opens a subscription."""
    parts = urlsplit(https_url)
    return "webcal://" + https_url[len(parts.scheme) + 3:]
