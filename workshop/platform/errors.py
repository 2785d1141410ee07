"""Error pages in words: what went wrong and what to do next. The log keeps the detail."""

from flask import Flask, render_template, request
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

def N_(message: str) -> str:
    """Marks a message for extraction (``make translations``) where it cannot be translated yet:
    an error raised in a service is translated where it is shown, in the reader's language."""
    return message


class UserError(ValueError):
    """A refusal a person reads: ``message`` is the English msgid (marked with ``N_``) and
    ``params`` its parameters, kept apart so the page that shows it translates both
    (``error.translated()``). ``str(error)`` is the English text, for logs and the CLI."""

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message

    def translated(self) -> str:
        # The one place a message arrives as a variable: its msgid was extracted at the raise.
        return gettext(self.message, **self.params)


MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page. If you think it should, ask the workshop's organizers.")),
    404: (_l("Page not found"), _l("There is nothing at this address. It may have moved, or the link may be mistyped or out of date.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way. Go back and use the form on the page.")),
    413: (_l("Too large"), _l("What you sent is larger than this site accepts. Shorten the text or choose a smaller file, then try again.")),
    429: (_l("Too many attempts"), _l("Too many requests came from you in a short time. Wait a minute, then try again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Nothing you entered was saved by the failed request; go back and try again in a moment.")),
    503: (_l("Temporarily unavailable"), _l("The site cannot answer right now. Try again in a few minutes.")),
}


def render_error(code: int, title=None, message=None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def _too_many_message(error):
    """How long to wait, from the window of the limit that was hit (a sign-in limit is per
    minute, the "lost your link" limit per address is per hour)."""
    try:
        seconds = int(error.limit.limit.get_expiry())
    except AttributeError:  # a 429 not raised by the limiter
        return None
    if seconds <= 60:
        return None  # the default message: wait a minute
    if seconds < 3600:
        minutes = -(-seconds // 60)
        return ngettext("Too many requests came from you in a short time. Wait %(num)d minute, then try again.",
                        "Too many requests came from you in a short time. Wait %(num)d minutes, then try again.",
                        minutes)
    if seconds == 3600:
        return _l("Too many requests came from you in a short time. Wait an hour, then try again.")
    hours = -(-seconds // 3600)
    return ngettext("Too many requests came from you in a short time. Wait %(num)d hour, then try again.",
                    "Too many requests came from you in a short time. Wait %(num)d hours, then try again.",
                    hours)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        app.logger.info("CSRF failure on %s: %s", request.path, error.description)
        return render_error(
            400,
            _l("This form has expired"),
            _l("For your security, forms expire after a while or when you sign in again. "
               "Go back, reload the page, and submit the form again; copy any long text first."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        custom = getattr(error, "page_message", None)
        if error.code == 429 and custom is None:
            custom = _too_many_message(error)
        body, code = render_error(error.code, getattr(error, "page_title", None), custom)
        retry_after = getattr(error, "retry_after", None)
        if isinstance(retry_after, int):
            return body, code, {"Retry-After": str(retry_after)}
        return body, code

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        from workshop.platform.db import db

        db.session.rollback()
        return render_error(500)
