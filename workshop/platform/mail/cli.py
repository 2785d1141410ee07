"""``flask --app workshop worker [--once]``."""

import logging
import signal
import sys
import threading

import click
from flask.cli import with_appcontext

from workshop.platform.mail.worker import logger, run_forever, run_once


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def _log_to_stderr() -> None:
    """One readable line per event on stderr. The app's own logger ("workshop", an ancestor)
    has a handler too: the worker's lines stop here, or each would be printed twice."""
    logger.setLevel(logging.INFO)
    if not logger.handlers and not logging.getLogger().handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Deliver queued mail through MAIL_URL, with retries and backoff.

    Without --once it keeps running; SIGTERM or Ctrl-C stop it after the message in flight.
    """
    _log_to_stderr()
    stop = threading.Event()

    def request_stop(signum, frame):
        logger.info("signal %s received: stopping after the message in flight", signum)
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, request_stop)
    try:
        if once:
            report = run_once(stop=stop)
            click.echo(f"{report.sent} sent, {report.retrying} to retry, {report.failed} failed.")
        else:
            run_forever(stop)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
