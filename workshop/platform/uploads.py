"""A larger request limit for the few routes that take files, and the usual one everywhere else.

``MAX_CONTENT_LENGTH`` stays small for every form of the app; a route that receives documents
says its own limit with ``allow_larger_request``. The limit is read when the body is first
parsed, which for a form is CSRF protection in a ``before_request``: so it is the request
class that knows it, from the endpoint the URL matched, not the view.
"""

from collections.abc import Callable

from flask import Flask, Request, current_app

KEY = "workshop.upload_limits"


class LimitedRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        limits = current_app.extensions.get(KEY, {})
        endpoint = self.url_rule.endpoint if self.url_rule is not None else None
        if endpoint in limits:
            return limits[endpoint](current_app)
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)


def install(app: Flask) -> None:
    app.request_class = LimitedRequest
    app.extensions.setdefault(KEY, {})


def allow_larger_request(app: Flask, endpoint: str, limit: Callable[[Flask], int]) -> None:
    """Requests to ``endpoint`` may carry up to ``limit(app)`` bytes."""
    app.extensions.setdefault(KEY, {})[endpoint] = limit
