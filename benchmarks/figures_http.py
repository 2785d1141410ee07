"""Figures measured through gunicorn: 2 (page req/s), 1 (stored memo downloads), 6 (web RSS).

Every ratio divides by a baseline served by the same app, server and workers in the same run:
``/__bench/hello`` for pages, the app's own ``/static/style.css`` for downloads.
"""

import json

from benchmarks.context import Bench
from benchmarks.load import LoadResult, fetch, run_load
from benchmarks.pages import MEMO_PDF, NOT_ON_BUILD, PUBLIC_PAGES, Page, has_route
from benchmarks.report import Row, skipped
from benchmarks.procfs import child_pids, cpu_seconds, rss_kb

PAGE_TARGET, CONDITIONAL_TARGET, DOWNLOAD_TARGET = 0.35, 0.70, 0.50
STATIC_FILE = "/static/style.css"
MISSING_ETAG = "missing ETag: the response has no ETag, so a conditional GET costs a full response"


class Baselines:
    def __init__(self, bench: Bench, base: str, server_pid: int):
        self.bench, self.base, self.server_pid = bench, base, server_pid
        self.hello_runs: list[LoadResult] = []
        self.static_runs: list[LoadResult] = []

    def measure(self) -> None:
        """Called before and after the pages; the ratios use the mean of both runs."""
        self.hello_runs.append(self.load("/__bench/hello"))
        self.static_runs.append(self.load(STATIC_FILE))

    def load(self, path: str, headers: dict | None = None, expect=(200,)) -> LoadResult:
        settings = self.bench.settings
        workers = child_pids(self.server_pid)
        before = cpu_seconds(workers)
        result = run_load(self.base + path, seconds=settings.load_seconds,
                          connections=settings.connections, headers=headers, expect=expect)
        result.server_cpu_s = cpu_seconds(workers) - before
        return result

    @property
    def hello(self) -> float:
        return sum(r.rps for r in self.hello_runs) / len(self.hello_runs)

    @property
    def static(self) -> float:
        return sum(r.rps for r in self.static_runs) / len(self.static_runs)

    @staticmethod
    def _cpu(runs) -> float | None:
        values = [r.cpu_ms_per_request for r in runs if r.cpu_ms_per_request]
        return sum(values) / len(values) if values else None

    @property
    def hello_cpu(self) -> float | None:
        return self._cpu(self.hello_runs)

    @property
    def static_cpu(self) -> float | None:
        return self._cpu(self.static_runs)

    def describe(self) -> str:
        hello = ", ".join(f"{r.rps:.0f}" for r in self.hello_runs)
        static = ", ".join(f"{r.rps:.0f}" for r in self.static_runs)
        return f"hello-world runs: {hello} req/s; static file runs: {static} req/s"


def rate(result: LoadResult) -> str:
    text = f"{result.rps:.0f} req/s"
    if result.cpu_ms_per_request is not None:
        text += f", {result.cpu_ms_per_request:.2f} ms worker CPU/req"
    if result.p99_ms is not None:
        text += f" (p99 {result.p99_ms:.1f} ms)"
    if result.errors:
        text += f", {result.errors} errors"
    return text


def figure_pages(bench: Bench, base: str, server_pid: int) -> Baselines:
    baselines = Baselines(bench, base, server_pid)
    baselines.measure()
    measured: list[tuple[Page, LoadResult, LoadResult | None, str]] = []
    for page in PUBLIC_PAGES:
        url = page.url(bench.main.slug)
        figure = f"2. {page.name}"
        if not has_route(bench.app, url):
            bench.add(skipped(figure, f">= {PAGE_TARGET:.0%} of hello", NOT_ON_BUILD))
            bench.add(skipped(f"{figure}, If-None-Match", f">= {CONDITIONAL_TARGET:.0%} of hello",
                              NOT_ON_BUILD))
            continue
        status, headers, _ = fetch(base + url)
        if status != 200:
            bench.add(skipped(figure, f">= {PAGE_TARGET:.0%} of hello", f"answered {status}"))
            continue
        full = baselines.load(url)
        conditional, problem = conditional_load(baselines, url, headers)
        measured.append((page, full, conditional, problem))
    memo = download_runs(bench, baselines)
    baselines.measure()
    for page, full, conditional, problem in measured:
        add_ratio_row(bench, f"2. {page.name}", full, baselines.hello, "hello", PAGE_TARGET,
                      baselines.hello_cpu)
        add_conditional_row(bench, f"2. {page.name}, If-None-Match", conditional, problem,
                            baselines.hello, "hello", CONDITIONAL_TARGET, baselines.hello_cpu)
    if memo is not None:
        full, conditional, problem = memo
        add_ratio_row(bench, "1. memo.pdf downloads (stored)", full, baselines.static,
                      "static file", DOWNLOAD_TARGET, baselines.static_cpu)
        add_conditional_row(bench, "1. memo.pdf downloads, If-None-Match", conditional, problem,
                            baselines.static, "static file", DOWNLOAD_TARGET, baselines.static_cpu)
    bench.log(baselines.describe())
    return baselines


