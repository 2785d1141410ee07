"""Figures measured through gunicorn: 2 (page req/s), 1 (stored memo downloads), 6 (web RSS).

Page ratios divide by a bare Flask hello-world in its own gunicorn (``benchmarks/bare_hello.py``,
2 sync workers, measured in the same run before and after the pages), as the issue's peers
are measured; the in-app ``/__bench/hello`` is reported beside it. Downloads divide by the app's
own ``/static/style.css``.
"""

import json
from contextlib import ExitStack

from benchmarks.context import Bench
from benchmarks.load import LoadResult, fetch, run_load
from benchmarks.pages import LOAD_PAGES, MEMO_PDF, NOT_ON_BUILD, REGISTRATION_FORM, Page, has_route
from benchmarks.report import Row, skipped
from benchmarks.procfs import child_pids, cpu_seconds, maps_library, rss_kb

PAGE_TARGET, CONDITIONAL_TARGET, DOWNLOAD_TARGET, FORM_TARGET = 0.50, 0.55, 0.50, 0.35
STATIC_FILE = "/static/style.css"
MISSING_ETAG = "missing ETag: the response has no ETag, so a conditional GET costs a full response"


class Baselines:
    def __init__(self, bench: Bench, base: str, server_pid: int):
        self.bench, self.base, self.server_pid = bench, base, server_pid
        self.hello_runs: list[LoadResult] = []
        self.static_runs: list[LoadResult] = []
        self.bare_runs: list[LoadResult] = []
        self.bare_base: str | None = None
        self.bare_pid: int | None = None

    def measure(self) -> None:
        """Called before and after the pages; the ratios use the mean of both runs."""
        self.hello_runs.append(self.load("/__bench/hello"))
        self.static_runs.append(self.load(STATIC_FILE))
        if self.bare_base:
            self.bare_runs.append(self.load("/__bench/hello", base=self.bare_base, pid=self.bare_pid))

    def load(self, path: str, headers: dict | None = None, expect=(200,), base: str | None = None,
             pid: int | None = None) -> LoadResult:
        settings = self.bench.settings
        workers = child_pids(pid or self.server_pid)
        before = cpu_seconds(workers)
        result = run_load((base or self.base) + path, seconds=settings.load_seconds,
                          connections=settings.connections, headers=headers, expect=expect)
        result.server_cpu_s = cpu_seconds(workers) - before
        return result

    @property
    def hello(self) -> float:
        return sum(r.rps for r in self.hello_runs) / len(self.hello_runs)

    @property
    def bare(self) -> float:
        """The bare Flask hello in its own gunicorn; the in-app hello when it could not start."""
        runs = self.bare_runs or self.hello_runs
        return sum(r.rps for r in runs) / len(runs)

    @property
    def bare_name(self) -> str:
        return "bare Flask hello" if self.bare_runs else "in-app hello"

    @property
    def bare_cpu(self) -> float | None:
        return self._cpu(self.bare_runs or self.hello_runs)

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
        bare = ", ".join(f"{r.rps:.0f}" for r in self.bare_runs) or "not started"
        return (f"bare Flask hello (own gunicorn) runs: {bare} req/s; in-app hello-world runs: {hello} "
                f"req/s; static file runs: {static} req/s")


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
    from benchmarks.server import gunicorn

    with ExitStack() as stack:
        baselines = Baselines(bench, base, server_pid)
        try:
            baselines.bare_base, bare = stack.enter_context(
                gunicorn({}, bench.work / "gunicorn-bare-hello.log", app="benchmarks.bare_hello:app"))
            baselines.bare_pid = bare.pid
        except RuntimeError as error:
            bench.log(f"bare Flask hello did not start ({error}); ratios use the in-app hello")
        return _measure_pages(bench, base, baselines)


def _measure_pages(bench: Bench, base: str, baselines: Baselines) -> Baselines:
    baselines.measure()
    measured: list[tuple[Page, LoadResult, LoadResult | None, str]] = []
    form = None
    form_url = REGISTRATION_FORM.url(bench.main.slug)
    if has_route(bench.app, form_url) and fetch(base + form_url)[0] == 200:
        form = baselines.load(form_url)
    for page in LOAD_PAGES:
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
    name = baselines.bare_name
    in_app = f"; in-app hello {baselines.hello:.0f} req/s"
    for page, full, conditional, problem in measured:
        add_ratio_row(bench, f"2. {page.name}", full, baselines.bare, name, PAGE_TARGET,
                      baselines.bare_cpu, extra=in_app)
        add_conditional_row(bench, f"2. {page.name}, If-None-Match", conditional, problem,
                            baselines.bare, name, CONDITIONAL_TARGET, baselines.bare_cpu)
    if form is not None:
        add_ratio_row(bench, f"2. {REGISTRATION_FORM.name}", form, baselines.bare, name, FORM_TARGET,
                      baselines.bare_cpu, extra=in_app + "; rendered once per workshop version, "
                      "each visitor's CSRF token put in")
    else:
        bench.add(skipped(f"2. {REGISTRATION_FORM.name}", f">= {FORM_TARGET:.0%} of {name}",
                          "the form did not answer 200"))
    if memo is not None:
        full, conditional, problem = memo
        add_ratio_row(bench, "1. memo.pdf downloads (stored)", full, baselines.static,
                      "static file", DOWNLOAD_TARGET, baselines.static_cpu)
        add_conditional_row(bench, "1. memo.pdf downloads, If-None-Match", conditional, problem,
                            baselines.static, "static file", DOWNLOAD_TARGET, baselines.static_cpu)
    bench.log(baselines.describe())
    web_memory_after_pages(bench, baselines)
    return baselines


def web_memory_after_pages(bench: Bench, baselines: Baselines) -> None:
    """The web workers' resident memory after every page run above (tens of thousands of
    requests, the home page, the form and memo.pdf among them), before any PDF is rendered."""
    workers = child_pids(baselines.server_pid)
    sizes = sorted(rss_kb(pid) / 1024 for pid in workers)
    bare = child_pids(baselines.bare_pid) if baselines.bare_pid else []
    bare_sizes = [rss_kb(pid) / 1024 for pid in bare]
    weasyprint = any(maps_library(pid, "libpango") for pid in workers)
    bench.add(Row(
        figure="2. web worker RSS after the page runs (no PDF rendered)",
        measured=f"{sizes[-1]:.0f} MiB" if sizes else "-",
        baseline=f"{max(bare_sizes):.0f} MiB (bare Flask hello worker)" if bare_sizes else "-",
        target="(reported; figure 5 has the target)", met=None,
        note=f"VmRSS of the {len(sizes)} gunicorn workers: {', '.join(f'{v:.0f}' for v in sizes)} MiB; "
             f"WeasyPrint (libpango) {'LOADED' if weasyprint else 'not loaded'} in them"))


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
                  baseline_cpu: float | None = None, extra: str = ""):
    ratio = result.rps / baseline if baseline else 0.0
    note = ""
    if baseline_cpu and result.cpu_ms_per_request:
        note = (f"worker CPU per request {result.cpu_ms_per_request:.2f} ms vs {baseline_cpu:.2f} ms "
                f"for the {name}: a CPU-bound ceiling of {baseline_cpu / result.cpu_ms_per_request:.0%}")
    note += extra
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
