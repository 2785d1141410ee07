"""Figures measured in this process: 1 (PDF render vs raw WeasyPrint) and 3 (queries/request)."""

import statistics
import time

from benchmarks import data, pdfwork
from benchmarks.context import Bench
from benchmarks.pages import (
    NOT_ON_BUILD,
    OTHER_PUBLIC_PAGES,
    PUBLIC_PAGES,
    has_route,
    organizer_registration_list,
    forget_pages,
    queries_for,
    queries_when_kept,
)
from benchmarks.report import Row, skipped

PDF_TARGET = "<= 1.15x"
QUERY_TARGET = "<= 6, same at {n}x"


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


# Figure 1: the memo's first render -----------------------------------------------------------


def figure_pdf_render(bench: Bench) -> None:
    figure = "1. memo PDF first render vs raw WeasyPrint"
    with bench.app.test_request_context():
        renderer = pdfwork.memo_renderer(bench.main.slug)
        if renderer is None:
            reason = bench.main.skipped.get("memo", "the workshop has no memo")
            bench.add(skipped(figure, PDF_TARGET, f"memo renderer hook: {reason}"))
            raw_seed_alone(bench)
            agenda_pdf(bench)
            return
        cold_raw = timed(renderer.raw)
        cold_app = timed(renderer.render)
        raw_times, app_times = [], []
        for _ in range(bench.settings.pdf_renders):  # alternate, so drift hits both sides
            raw_times.append(timed(renderer.raw))
            app_times.append(timed(renderer.render))
    raw, app = statistics.median(raw_times), statistics.median(app_times)
    ratio = app / raw
    bench.add(Row(
        figure=figure, measured=f"{app:.2f} s", baseline=f"{raw:.2f} s (raw WeasyPrint)",
        ratio=ratio, target=PDF_TARGET, met=ratio <= 1.15,
        note=(f"median of {len(app_times)} renders each, alternated, same HTML and CSS "
              f"({bench.main.memo_pages} pages); first renders in this process: app "
              f"{cold_app:.2f} s, raw {cold_raw:.2f} s."),
    ))
    agenda_pdf(bench)


def raw_seed_alone(bench: Bench) -> None:
    pdfwork.raw_render_seed()  # fonts and CSS machinery loaded once
    times = [timed(pdfwork.raw_render_seed) for _ in range(bench.settings.pdf_renders)]
    bench.add(Row(
        figure="1. raw WeasyPrint alone (6-page seed memo)",
        measured=f"{statistics.median(times):.2f} s", target="(baseline only)",
        note="the baseline of figure 1 until the memo renderer is on the build",
    ))


def agenda_pdf(bench: Bench) -> None:
    """The agenda PDF as the app makes it now: the mail worker renders it (``stored_pdfs``) and
    the web serves the stored bytes. The first GET answers 202 "being prepared" and asks for it;
    the worker's round renders it here, in this process; then both halves are timed as CPU: the
    renderer that round calls, and the GET of the stored PDF, each answer checked to be the PDF."""
    import sqlalchemy as sa

    url = f"/w/{bench.main.slug}/agenda.pdf"
    if not has_route(bench.app, url):
        return
    client = bench.app.test_client()
    asked = client.get(url)
    started = time.process_time()
    rendered = pdfwork.render_stored_pdfs(bench.app)
    round_cpu = time.process_time() - started
    response = client.get(url)
    pdfwork.require_pdf(url, response.status_code, response.mimetype, response.data)

    from workshop.platform.db import db
    from workshop.platform.registry import registry
    from workshop.platform.stored_pdfs import StoredPdf
    from workshop.workshops.models import Workshop

    with bench.app.app_context():
        workshop_id = db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == bench.main.slug))
        row = db.session.scalar(sa.select(StoredPdf).where(StoredPdf.kind == "agenda",
                                                           StoredPdf.workshop_id == workshop_id))
        render = registry().pdf_renderers[row.kind]
        args = dict(row.args)
        renders = [cpu_s(lambda: render(args)) for _ in range(bench.settings.pdf_renders)]
    bench.add(Row(figure="1. agenda.pdf render (worker)",
                  measured=f"{statistics.median(renders):.2f} s CPU per render", target="(reported)",
                  note=(f"median of {len(renders)} renders by the renderer the mail worker's PDF round calls "
                        f"(`stored_pdfs.render_waiting`), in this process, {args}; the first GET answered "
                        f"{asked.status_code}, and the round that rendered it ({rendered} PDF) took "
                        f"{round_cpu:.2f} s CPU")))

    def served() -> None:
        answer = client.get(url)
        pdfwork.require_pdf(url, answer.status_code, answer.mimetype, answer.data)

    repeats = 10 if bench.settings.quick else 50
    bench.add(Row(figure="1. agenda.pdf served (stored bytes)",
                  measured=f"{cpu_ms(served, repeats):.2f} ms CPU per request", target="(reported)",
                  note=(f"mean of {repeats} GETs through the test client after the worker's round, each a 200 "
                        f"application/pdf of {len(response.data)} bytes (checked); no web request renders it")))


def cpu_s(function) -> float:
    started = time.process_time()
    function()
    return time.process_time() - started


# Where the time of figure 2 goes --------------------------------------------------------------

