"""Process facts from /proc (Linux): resident memory and a process's children."""

from pathlib import Path


def rss_kb(pid: int | str = "self") -> int:
    """VmRSS of the process, in kB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def child_pids(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
