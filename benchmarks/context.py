"""What every figure gets: the run's settings, the in-process app, the data, the log."""

import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from benchmarks.data import BuiltWorkshop
from benchmarks.report import Row


@dataclass
class Settings:
    quick: bool

    @property
    def load_seconds(self) -> float:
        return 1.0 if self.quick else 5.0

    @property
    def connections(self) -> int:
        return 4

    @property
    def pdf_renders(self) -> int:  # per side, for figure 1
        return 1 if self.quick else 5

    @property
    def memory_renders(self) -> int:  # figure 6
        return 5 if self.quick else 100

    @property
    def scale_up(self) -> int:  # figure 3's "10x"
        return 2 if self.quick else 10

    @property
    def burst(self) -> tuple[int, int]:  # figure 4: (submissions, seats)
        return (100, 10) if self.quick else (1000, 100)

    @property
    def invitations(self) -> int:  # figure 5
        return 100 if self.quick else 1000

    @property
    def composed_recipients(self) -> int:  # figure 7
        return 200 if self.quick else 5000


@dataclass
class Bench:
    settings: Settings
    work: Path
    instance: Path
    database_url: str
    app: Flask
    main: BuiltWorkshop
    large: BuiltWorkshop | None
    rows: list[Row] = field(default_factory=list)
    log_lines: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, markdown) for RESULTS.md
    started: float = field(default_factory=time.monotonic)

    def log(self, message: str) -> None:
        line = f"[{time.monotonic() - self.started:6.1f}s] {message}"
        self.log_lines.append(line)
        print(line, flush=True)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        shown = row.skipped and f"not measured: {row.skipped}" or (
            f"{row.measured} (baseline {row.baseline}, ratio "
            f"{'-' if row.ratio is None else f'{row.ratio:.2f}'}, target {row.target}: {row.verdict})")
        self.log(f"{row.figure}: {shown}")
        return row
