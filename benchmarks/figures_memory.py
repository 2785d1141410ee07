"""Figure 5 (memory): the web workers after 1,000 mixed requests, publishing a memo among them,
and the job worker (``flask worker``) after it rendered that memo's PDF.

A gunicorn of its own (2 sync workers, fresh processes), so nothing another figure did (the
PDF renders of figure 6) is counted. The mix is what a day of a workshop looks like: anonymous
visitors on the public pages (the page cache on, as in production), the organizer signed in
on the management pages, and once, halfway, the organizer publishing the memo through the web
form. agenda.pdf and the memo's draft preview are in the mix as the web serves them: stored
bytes, rendered by the mail worker's PDF round (run here, in the benchmark process, before the
mix and right after publishing); a web worker that mapped WeasyPrint fails the figure. Each
worker's memory is read from ``/proc/<pid>/smaps_rollup``: RSS counts every page the process
has mapped, shared ones included; PSS divides shared pages among the processes sharing them;
USS is the private pages alone (what ending the worker would give back). Run once without
and once with ``gunicorn --preload`` (the app imported in the master before the fork, so the
workers share its pages until they write to them).
"""

import os
import subprocess
import sys
import time

import sqlalchemy as sa

from benchmarks import data, pdfwork
from benchmarks.browser import Session, csrf_token
from benchmarks.context import Bench
from benchmarks.load import fetch
from benchmarks.procfs import child_pids, maps_library, memory_kb
from benchmarks.report import Row, skipped
from benchmarks.server import ROOT, gunicorn, stop

MEMORY_SLUG = "bench-memory"
WEB_TARGET_MIB, WORKER_TARGET_MIB = 80, 150
REQUESTS = 1000

AGENDA_PDF, PREVIEW_PDF = "/w/{slug}/agenda.pdf", "/manage/w/{slug}/memo/preview.pdf"
PUBLIC = ("/", "/w/{slug}/", "/w/{slug}/agenda", "/w/{slug}/calendar.ics", "/w/{slug}/agenda.json",
          "/w/{slug}/memo", "/w/{slug}/memo.pdf", "/w/{slug}/register",
          "/w/{slug}/documents", AGENDA_PDF)
ORGANIZER = ("/manage/", "/manage/w/{slug}/", "/manage/w/{slug}/agenda", "/manage/w/{slug}/registrations",
             "/manage/w/{slug}/invitations", "/manage/w/{slug}/registration-settings",
             "/manage/w/{slug}/memo/", "/manage/w/{slug}/memo/history", "/manage/w/{slug}/notes/",
             "/manage/w/{slug}/documents", "/manage/w/{slug}/audit", "/manage/w/{slug}/messages",
             "/manage/w/{slug}/team", "/manage/w/{slug}/letters", "/manage/w/{slug}/visa-letters",
             "/manage/w/{slug}/outputs", "/manage/w/{slug}/questions", "/manage/w/{slug}/reminders",
             "/manage/w/{slug}/edit", "/manage/contacts/", PREVIEW_PDF)
# The PDFs in the mix that the mail worker renders and the web serves as stored bytes
# (workshop/platform/stored_pdfs.py); the memo's published PDF (memo.pdf) is the job worker's,
# below, so in the mix it answers "being prepared" once published.
STORED_PDFS = (AGENDA_PDF, PREVIEW_PDF)


def prepare_memo(bench: Bench) -> None:
    """A workshop whose memo is written, reviewed and approved: one click from published."""
    from workshop.memos import service as memos
    from workshop.platform.db import db
    from workshop.workshops.models import Workshop

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


def stored_pdfs_rendered(bench: Bench, base: str, organizer: Session) -> None:
    """The PDFs of ``STORED_PDFS`` as this server shows them now, rendered by the mail worker's
    PDF round: each is asked for through the server (its first answer, 202 "being prepared",
    asks for the version this server would serve), the round runs in the benchmark process
    against the same database, as ``flask worker`` would within seconds, and the answer must
    then be the PDF itself. The web workers only ever serve the stored bytes."""
    def anonymous(path: str):
        status, headers, body = fetch(base + path)
        return status, headers.get("content-type"), body

    def signed_in(path: str):
        response = organizer.get(path)
        return response.status, response.headers.get("Content-Type"), response.body

    for path, get in ((AGENDA_PDF, anonymous), (PREVIEW_PDF, signed_in)):
        url = path.format(slug=MEMORY_SLUG)
        pdfwork.fetch_stored_pdf(bench.app, lambda: get(url), url)


