"""Figure 5 (bulk invitation, then ``flask worker`` to a loopback SMTP server) and the mail
worker's memory for figure 6."""

import time

import sqlalchemy as sa

from benchmarks import data, delivery
from benchmarks.browser import Session, form_fields
from benchmarks.context import Bench
from benchmarks.pages import NOT_ON_BUILD, has_route
from benchmarks.report import Row, skipped

INVITE_SLUG = "bench-invitations"
REQUEST_TARGET, WORKER_TARGET = "< 2 s", delivery.TARGET
# The organizer's bulk invitation: "Invite everyone in this category" on the invitations page.
INVITATIONS_PAGE = "/manage/w/{slug}/invitations"
INVITE_PATH = "/manage/w/{slug}/invitations/category"


def figure_invitations(bench: Bench, base: str) -> None:
    if not data.has_module("workshop.registration.invitations"):
        reason = "registration feature not on this build yet"
        bench.add(skipped("5. bulk invitation request", REQUEST_TARGET, reason))
        if not data.has_module("workshop.platform.mail.worker"):
            bench.add(skipped("5. flask worker delivery", WORKER_TARGET, "mail feature not on this build yet"))
            bench.add(skipped("6. mail worker RSS", "< 200 MB", "mail feature not on this build yet"))
            return
    else:
        invite_contacts(bench, base)
    deliver(bench)


def invite_contacts(bench: Bench, base: str) -> None:
    """1,000 contacts in one participant category, then the organizer's "Invite everyone in
    this category" button, over HTTP, signed in, CSRF and all."""
    from workshop.platform.db import db
    from workshop.people.models import Contact
    from workshop.registration import invitations
    from workshop.registration import service as registrations
    from workshop.workshops.models import Workshop

    count = bench.settings.invitations
    figure = f"5. bulk invitation of {count} contacts: organizer's request"
    with bench.app.app_context():
        data.build_workshop(INVITE_SLUG, memo=False, registrations=0, registration_mode="invitation")
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == INVITE_SLUG))
        category = registrations.categories_for(workshop)[0]
        contacts = [Contact(name=f"Invitee {n}", email=f"invitee{n}@bench.example",
                            organization="Ministry", country="GH") for n in range(count)]
        db.session.add_all(contacts)
        db.session.flush()
        for contact in contacts:
            invitations.set_contact_category(workshop, contact, category)
        db.session.commit()
        category_id, workshop_id = category.id, workshop.id
    if not _has_post_route(bench, INVITE_PATH.format(slug=INVITE_SLUG)):
        bench.add(skipped(figure, REQUEST_TARGET, NOT_ON_BUILD))
        return
    session = Session(base, timeout=300)
    session.login(data.ORGANIZER_EMAIL, data.ORGANIZER_PASSWORD)
    path = INVITE_PATH.format(slug=INVITE_SLUG)
    page = session.get(INVITATIONS_PAGE.format(slug=INVITE_SLUG))
    form = {}
    for field in form_fields(page.text, action=path):
        if field["tag"] == "select" and field["name"].endswith("category_id"):
            form[field["name"]] = str(category_id)
        elif field.get("type") == "hidden":
            form[field["name"]] = field.get("value", "")
    started = time.perf_counter()
    response = session.post(path, form)
    elapsed = time.perf_counter() - started
    with bench.app.app_context():
        from workshop.registration.models import Invitation

        from workshop.platform.mail.models import OutboxMessage

        made = db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(
            Invitation.workshop_id == workshop_id))
        unwritten = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
            OutboxMessage.raw.is_(None))) if hasattr(OutboxMessage, "pending") else 0
    bench.add(Row(figure=figure, measured=f"{elapsed:.2f} s", target=REQUEST_TARGET,
                  met=elapsed < 2.0 and made == count and response.status in (302, 303),
                  note=(f"POST {path} answered {response.status}; "
                        f"{made} invitations and their emails queued ({unwritten} of them for the "
                        f"mail worker to write); gunicorn, SQLite")))


def _has_post_route(bench: Bench, path: str) -> bool:
    return has_route(bench.app, path, method="POST")


def deliver(bench: Bench) -> None:
    """Run ``flask worker`` against a loopback aiosmtpd until the outbox is empty."""
    from workshop.platform.db import db
    from workshop.platform.mail.models import OutboxMessage, OutboxStatus

    with bench.app.app_context():
        queued = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))
                                   .where(OutboxMessage.status == OutboxStatus.QUEUED))
        db.session.remove()
    figure = "5. flask worker delivery to loopback SMTP"
    if not queued:
        bench.add(skipped(figure, WORKER_TARGET, "nothing queued in the outbox"))
        return
    result = delivery.run_worker(bench, queued, "worker.log")
    bench.add(delivery.rate_row(figure, result, "queued messages", "worker.log",
                                "SQLite outbox; the worker also wrote the bulk invitations' messages (templates "
                                "and MIME) as it went"))
    if len(result.arrivals) >= 2:
        rss = result.worker_rss_kb
        bench.add(Row(
            figure="6. mail worker RSS", measured=f"{rss / 1024:.0f} MB", target="< 200 MB",
            met=0 < rss < 200 * 1024,
            note=f"VmRSS of `flask worker` after delivering {len(result.arrivals)} messages",
        ))
