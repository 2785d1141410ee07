"""Figure 4: a registration burst on PostgreSQL, through gunicorn and the public form.

A scratch database ``bench_<pid>`` on postgres@127.0.0.1 is created, migrated with
``flask db upgrade``, used, and dropped. Without an answering PostgreSQL the figure is skipped
with the reason.
"""

import os
import threading
from collections import Counter
import time

import sqlalchemy as sa

from benchmarks import data
from benchmarks.browser import Session, csrf_token, form_fields
from benchmarks.context import Bench
from benchmarks.load import percentile
from benchmarks.pages import NOT_ON_BUILD, has_route
from benchmarks.report import Row, skipped
from benchmarks.server import gunicorn

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1/postgres"
TARGET = "exactly {seats} confirmed, rest waitlisted in order, 0 errors, p99 < 2 s"
P99_TARGET_MS = 2000
BURST_SLUG, PROBE_SLUG = "bench-burst", "bench-burst-probe"
REGISTER_PATH = "/w/{slug}/register"


def postgres_version() -> str:
    try:
        engine = sa.create_engine(ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            version = connection.scalar(sa.text("SHOW server_version"))
        engine.dispose()
        return version
    except Exception as error:  # noqa: BLE001 - any failure means "not answering"
        return f"not answering ({type(error).__name__})"


def _seats_at_once(slug: str) -> None:
    """The figure is about seats: the burst workshop takes a known address straight to a seat or
    the waitlist, without the emailed address check open registration does by default (with
    it, every submission is an unconfirmed request: no seat, no place in line)."""
    from workshop.platform.db import db
    from workshop.registration import service
    from workshop.workshops.models import Workshop

    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    service.update_settings(workshop, confirm_email=False)
    db.session.commit()


def figure_burst_sqlite(bench: Bench) -> None:
    """The same burst on the run's own SQLite database, served by its own gunicorn."""
    submissions, seats = bench.settings.burst
    figure = f"4. registration burst: {submissions} submissions, {seats} seats (SQLite)"
    target = TARGET.format(seats=seats)
    if not has_route(bench.app, REGISTER_PATH.format(slug="x"), method="POST"):
        bench.add(skipped(figure, target, NOT_ON_BUILD))
        return
    with bench.app.app_context():
        data.build_workshop(BURST_SLUG, memo=False, registrations=0, capacity=seats)
        data.build_workshop(PROBE_SLUG, memo=False, registrations=0)
        _seats_at_once(BURST_SLUG)
    env = {**data.app_env(bench.database_url, bench.instance), "TRUSTED_PROXIES": "1"}
    with gunicorn(env, bench.work / "gunicorn-sqlite-burst.log") as (base, _):
        bench.add(run_burst(bench, bench.app, base, submissions, seats, figure, target))


def figure_burst(bench: Bench) -> None:
    submissions, seats = bench.settings.burst
    figure = f"4. registration burst: {submissions} submissions, {seats} seats (PostgreSQL)"
    target = TARGET.format(seats=seats)
    if not data.has_module("workshop.registration.service"):
        bench.add(skipped(figure, target, "registration feature not on this build yet"))
        return
    if not has_route(bench.app, REGISTER_PATH.format(slug="x"), method="POST"):
        bench.add(skipped(figure, target, NOT_ON_BUILD))
        return
    version = postgres_version()
    if version.startswith("not answering"):
        bench.add(skipped(figure, target, f"PostgreSQL on 127.0.0.1 {version}"))
        return
    name = f"bench_{os.getpid()}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = f"postgresql+psycopg://postgres@127.0.0.1/{name}"
    app = None
    try:
        data.migrate(url, bench.instance)
        app = data.make_app(url, bench.instance)
        with app.app_context():
            data.build_workshop(BURST_SLUG, memo=False, registrations=0, capacity=seats)
            data.build_workshop(PROBE_SLUG, memo=False, registrations=0)
            _seats_at_once(BURST_SLUG)
        # 1,000 delegates from 1,000 addresses, as behind the venue's proxy: the per-address
        # registration limit (30 a minute) stays on and counts each one separately.
        env = {**data.app_env(url, bench.instance), "TRUSTED_PROXIES": "1"}
        with gunicorn(env, bench.work / "gunicorn-postgres.log") as (base, _):
            row = run_burst(bench, app, base, submissions, seats, figure, target)
        bench.add(row)
    finally:
        if app is not None:
            with app.app_context():
                from workshop.platform.db import db

                db.session.remove()
                db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def registration_form(fields: list[dict], n: int) -> dict:
    """A plausible submission of whatever form the build has: required text filled, the first
    real option of each select, every checkbox ticked (consent), the first radio choice."""
    form: dict = {}
    for field in fields:
        name, kind = field["name"], field.get("type", "text")
        if field["tag"] == "select":
            options = [o for o in field["options"] if o]
            form[name] = options[0] if options else ""
        elif kind in ("submit", "button", "reset", "file"):
            continue
        elif kind == "hidden":
            form[name] = field.get("value", "")
        elif kind == "checkbox":
            form.setdefault(name, []).append(field.get("value", "y"))
        elif kind == "radio":
            form.setdefault(name, field.get("value", ""))
        elif kind == "email" or "email" in name:
            form[name] = f"burst{n}@bench.example"
        elif name == "name" or name.endswith("_name") or name == "full_name":
            form[name] = f"Burst Participant {n}"
        elif "required" in field and kind not in ("date", "number"):
            form[name] = "Bench"
        else:
            form.setdefault(name, "")
    return form


def run_burst(bench: Bench, app, base: str, submissions: int, seats: int, figure: str,
              target: str) -> Row:
    from workshop.platform.db import db
    from workshop.registration.models import Registration, State
    from workshop.workshops.models import Workshop

    # One visitor's form (cookie and CSRF token), then a probe on another workshop to prove the
    # filled-in form is accepted before the burst counts anything.
    session = Session(base, timeout=300)
    page = session.get(REGISTER_PATH.format(slug=PROBE_SLUG))
    if page.status != 200:
        return skipped(figure, target, f"the registration form answered {page.status}")
    fields = form_fields(page.text)
    token = csrf_token(page.text)
    probe = session.post(REGISTER_PATH.format(slug=PROBE_SLUG), registration_form(fields, -1) | {"csrf_token": token})
    with app.app_context():
        accepted = db.session.scalar(sa.select(sa.func.count(Registration.id)).where(
            Registration.email == "burst-1@bench.example"))
    if not accepted:
        return skipped(figure, target, f"the filled-in form was not accepted ({probe.status}); "
                                       f"fields: {[f['name'] for f in fields]}")

    path = REGISTER_PATH.format(slug=BURST_SLUG)
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    bodies = []
    import urllib.parse

    for n in range(submissions):
        form = registration_form(fields, n) | {"csrf_token": token}
        bodies.append(urllib.parse.urlencode(form, doseq=True).encode())
    results: list[tuple[int, float]] = [(0, 0.0)] * submissions
    barrier = threading.Barrier(submissions + 1)
    order: list[int] = []
    lock = threading.Lock()

    def submit(n: int) -> None:
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=300)
        try:
            barrier.wait(timeout=60)
            started = time.perf_counter()
            connection.request("POST", path, body=bodies[n], headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                "X-Forwarded-For": f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"})
            status = connection.getresponse().status
            results[n] = (status, (time.perf_counter() - started) * 1000)
            with lock:
                order.append(n)
        except (OSError, threading.BrokenBarrierError) as error:
            results[n] = (-1, 0.0)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,), daemon=True) for n in range(submissions)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    barrier.wait(timeout=60)
    for thread in threads:
        thread.join(timeout=600)
    wall = time.perf_counter() - started

    errors = sum(1 for status, _ in results if status not in (200, 302, 303))
    latencies = [ms for status, ms in results if status > 0]
    with app.app_context():
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == BURST_SLUG))
        rows = db.session.execute(
            sa.select(Registration.id, Registration.state, Registration.waitlist_position)
            .where(Registration.workshop_id == workshop.id).order_by(Registration.id)
        ).all()
    confirmed = sum(1 for r in rows if r.state == State.CONFIRMED)
    waitlisted = [r for r in rows if r.state == State.WAITLISTED]
    positions = [r.waitlist_position for r in waitlisted]
    in_order = positions == sorted(positions) and len(set(positions)) == len(positions)
    met = (confirmed == seats and len(waitlisted) == submissions - seats and in_order
           and errors == 0 and len(rows) == submissions and percentile(latencies, 99) < P99_TARGET_MS)
    return Row(
        figure=figure,
        measured=(f"{confirmed} confirmed, {len(waitlisted)} waitlisted, {errors} errors; "
                  f"p50 {percentile(latencies, 50):.0f} ms, p99 {percentile(latencies, 99):.0f} ms"),
        baseline=f"{submissions / wall:.0f} submissions/s overall",
        target=target, met=met,
        note=(f"{len(rows)} rows, by state {dict(Counter(str(r.state) for r in rows))}; waitlist positions unique and in registration order: {in_order}; "
              f"statuses: {sorted(set(s for s, _ in results))}; all {submissions} sent at once "
              f"(one thread and connection each, each from its own address through X-Forwarded-For "
              f"with TRUSTED_PROXIES=1, so the per-address limit is on but not hit) to 2 sync workers"),
    )