def conditional_load(baselines: Baselines, url: str, headers: dict) -> tuple[LoadResult | None, str]:
    etag = headers.get("etag")
    if not etag:
        return None, MISSING_ETAG
    status, _, body = fetch(baselines.base + url, headers={"If-None-Match": etag})
    if status != 304:
        return None, f"the ETag is sent but If-None-Match answers {status}, not 304"
    return baselines.load(url, headers={"If-None-Match": etag}, expect=(304,)), ""


def download_runs(bench: Bench, baselines: Baselines):
    url = MEMO_PDF.url(bench.main.slug)
    figure = "1. memo.pdf downloads (stored)"
    target = f">= {DOWNLOAD_TARGET:.0%} of static"
    if not has_route(bench.app, url):
        bench.add(skipped(figure, target, NOT_ON_BUILD))
        return None
    status, headers, body = fetch(baselines.base + url)
    if status != 200:
        bench.add(skipped(figure, target, f"answered {status}"))
        return None
    full = baselines.load(url)
    conditional, problem = conditional_load(baselines, url, headers)
    return full, conditional, problem


def add_ratio_row(bench, figure, result: LoadResult, baseline: float, name: str, target: float,
                  baseline_cpu: float | None = None):
    ratio = result.rps / baseline if baseline else 0.0
    note = ""
    if baseline_cpu and result.cpu_ms_per_request:
        note = (f"worker CPU per request {result.cpu_ms_per_request:.2f} ms vs {baseline_cpu:.2f} ms "
                f"for the {name}: a CPU-bound ceiling of {baseline_cpu / result.cpu_ms_per_request:.0%}")
    baseline_text = f"{baseline:.0f} req/s ({name})"
    if baseline_cpu:
        baseline_text += f", {baseline_cpu:.2f} ms worker CPU/req"
    bench.add(Row(figure=figure, measured=rate(result), baseline=baseline_text,
                  ratio=ratio, target=f">= {target:.0%} of {name}",
                  met=ratio >= target and result.errors == 0, note=note))


def add_conditional_row(bench, figure, result, problem, baseline, name, target, baseline_cpu=None):
    target_text = f">= {target:.0%} of {name}"
    if result is None:
        bench.add(Row(figure=figure, measured=problem.split(":")[0], baseline=f"{baseline:.0f} req/s ({name})",
                      target=target_text, met=False, note=problem))
        return
    add_ratio_row(bench, figure, result, baseline, name, target, baseline_cpu)


# Figure 6: the web worker's memory after 100 PDF renders --------------------------------------


def figure_web_memory(bench: Bench, base: str, server_pid: int) -> None:
    count = bench.settings.memory_renders
    figure = f"6. web worker RSS after {count} PDF renders"
    status, _, body = fetch(f"{base}/__bench/render-pdf?n={count}&slug={bench.main.slug}",
                            timeout=900)
    if status != 200:
        bench.add(skipped(figure, "< 200 MB", f"render route answered {status}"))
        return
    report = json.loads(body)
    pid = report["pid"]
    if pid not in child_pids(server_pid):
        bench.add(skipped(figure, "< 200 MB", f"pid {pid} is not one of the server's workers"))
        return
    rss_mb = rss_kb(pid) / 1024
    bench.add(Row(
        figure=figure, measured=f"{rss_mb:.0f} MB", baseline=f"{report['rss_before_kb'] / 1024:.0f} MB before",
        target="< 200 MB", met=rss_mb < 200,
        note=f"VmRSS of gunicorn worker {pid} from /proc; renderer: {report['renderer']}, "
             f"{report['pdf_bytes']} bytes per PDF",
    ))
