"""What figures 5 and 7 share: ``flask worker`` delivering the outbox to a loopback aiosmtpd
that notes when each message arrives, and the row that says how fast it went.

The rate is from the first to the last arrival, so the worker's start (imports, the jobs of
its first round) is left out; the worker's CPU time over the same span, per message, is the
steadier figure on a machine other work shares.
"""

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from benchmarks import data
from benchmarks.context import Bench
from benchmarks.procfs import cpu_seconds, rss_kb
from benchmarks.report import Row, skipped
from benchmarks.server import ROOT, free_port, stop

TARGET = ">= 100 msg/s"
# How long the worker may take before its first message arrives.
STARTUP_SECONDS = 300


class Arrivals:
    """aiosmtpd handler: accepts everything, notes when each message arrived and the worker's CPU
    time then; with ``marker``, only messages holding those bytes count (the setup's own mail is
    accepted and not counted)."""

    def __init__(self, marker: bytes | None = None):
        self.marker = marker
        self.times: list[float] = []
        self.cpu: list[float] = []  # the worker's CPU seconds at the first and the latest arrival
        self.worker_pid: int | None = None
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.marker is None or self.marker in envelope.content:
            used = cpu_seconds([self.worker_pid]) if self.worker_pid else 0.0
            with self.lock:
                self.times.append(time.monotonic())
                self.cpu[1:] = [used]
                if len(self.cpu) == 1:
                    self.cpu.insert(0, used)
        return "250 Message accepted"


@dataclass
class Delivery:
    expected: int
    arrivals: list[float] = field(default_factory=list)
    started: float = 0.0
    worker_rss_kb: int = 0
    cpu_ms_per_message: float | None = None

    @property
    def span(self) -> float:
        return self.arrivals[-1] - self.arrivals[0] if len(self.arrivals) > 1 else 0.0

    @property
    def rate(self) -> float:
        return (len(self.arrivals) - 1) / self.span if self.span else float("inf")


def run_worker(bench: Bench, expected: int, log_name: str, marker: bytes | None = None) -> Delivery:
    """Start ``flask worker`` against a fresh loopback SMTP server and wait until ``expected``
    messages arrived (or the time allowed ran out), then stop both."""
    from aiosmtpd.controller import Controller

    handler = Arrivals(marker)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = {**os.environ, **data.app_env(bench.database_url, bench.instance, mail_url=f"smtp://127.0.0.1:{port}"),
           "MAIL_POLL_SECONDS": "0.2"}
    log = open(bench.work / log_name, "ab")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "workshop", "worker"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    handler.worker_pid = worker.pid
    result = Delivery(expected=expected, started=time.monotonic())
    try:
        # The worker's first round may build briefing packs before it sends anything (minutes on
        # a loaded machine): the time allowed for the messages runs from the first arrival.
        allowed = 60 if bench.settings.quick else 240
        deadline = result.started + STARTUP_SECONDS + allowed
        while len(handler.times) < expected and time.monotonic() < deadline and worker.poll() is None:
            if handler.times:
                deadline = min(deadline, handler.times[0] + allowed)
            time.sleep(0.1)
        result.worker_rss_kb = rss_kb(worker.pid)
    finally:
        stop(worker, 30)
        controller.stop()
        log.close()
    with handler.lock:
        result.arrivals = list(handler.times)
        if len(handler.cpu) == 2 and len(result.arrivals) > 1:
            result.cpu_ms_per_message = (handler.cpu[1] - handler.cpu[0]) * 1000 / (len(result.arrivals) - 1)
    return result


def rate_row(figure: str, result: Delivery, what: str, log_name: str, note: str) -> Row:
    """The figure's row: messages a second from the first to the last arrival, the worker's CPU
    per message beside it."""
    count = len(result.arrivals)
    if count < 2:
        return skipped(figure, TARGET, f"{count} of {result.expected} delivered; see {log_name}")
    cpu = f", {result.cpu_ms_per_message:.1f} ms worker CPU/msg" if result.cpu_ms_per_message else ""
    return Row(figure=figure, measured=f"{result.rate:.0f} msg/s{cpu}", target=TARGET,
               met=result.rate >= 100 and count == result.expected,
               note=(f"{count} of {result.expected} {what} delivered; rate from first to last arrival "
                     f"({result.span:.1f} s); {result.arrivals[0] - result.started:.1f} s from starting the "
                     f"worker to the first message; {note}"))