def mixed_requests(bench: Bench, base: str, count: int) -> tuple[dict[int, int], str, dict[str, int]]:
    """``count`` requests, two anonymous for each of the organizer's, the memo published
    halfway; returns the statuses seen, what the publication answered and how the PDFs of
    ``STORED_PDFS`` were answered (status and type). Those are rendered before the mix and
    again right after publishing (which changes what both show), as the worker would."""
    organizer = Session(base, timeout=120)
    organizer.login(data.ORGANIZER_EMAIL, data.ORGANIZER_PASSWORD)
    stored_pdfs_rendered(bench, base, organizer)
    statuses: dict[int, int] = {}
    pdf_answers: dict[str, int] = {}
    published = "not tried"
    public = [path.format(slug=MEMORY_SLUG) for path in PUBLIC]
    manage = [path.format(slug=MEMORY_SLUG) for path in ORGANIZER]
    stored = {path.format(slug=MEMORY_SLUG) for path in STORED_PDFS}
    for n in range(count):
        if n == count // 2:
            page = organizer.get(f"/manage/w/{MEMORY_SLUG}/memo/")
            response = organizer.post(f"/manage/w/{MEMORY_SLUG}/memo/state/publish",
                                      {"csrf_token": csrf_token(page.text)})
            published = f"POST answered {response.status}"
            statuses[response.status] = statuses.get(response.status, 0) + 1
            stored_pdfs_rendered(bench, base, organizer)
            continue
        if n % 3 == 2:
            path = manage[(n // 3) % len(manage)]
            response = organizer.get(path)
            status, content_type = response.status, response.headers.get("Content-Type")
        else:
            path = public[n % len(public)]
            status, headers, _ = fetch(base + path)
            content_type = headers.get("content-type")
        statuses[status] = statuses.get(status, 0) + 1
        if path in stored:
            answer = f"{status} {(content_type or '').split(';')[0]}"
            pdf_answers[answer] = pdf_answers.get(answer, 0) + 1
    return statuses, published, pdf_answers


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
    """The mix through a gunicorn of its own; (sizes, note, ok): ok when no web worker mapped
    WeasyPrint and every PDF of ``STORED_PDFS`` in the mix was the PDF itself."""
    env = data.app_env(bench.database_url, bench.instance)
    log = bench.work / ("gunicorn-memory-preload.log" if preload else "gunicorn-memory.log")
    with gunicorn(env, log, extra_args=("--preload",) if preload else ()) as (base, server):
        workers = child_pids(server.pid)
        started = time.monotonic()
        statuses, published, pdf_answers = mixed_requests(bench, base, REQUESTS)
        elapsed = time.monotonic() - started
        sizes, text = describe(workers)
        weasyprint = any(maps_library(pid, "libpango") for pid in workers)
    served_as_pdf = bool(pdf_answers) and set(pdf_answers) == {"200 application/pdf"}
    names = ", ".join(path.format(slug="<slug>") for path in STORED_PDFS)
    loaded = "LOADED" if weasyprint else "not loaded"
    note = (f"{REQUESTS} requests in {elapsed:.0f} s, the PDF rounds included "
            f"(statuses {dict(sorted(statuses.items()))}; publishing the memo: {published}); "
            f"per worker: {text}; WeasyPrint (libpango) {loaded} in the web workers; in the mix, "
            f"the PDFs the mail worker renders ({names}) answered {dict(sorted(pdf_answers.items()))}"
            f"{'' if served_as_pdf else ' (NOT all the stored PDF)'}: rendered by the worker's PDF "
            f"round (run in the benchmark process) before the mix and right after publishing, each "
            f"asked for through the server first (a few requests besides the {REQUESTS})")
    return sizes, note, not weasyprint and served_as_pdf


def figure_memory(bench: Bench) -> None:
    figure = f"5. web worker RSS after {REQUESTS} mixed requests (memo published)"
    if not data.has_module("workshop.memos.rendering"):
        bench.add(skipped(figure, f"<= {WEB_TARGET_MIB} MiB", "memo rendering in the worker not on this build"))
        return
    prepare_memo(bench)
    bare = bare_hello_worker(bench)
    sizes, note, ok = web_run(bench, preload=False)
    largest = max((s.get("rss", 0) for s in sizes), default=0)
    bench.add(Row(figure=figure, measured=f"{_mib(largest)} MiB",
                  baseline=bare, target=f"<= {WEB_TARGET_MIB} MiB",
                  met=0 < largest <= WEB_TARGET_MIB * 1024 and ok, note=note))
    sizes, note, _ = web_run(bench, preload=True)
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
