"""Bounded HTTP load against 127.0.0.1: wrk when installed, else a small Python client.

Every run is capped twice: a fixed duration and a maximum request count (wrk stops on its
duration; the Python client on whichever cap comes first). Only loopback URLs are accepted.
"""

import http.client
import math
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    url: str
    requests: int
    seconds: float
    errors: int  # connection errors, timeouts and unexpected status codes
    statuses: dict[int, int] = field(default_factory=dict)
    p50_ms: float | None = None
    p99_ms: float | None = None
    tool: str = ""
    server_cpu_s: float | None = None  # CPU the server's workers used during the run

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_s is None or not self.requests:
            return None
        return self.server_cpu_s / self.requests * 1000

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def check_loopback(url: str) -> None:
    if urlsplit(url).hostname != "127.0.0.1":
        raise ValueError(f"benchmarks only load 127.0.0.1, not {url}")


# "auto" (wrk when installed), "wrk" or "python"; set by ``run.py --load``.
PREFERRED = "auto"


def wrk_available() -> bool:
    return PREFERRED != "python" and shutil.which("wrk") is not None


def tool_name() -> str:
    if wrk_available():
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        return (version.split("[")[0].strip() or "wrk").replace("Copyright", "").strip()
    return "Python client (threads, http.client keep-alive)"


def run_load(url: str, *, seconds: float, connections: int = 4, headers: dict | None = None,
             max_requests: int = 200_000, expect: tuple[int, ...] = (200,)) -> LoadResult:
    check_loopback(url)
    if wrk_available():
        return _run_wrk(url, seconds, connections, headers or {}, expect)
    return _run_python(url, seconds, connections, headers or {}, max_requests, expect)


# wrk --------------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def _run_wrk(url, seconds, connections, headers, expect) -> LoadResult:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
               "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(command + [url], capture_output=True, text=True,
                            timeout=seconds + 30).stdout
    return parse_wrk(output, url)


def parse_wrk(output: str, url: str) -> LoadResult:
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if total is None:
        raise RuntimeError(f"wrk gave no result for {url}:\n{output}")
    requests = int(total.group(1))
    elapsed = _ms(total.group(2) + total.group(3)) / 1000
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        # Sync gunicorn workers close every connection; wrk counts some of those as read errors
        # without a lost request, so only connect errors and timeouts count here.
        errors += int(socket.group(1)) + int(socket.group(4))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+(?:us|ms|s|m))", output, re.MULTILINE))
    return LoadResult(
        url=url, requests=requests, seconds=elapsed, errors=errors, tool="wrk",
        p50_ms=_ms(latency["50"]) if "50" in latency else None,
        p99_ms=_ms(latency["99"]) if "99" in latency else None,
    )


# Python ------------------------------------------------------------------------------------------


def _run_python(url, seconds, connections, headers, max_requests, expect) -> LoadResult:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    budget = [max_requests]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]

    def take() -> bool:
        with lock:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            return True

    def client() -> None:
        connection = None
        mine: list[float] = []
        while time.monotonic() < deadline and take():
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                connection = None
                with lock:
                    errors[0] += 1
                continue
            mine.append((time.perf_counter() - started) * 1000)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status not in expect:
                    errors[0] += 1
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - started
    return LoadResult(url=url, requests=len(latencies), seconds=elapsed, errors=errors[0],
                      statuses=statuses, p50_ms=percentile(latencies, 50),
                      p99_ms=percentile(latencies, 99), tool="python")


def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(pct / 100 * len(ordered))  # nearest rank
    return ordered[min(len(ordered), max(1, rank)) - 1]


def fetch(url: str, headers: dict | None = None, method: str = "GET", body: bytes | None = None,
          timeout: float = 30) -> tuple[int, dict, bytes]:
    """One request; returns status, headers (lower-cased names) and body."""
    check_loopback(url)
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()
