"""Figure 5 (memory): the web workers after 1,000 mixed requests, publishing a memo among them,
and the job worker (``flask worker``) after it rendered that memo's PDF.

A gunicorn of its own (2 sync workers, fresh processes), so nothing another figure did (the
PDF renders of figure 6) is counted. The mix is what a day of a workshop looks like: anonymous
visitors on the public pages (the page cache on, as in production), the organizer signed in
on the management pages, and once, halfway, the organizer publishing the memo through the web
form. Each worker's memory is read from ``/proc/<pid>/smaps_rollup``: RSS counts every page the
process has mapped, shared ones included; PSS divides shared pages among the processes sharing
them; USS is the private pages alone (what ending the worker would give back). Run once without
and once with ``gunicorn --preload`` (the app imported in the master before the fork, so the
workers share its pages until they write to them).
"""

import os
import subprocess
import sys
import time

import sqlalchemy as sa

from benchmarks import data
from benchmarks.browser import Session, csrf_token
from benchmarks.context import Bench
from benchmarks.load import fetch
from benchmarks.procfs import child_pids, maps_library, memory_kb
from benchmarks.report import Row, skipped
from benchmarks.server import ROOT, gunicorn, stop

MEMORY_SLUG = "bench-memory"
WEB_TARGET_MIB, WORKER_TARGET_MIB = 80, 150
REQUESTS = 1000

PUBLIC = ("/", "/w/{slug}/", "/w/{slug}/agenda", "/w/{slug}/calendar.ics", "/w/{slug}/agenda.json",
          "/w/{slug}/memo", "/w/{slug}/memo.pdf", "/w/{slug}/register",
          "/w/{slug}/documents")
ORGANIZER = ("/manage/", "/manage/w/{slug}/", "/manage/w/{slug}/agenda", "/manage/w/{slug}/registrations",
             "/manage/w/{slug}/invitations", "/manage/w/{slug}/registration-settings",
             "/manage/w/{slug}/memo/", "/manage/w/{slug}/memo/history", "/manage/w/{slug}/notes/",
             "/manage/w/{slug}/documents", "/manage/w/{slug}/audit", "/manage/w/{slug}/messages",
             "/manage/w/{slug}/team", "/manage/w/{slug}/letters", "/manage/w/{slug}/visa-letters",
             "/manage/w/{slug}/outputs", "/manage/w/{slug}/questions", "/manage/w/{slug}/reminders",
             "/manage/w/{slug}/edit", "/manage/contacts/")
# Public pages that still render a PDF in the web request, left out of the mix (see the note).
RENDERS_IN_WEB = ("/w/{slug}/agenda.pdf", "/manage/w/{slug}/memo/preview.pdf")


def prepare_memo(bench: Bench) -> None:
    """A workshop whose memo is written, reviewed and approved: one click from published."""
    from workshop.memos import service as memos
    from workshop.platform.db import db
    from workshop.workshops.models import Workshop

    from benchmarks import pdfwork

    with bench.app.app_context():
        data.build_workshop(MEMORY_SLUG, memo=False, registrations=50)
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == MEMORY_SLUG))
        memo = memos.memo_for(workshop)
        memos.save(memo, pdfwork.memo_source(), data.organizer(), None)
        memos.submit_for_review(memo)
        try:
            memos.approve(memo)
        except memos.AttributionUnresolved as unresolved:
            memos.approve(memo, accepted=unresolved.names)
        db.session.commit()


