"""Figure 7: an organizer composes a message to 5,000 confirmed registrants (the request stores
the message and one outbox row per person; the worker writes each mail), then ``flask worker``
delivers those messages to a loopback SMTP server."""

import re
import time

import sqlalchemy as sa

from benchmarks import data, delivery
from benchmarks.browser import Session, csrf_token
from benchmarks.context import Bench
from benchmarks.pages import NOT_ON_BUILD, has_route
from benchmarks.report import Row, skipped

SLUG = "bench-messages"
COMPOSE_PATH = "/manage/w/{slug}/messages/new"
REQUEST_TARGET, WORKER_TARGET = "< 2 s", delivery.TARGET
SUBJECT = "Bench composed message for {workshop_title}"
BODY = ("Dear {first_name},\n\nWe look forward to seeing you at **{venue}** on {dates}.\n\n"
        "Check [your registration]({self_service_link}).")
MARKER = b"Bench composed message"


NOTES = """\
How it is taken: a published workshop with 5,000 confirmed registrations (the quick run: 200);
the organizer signs in over HTTP and sends "Write to participants" to the confirmed registrants
with a body using `{first_name}`, `{venue}`, `{dates}` and `{self_service_link}` (so every
recipient gets a personal link token made in the request), CSRF and all, on gunicorn with
SQLite. The request stores the message, one recipient row, one link token and one outbox row
per person; it writes no mail. Then `flask worker` runs against a loopback aiosmtpd that counts
the composed messages as they arrive (the setup's confirmations are left out); the rate is from
the first to the last arrival, the worker writing each message (placeholders, Markdown to HTML,
MIME) as it goes.

What changed for it: the request inserts the recipients, the link tokens and the outbox rows
with one statement per table (`queue_many_later` in `workshop/platform/mail/outbox.py`) and reads
the new ids back by address and by Message-ID, instead of building 15,000 ORM objects or
inserting row by row with RETURNING (which SQLite does one statement per row); the worker reads a
recipient with its message and workshop in one query.

Then, for the worker: it writes the messages of a batch together (`write_composed_many` in
`workshop/messages/service.py`): three queries for the recipients, their registrations or
invitations and the message's documents, the Markdown body and the mail templates rendered once
per message and language with stand-ins, and each person's name and link filled in
(`placeholders.Prepared`), instead of a query, a Markdown render and two template renders each.
"""


def figure_messages(bench: Bench, base: str) -> None:
    count = bench.settings.composed_recipients
    request_figure = f"7. compose to {count} recipients: organizer's request"
    worker_figure = "7. flask worker delivery of composed messages to loopback SMTP"
    if not data.has_module("workshop.messages.service"):
        bench.add(skipped(request_figure, REQUEST_TARGET, "messages feature not on this build yet"))
        bench.add(skipped(worker_figure, WORKER_TARGET, "messages feature not on this build yet"))
        return
    path = COMPOSE_PATH.format(slug=SLUG)
    with bench.app.app_context():
        from workshop.platform.db import db
        from workshop.platform.mail.models import OutboxMessage, OutboxStatus

        from workshop.registration.models import Registration
        from workshop.workshops.models import Workshop

        data.build_workshop(SLUG, memo=False, registrations=count)
        # Registrations made through the form wait for their address to be confirmed: here they
        # all hold a seat, so the message goes to every one of them.
        workshop_id = db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == SLUG))
        db.session.execute(sa.update(Registration).where(Registration.workshop_id == workshop_id)
                           .values(state="confirmed"))
        # The setup's own confirmations are not what this figure measures: out of the way.
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.QUEUED)
                           .values(status=OutboxStatus.SENT))
        db.session.commit()
    if not has_route(bench.app, path, method="POST"):
        bench.add(skipped(request_figure, REQUEST_TARGET, NOT_ON_BUILD))
        return
    session = Session(base, timeout=300)
    session.login(data.ORGANIZER_EMAIL, data.ORGANIZER_PASSWORD)
    page = session.get(path)
    # The form's own key (sending twice sends once), as a browser would submit it.
    key = re.search(r'name="key"[^>]*value="([^"]+)"', page.text)
    form = {"csrf_token": csrf_token(page.text), "key": key.group(1) if key else "", "audience": "registrants",
            "states": ["confirmed"], "category": "None", "country": "", "subject": SUBJECT, "body": BODY,
            "send": "Send"}
    started = time.perf_counter()
    response = session.post(path, form)
    elapsed = time.perf_counter() - started
    if response.status == 422:  # the form refused: its errors are in the page
        (bench.work / "compose-refused.html").write_bytes(response.body)
    with bench.app.app_context():
        from workshop.messages.models import MessageRecipient

        queued = db.session.scalar(sa.select(sa.func.count(MessageRecipient.id)).where(
            MessageRecipient.outbox_message_id.is_not(None)))
        unwritten = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.status == OutboxStatus.QUEUED, OutboxMessage.raw.is_(None)))
        db.session.remove()
    redirected = response.status in (302, 303) and bool(re.search(r"/messages/\d+$", response.headers.get("Location", "")))
    bench.add(Row(figure=request_figure, measured=f"{elapsed:.2f} s", target=REQUEST_TARGET,
                  met=elapsed < 2.0 and queued == count and redirected,
                  note=(f"POST {path} answered {response.status}; {queued} recipients, each with an outbox row "
                        f"({unwritten} for the mail worker to write, personal link tokens made in the request); "
                        f"gunicorn, SQLite")))
    _deliver(bench, worker_figure, queued)
    bench.sections.append(("Messages (figure 7)", NOTES))


def _deliver(bench: Bench, figure: str, expected: int) -> None:
    result = delivery.run_worker(bench, expected, "worker-messages.log", marker=MARKER)
    bench.add(delivery.rate_row(figure, result, "composed messages", "worker-messages.log",
                                "the worker wrote each (placeholders, Markdown to HTML and text, MIME) as it "
                                "went; SQLite outbox"))