CPU_URLS = (
    ("hello-world (baseline)", "/__bench/hello"),
    ("static file (baseline)", "/static/style.css"),
    *((page.name, page.path) for page in PUBLIC_PAGES),
    ("memo page", "/w/{slug}/memo"),
    ("memo.pdf (stored)", "/w/{slug}/memo.pdf"),
    ("agenda.pdf", "/w/{slug}/agenda.pdf"),
)


def cpu_per_request(bench: Bench) -> None:
    """CPU time per request in this process (test client, no server, no network): what each
    page costs the app itself, measured as CPU so other work on the machine does not blur it."""
    from benchmarks.wsgi import add_bench_routes

    app = add_bench_routes(data.make_app(bench.database_url, bench.instance))
    client = app.test_client()
    repeats = 10 if bench.settings.quick else 50
    lines = ["| URL | CPU per request | with If-None-Match | full render (page cache emptied) | queries |",
             "|---|---|---|---|---|"]
    with app.app_context():
        engine = data_engine()
        for name, path in CPU_URLS:
            url = path.format(slug=bench.main.slug)
            if not has_route(app, url):
                continue
            if url.endswith(".pdf"):
                # The worker renders agenda.pdf (a first GET answers 202 and asks): rendered
                # here first, so the row times the PDF, not the "being prepared" page.
                pdfwork.fetch_stored_pdf(app, lambda: _answer(client.get(url)), url)
            first = client.get(url)
            if first.status_code != 200:
                lines.append(f"| {name} | answered {first.status_code} | | |")
                continue
            full = cpu_ms(lambda: client.get(url), repeats if not url.endswith(".pdf") else 5)
            etag = first.headers.get("ETag")
            conditional = (f"{cpu_ms(lambda: client.get(url, headers={'If-None-Match': etag}), repeats):.2f} ms"
                           if etag else "no ETag")
            rendered = cpu_ms(lambda: (forget_pages(), client.get(url)), repeats if not url.endswith(".pdf") else 5)
            _, queries, _ = queries_for(client, engine, url)
            kept = queries_when_kept(client, engine, url)
            lines.append(f"| {name} `{path}` | {full:.2f} ms | {conditional} | {rendered:.2f} ms | "
                         f"{queries}{f' ({kept} replayed)' if kept != queries else ''} |")
    bench.sections.append((
        "Where the time goes: CPU per request in-process",
        "Test client in the benchmark process, CPU time (not wall time), the mean of "
        f"{repeats} requests after one warm-up; the server's own per-request cost (gunicorn sync "
        "worker: accept, parse, write, close) comes on top of every row, baselines included.\n\n"
        + "\n".join(lines),
    ))


def _answer(response) -> tuple[int, str, bytes]:
    return response.status_code, response.mimetype, response.data


def cpu_ms(function, repeats: int) -> float:
    started = time.process_time()
    for _ in range(repeats):
        function()
    return (time.process_time() - started) / repeats * 1000


# Figure 3: queries per request ----------------------------------------------------------------


def figure_query_counts(bench: Bench) -> None:
    large = bench.large
    target = QUERY_TARGET.format(n=bench.settings.scale_up)
    client = bench.app.test_client()
    with bench.app.app_context():
        engine = data_engine()
        for page in PUBLIC_PAGES + OTHER_PUBLIC_PAGES:
            figure = f"3. queries: {page.name}"
            if not has_route(bench.app, page.url(bench.main.slug)):
                bench.add(skipped(figure, target, NOT_ON_BUILD))
                continue
            bench.add(query_row(figure, client, engine, page, bench.main.slug, large.slug, target,
                                limit=6, scale=bench.settings.scale_up))
        page = organizer_registration_list(bench.app)
        figure = "3. queries: organizer's registration list"
        if page is None:
            bench.add(skipped(figure, f"same at {bench.settings.scale_up}x", NOT_ON_BUILD))
            return
        login(client)
        bench.add(query_row(figure, client, engine, page, bench.main.slug, large.slug,
                            f"same at {bench.settings.scale_up}x", limit=None,
                            scale=bench.settings.scale_up))


def data_engine():
    from workshop.platform.db import db

    return db.engine


def login(client) -> None:
    response = client.post("/login", data={"email": data.ORGANIZER_EMAIL,
                                           "password": data.ORGANIZER_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"benchmark organizer could not sign in: {response.status_code}")


def query_row(figure, client, engine, page, slug, large_slug, target, *, limit, scale) -> Row:
    status, small, statements = queries_for(client, engine, page.url(slug))
    status_large, big, _ = queries_for(client, engine, page.url(large_slug))
    if status != 200 or status_large != 200:
        return skipped(figure, target, f"answered {status}/{status_large} on the benchmark data")
    met = small == big and (limit is None or small <= limit)
    kept = queries_when_kept(client, engine, page.url(slug))
    note = (f"full render (the first visitor after a change); {kept} when the page is replayed "
            "from memory") if kept != small else ""
    if not met:
        note += "; statements at 1x: " + "; ".join(s.split(" FROM ")[-1][:60] for s in statements[:12])
    return Row(figure=figure, measured=f"{small} at 1x, {big} at {scale}x", baseline="-",
               target=target, met=met, note=note)
