"""gunicorn serving ``benchmarks.wsgi:app`` on 127.0.0.1 with a free port; always stopped."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.load import fetch
from benchmarks.procfs import child_pids

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(env: dict, log_path: Path, workers: int = WORKERS, app: str = "benchmarks.wsgi:app",
             extra_args: tuple[str, ...] = ()):
    """Yields the base URL once the app answers; stops the server (and only it) afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--timeout", "600",          # the memory figure renders 100 PDFs in one request
        "--graceful-timeout", "5",
        "--error-logfile", str(log_path),
        "--log-level", "warning",
        *extra_args,
        app,
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                   stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log_path}")
            try:
                status, _, _ = fetch(base + "/__bench/hello", timeout=2)
                if status == 200 and len(child_pids(process.pid)) >= workers:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")
            time.sleep(0.2)
        yield base, process
    finally:
        stop(process, 15)


def stop(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, then SIGKILL if it has not ended within ``timeout`` seconds (a server, a worker)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