def mixed_requests(base: str, count: int) -> tuple[dict[int, int], str]:
    """``count`` requests, two anonymous for each of the organizer's, the memo published
    halfway; returns the statuses seen and what the publication answered."""
    organizer = Session(base, timeout=120)
    organizer.login(data.ORGANIZER_EMAIL, data.ORGANIZER_PASSWORD)
    statuses: dict[int, int] = {}
    published = "not tried"
    public = [path.format(slug=MEMORY_SLUG) for path in PUBLIC]
    manage = [path.format(slug=MEMORY_SLUG) for path in ORGANIZER]
    for n in range(count):
        if n == count // 2:
            page = organizer.get(f"/manage/w/{MEMORY_SLUG}/memo/")
            response = organizer.post(f"/manage/w/{MEMORY_SLUG}/memo/state/publish",
                                      {"csrf_token": csrf_token(page.text)})
            published = f"POST answered {response.status}"
            statuses[response.status] = statuses.get(response.status, 0) + 1
            continue
        if n % 3 == 2:
            status = organizer.get(manage[(n // 3) % len(manage)]).status
        else:
            status = fetch(base + public[n % len(public)])[0]
        statuses[status] = statuses.get(status, 0) + 1
    return statuses, published


def _mib(kb: int) -> str:
    return f"{kb / 1024:.0f}"


def describe(pids: list[int]) -> tuple[list[dict], str]:
    sizes = [memory_kb(pid) for pid in pids]
    text = "; ".join(f"RSS {_mib(s.get('rss', 0))}, PSS {_mib(s.get('pss', 0))}, USS {_mib(s.get('uss', 0))} MiB"
                     for s in sizes)
    return sizes, text


def bare_hello_worker(bench: Bench) -> str:
    """A bare Flask hello's gunicorn worker after 200 requests: the floor of any Flask worker."""
    try:
        with gunicorn({}, bench.work / "gunicorn-bare-hello.log", app="benchmarks.bare_hello:app") as (base, server):
            for _ in range(200):
                fetch(base + "/__bench/hello")
            sizes = [memory_kb(pid) for pid in child_pids(server.pid)]
    except RuntimeError as error:
        return f"- (bare hello did not start: {error})"
    return f"{_mib(max(s.get('rss', 0) for s in sizes))} MiB (bare Flask hello worker)"


def web_run(bench: Bench, preload: bool) -> tuple[list[dict], str, bool]:
    env = data.app_env(bench.database_url, bench.instance)
    log = bench.work / ("gunicorn-memory-preload.log" if preload else "gunicorn-memory.log")
    with gunicorn(env, log, extra_args=("--preload",) if preload else ()) as (base, server):
        workers = child_pids(server.pid)
        started = time.monotonic()
        statuses, published = mixed_requests(base, REQUESTS)
        elapsed = time.monotonic() - started
        sizes, text = describe(workers)
        weasyprint = any(maps_library(pid, "libpango") for pid in workers)
    note = (f"{REQUESTS} requests in {elapsed:.0f} s (statuses {dict(sorted(statuses.items()))}; "
            f"publishing the memo: {published}); per worker: {text}; WeasyPrint (libpango) "
            f"{'LOADED' if weasyprint else 'not loaded'} in the web workers; not in the mix, because "
            f"they still render a PDF in the web request: {', '.join(p.format(slug='<slug>') for p in RENDERS_IN_WEB)}")
    return sizes, note, weasyprint


def figure_memory(bench: Bench) -> None:
    figure = f"5. web worker RSS after {REQUESTS} mixed requests (memo published)"
    if not data.has_module("workshop.memos.rendering"):
        bench.add(skipped(figure, f"<= {WEB_TARGET_MIB} MiB", "memo rendering in the worker not on this build"))
        return
    prepare_memo(bench)
    bare = bare_hello_worker(bench)
    sizes, note, weasyprint = web_run(bench, preload=False)
    largest = max((s.get("rss", 0) for s in sizes), default=0)
    bench.add(Row(figure=figure, measured=f"{_mib(largest)} MiB",
                  baseline=bare, target=f"<= {WEB_TARGET_MIB} MiB",
                  met=0 < largest <= WEB_TARGET_MIB * 1024 and not weasyprint, note=note))
    sizes, note, weasyprint = web_run(bench, preload=True)
    largest = max((s.get("rss", 0) for s in sizes), default=0)
    bench.add(Row(figure=f"{figure}, gunicorn --preload", measured=f"{_mib(largest)} MiB RSS, "
                  f"{_mib(max(s.get('pss', 0) for s in sizes))} MiB PSS",
                  target="(reported)", met=None, note=note))
    job_worker(bench)


def job_worker(bench: Bench) -> None:
    """``flask worker`` until the memo published above has its PDF; then its memory."""
    from workshop.memos.models import Memo, MemoVersion
    from workshop.platform.db import db
    from workshop.workshops.models import Workshop

    figure = "5. job worker RSS after rendering the published memo's PDF"

    def rendered() -> bool:
        with bench.app.app_context():
            done = db.session.scalar(
                sa.select(sa.func.count(MemoVersion.id)).join(Memo, Memo.id == MemoVersion.memo_id)
                .join(Workshop, Workshop.id == Memo.workshop_id)
                .where(Workshop.slug == MEMORY_SLUG, MemoVersion.pdf_sha256.is_not(None)))
            db.session.remove()
        return bool(done)

    env = {**os.environ, **data.app_env(bench.database_url, bench.instance), "MAIL_POLL_SECONDS": "0.2"}
    log = open(bench.work / "worker-memory.log", "ab")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "workshop", "worker"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    started = time.monotonic()
    sizes: dict = {}
    done = False
    try:
        deadline = started + (60 if bench.settings.quick else 300)  # it delivers the queued mail first
        while time.monotonic() < deadline and worker.poll() is None:
            if rendered():
                done = True
                time.sleep(1)  # let the round finish (its other jobs, the commit)
                break
            time.sleep(0.5)
        sizes = memory_kb(worker.pid)
    finally:
        stop(worker, 30)
        log.close()
    if not done:
        bench.add(skipped(figure, f"<= {WORKER_TARGET_MIB} MiB", "the memo's PDF was not rendered in time; "
                          "see worker-memory.log"))
        return
    rss = sizes.get("rss", 0)
    bench.add(Row(figure=figure, measured=f"{_mib(rss)} MiB", target=f"<= {WORKER_TARGET_MIB} MiB",
                  met=0 < rss <= WORKER_TARGET_MIB * 1024,
                  note=(f"`flask worker`, {time.monotonic() - started:.0f} s from its start to the stored PDF "
                        f"(and the queued mail delivered to a file); RSS {_mib(rss)}, PSS "
                        f"{_mib(sizes.get('pss', 0))}, USS {_mib(sizes.get('uss', 0))} MiB")))
