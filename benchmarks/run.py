"""``make bench``: build the data, serve the app with gunicorn, measure, write RESULTS.md.

    python -m benchmarks.run            # the full run (under 10 minutes on 2 cores)
    python -m benchmarks.run --quick    # a smoke run: tiny durations and counts

Everything lives in ``benchmarks/.work/`` (git-ignored), made anew each run: the SQLite database
(migrated with ``flask db upgrade``), the instance folder, the server and worker logs. Figure 4
uses a scratch PostgreSQL database that it drops again; figure 8 builds a network-sized SQLite
database of its own in ``.work/scale/``.

    python -m benchmarks.run --only 8   # one figure (here the organizer lists at network scale)
"""

import argparse
import shutil
import sys
import time
import traceback
from pathlib import Path

from benchmarks import (data, figures_burst, figures_http, figures_local, figures_mail, figures_memory,
                        figures_messages, figures_scale, load, report)
from benchmarks.context import Bench, Settings
from benchmarks.server import gunicorn

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
MAIN_SLUG, LARGE_SLUG = "bench-1x", "bench-10x"


def prepare(settings: Settings) -> Bench:
    if WORK.exists():
        shutil.rmtree(WORK)
    instance = WORK / "instance"
    instance.mkdir(parents=True)
    url = f"sqlite:///{WORK / 'bench.sqlite3'}"
    started = time.monotonic()
    data.migrate(url, instance)
    # CSRF stays on in the server; the in-process app is only for data and query counts.
    app = data.make_app(url, instance, WTF_CSRF_ENABLED=False)
    with app.app_context():
        main = data.build_workshop(MAIN_SLUG, scale=1)
        large = data.build_workshop(LARGE_SLUG, scale=settings.scale_up)
    bench = Bench(settings=settings, work=WORK, instance=instance, database_url=url, app=app,
                  main=main, large=large)
    bench.started = started
    bench.log(f"data: {main.agenda_items} agenda items, {main.registrations} registrations, "
              f"memo pages {main.memo_pages}; {settings.scale_up}x: {large.agenda_items} items, "
              f"{large.registrations} registrations; skipped: {main.skipped or 'nothing'}")
    return bench


FIGURES = 8

# `make bench` must end within 10 minutes on 2 cores; a figure is not started past this point.
BUDGET_S = 480


def guarded(bench: Bench, name: str, function, *args) -> None:
    """One figure's failure is a row saying so, not the end of the run."""
    elapsed = time.monotonic() - bench.started
    if elapsed > BUDGET_S:
        bench.add(report.Row(figure=name, skipped=f"not started: the run had used {elapsed:.0f} s "
                                                  f"of its {BUDGET_S} s budget"))
        return
    try:
        function(bench, *args)
    except Exception as error:  # noqa: BLE001 - reported in RESULTS.md with its traceback
        bench.log(f"{name} failed:\n{traceback.format_exc()}")
        bench.add(report.Row(figure=name, skipped=f"the harness failed: {type(error).__name__}: {error}"))


def run(settings: Settings, only: set[int]) -> Bench:
    started = time.monotonic()
    bench = prepare(settings)
    bench.started = started
    if 3 in only:
        guarded(bench, "3. queries per request", figures_local.figure_query_counts)
    if 1 in only:
        guarded(bench, "1. memo PDF first render", figures_local.figure_pdf_render)
    if only & {1, 2}:
        guarded(bench, "2. CPU per request", figures_local.cpu_per_request)
    if 5 in only:
        guarded(bench, "5. memory after mixed requests", figures_memory.figure_memory)
    if only & {1, 2, 5, 6, 7}:
        env = data.app_env(bench.database_url, bench.instance)
        with gunicorn(env, WORK / "gunicorn.log") as (base, server):
            bench.log(f"gunicorn on {base}, 2 workers")
            if only & {1, 2}:
                guarded(bench, "2. public pages", figures_http.figure_pages, base, server.pid)
            if 6 in only:
                guarded(bench, "6. web worker RSS", figures_http.figure_web_memory, base, server.pid)
            if only & {5, 6}:
                guarded(bench, "5. bulk invitation and flask worker", figures_mail.figure_invitations, base)
            if 7 in only:
                guarded(bench, "7. composed message and flask worker", figures_messages.figure_messages, base)
    if 4 in only:
        guarded(bench, "4. registration burst", figures_burst.figure_burst)
        guarded(bench, "4. registration burst (SQLite)", figures_burst.figure_burst_sqlite)
    if 8 in only:
        # Last: its database is its own, so it changes nothing the other figures read.
        guarded(bench, "8. organizer lists at network scale", figures_scale.figure_scale)
    return bench


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: tiny durations and counts")
    parser.add_argument("--only", type=int, action="append", choices=range(1, FIGURES + 1), metavar="N",
                        help="measure only figure N (repeatable); for working on one figure")
    parser.add_argument("--load", choices=("auto", "python"), default="auto",
                        help="load generator: wrk when installed (auto), or the Python client")
    args = parser.parse_args(argv)
    load.PREFERRED = args.load
    settings = Settings(quick=args.quick)
    started = time.monotonic()
    bench = run(settings, set(args.only or range(1, FIGURES + 1)))
    facts = report.machine(figures_burst.postgres_version(), load.tool_name())
    report.write_results(bench.rows, facts, quick=settings.quick,
                         elapsed_s=time.monotonic() - started, log=bench.log_lines,
                         sections=bench.sections)
    if not settings.quick and not args.only and report.update_readme(bench.rows, facts):
        print("README.md: Performance table updated")
    print(f"\n{report.table(bench.rows)}\n\nwritten to {report.RESULTS.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
