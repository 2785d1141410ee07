"""Figure 4: a registration burst on PostgreSQL, through gunicorn and the public form.

A scratch database ``bench_<pid>`` on postgres@127.0.0.1 is created, migrated with
``flask db upgrade``, used, and dropped. Without an answering PostgreSQL the figure is skipped
with the reason.
"""

import asyncio
import os
import time
import urllib.parse
from collections import Counter

import sqlalchemy as sa

from benchmarks import data
from benchmarks.browser import Session, csrf_token, form_fields
from benchmarks.context import Bench
from benchmarks.load import percentile
from benchmarks.pages import NOT_ON_BUILD, has_route
from benchmarks.procfs import child_pids, cpu_seconds
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
    with gunicorn(env, bench.work / "gunicorn-sqlite-burst.log") as (base, server):
        bench.add(run_burst(bench, bench.app, base, submissions, seats, figure, target, server.pid))


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
        with gunicorn(env, bench.work / "gunicorn-postgres.log") as (base, server):
            row = run_burst(bench, app, base, submissions, seats, figure, target, server.pid)
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
              target: str, server_pid: int | None = None) -> Row:
    from workshop.platform.db import db
    from workshop.registration.models import Registration, State
    from workshop.workshops.models import Workshop

    # One visitor's form, then a probe on another workshop to prove the filled-in form is
    # accepted before the burst counts anything.
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

    port = int(base.rsplit(":", 1)[1])
    path = REGISTER_PATH.format(slug=BURST_SLUG)
    # Every delegate has the form open when registration opens: their own GET, their own
    # session cookie and CSRF token (not timed), then all submit at once.
    visitors = asyncio.run(_open_forms(port, path, submissions))
    if len(visitors) < submissions:
        return skipped(figure, target, f"only {len(visitors)} of {submissions} forms could be opened")
    bodies = [urllib.parse.urlencode(registration_form(fields, n) | {"csrf_token": visitors[n][1]},
                                     doseq=True).encode() for n in range(submissions)]
    requests = [_request("POST", path, _address(n), cookie=visitors[n][0], body=bodies[n])
                for n in range(submissions)]
    workers = child_pids(server_pid) if server_pid else []
    cpu_before, own_before = cpu_seconds(workers), time.process_time()
    started = time.perf_counter()
    results = asyncio.run(_burst(port, requests))
    wall = time.perf_counter() - started
    worker_cpu, own_cpu = cpu_seconds(workers) - cpu_before, time.process_time() - own_before

    errors = sum(1 for status, _ in results if status not in (200, 302, 303))
    latencies = [ms for status, ms in results if status > 0]
    with app.app_context():
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == BURST_SLUG))
        rows = db.session.execute(
            sa.select(Registration.id, Registration.email, Registration.state, Registration.waitlist_position)
            .where(Registration.workshop_id == workshop.id).order_by(Registration.id)
        ).all()
    confirmed = sum(1 for r in rows if r.state == State.CONFIRMED)
    waitlisted = [r for r in rows if r.state == State.WAITLISTED]
    positions = [r.waitlist_position for r in waitlisted]
    in_order = positions == sorted(positions) and len(set(positions)) == len(positions)
    distinct = len({r.email for r in rows})
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    met = (confirmed == seats and len(waitlisted) == submissions - seats and in_order
           and errors == 0 and len(rows) == submissions and distinct == submissions
           and p99 is not None and p99 < P99_TARGET_MS)
    cpu = (f"worker CPU {worker_cpu / submissions * 1000:.1f} ms a submission "
           f"({worker_cpu:.1f} s for {submissions} on {len(workers)} workers); " if workers else "")
    return Row(
        figure=figure,
        measured=(f"{confirmed} confirmed, {len(waitlisted)} waitlisted, {errors} errors; "
                  f"p50 {p50 or 0:.0f} ms, p99 {p99 or 0:.0f} ms"),
        baseline=f"{submissions / wall:.0f} submissions/s overall",
        target=target, met=met,
        note=(f"{len(rows)} rows ({distinct} distinct addresses), by state "
              f"{dict(Counter(str(r.state) for r in rows))}; waitlist positions unique and in "
              f"registration order: {in_order}; statuses: {dict(Counter(s for s, _ in results))}; "
              f"{cpu}load generator CPU {own_cpu:.2f} s; each delegate opened the form first (own "
              f"session cookie and CSRF token, not timed), then all {submissions} POSTs were sent "
              f"at once (one connection each, one asyncio thread, each from its own address "
              f"through X-Forwarded-For with TRUSTED_PROXIES=1, so the per-address limit is on but "
              f"not hit) to 2 sync workers; latency from sending the POST to the whole answer (the "
              f"\"check your inbox\" page: the public form answers in place, no redirect to follow)"),
    )


def _address(n: int) -> str:
    return f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"


def _request(method: str, path: str, address: str, *, cookie: str = "", body: bytes = b"") -> bytes:
    head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"X-Forwarded-For: {address}",
            "Connection: close"]
    if cookie:
        head.append(f"Cookie: {cookie}")
    if method == "POST":
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _exchange(port: int, request: bytes) -> tuple[int, bytes, bytes]:
    """One request on its own connection; the status, the head and the body (read to the end:
    sync workers close the connection after each answer)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        return await _read_answer(reader)
    finally:
        writer.close()


async def _read_answer(reader) -> tuple[int, bytes, bytes]:
    """The status, head and body of one answer, read up to its Content-Length (the server may
    keep the connection open after it)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length)
    return int(head.split(b" ", 2)[1]), head, body


async def _open_forms(port: int, path: str, count: int) -> list[tuple[str, str]]:
    """Each visitor's session cookie and CSRF token, from their own GET of the form."""
    limit = asyncio.Semaphore(8)

    async def one(n: int):
        async with limit:
            status, head, body = await _exchange(port, _request("GET", path, _address(n)))
        if status != 200:
            return None
        cookies = [line.split(b":", 1)[1].split(b";", 1)[0].strip().decode()
                   for line in head.split(b"\r\n") if line.lower().startswith(b"set-cookie:")]
        return "; ".join(cookies), csrf_token(body.decode("utf-8", "replace"))

    found = await asyncio.gather(*(one(n) for n in range(count)))
    return [visitor for visitor in found if visitor is not None]


async def _burst(port: int, requests: list[bytes]) -> list[tuple[int, float]]:
    """Every connection opened first, then every POST written at once; each latency runs from
    its POST being handed to the socket to its answer's last byte."""
    connections = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port) for _ in requests))

    async def answer(reader, writer, started: float) -> tuple[int, float]:
        try:
            status = (await _read_answer(reader))[0]
        except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
            status = -1
        finished = time.perf_counter()
        # Closed at once, as a browser done with it would: gunicorn lingers on a connection
        # until its client closes it (up to 2 s), and a sync worker serves nothing meanwhile.
        writer.close()
        return status, (finished - started) * 1000

    waits = []
    for (reader, writer), request in zip(connections, requests):
        writer.write(request)
        waits.append(answer(reader, writer, time.perf_counter()))
    return await asyncio.gather(*waits)
