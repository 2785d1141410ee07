"""Rows of the results table, the machine they were measured on, and RESULTS.md."""

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
NOTES = HERE / "NOTES.md"


@dataclass
class Row:
    figure: str
    measured: str = "-"
    baseline: str = "-"
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    skipped: str = ""  # the reason, when the figure could not be measured on this build
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.skipped:
            return f"not measured: {self.skipped}"
        if self.met is None:
            return "reported"
        return "yes" if self.met else "**no**"


def skipped(figure: str, target: str, reason: str) -> Row:
    return Row(figure=figure, target=target, skipped=reason)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version_of(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine(postgres_version: str, load_tool: str) -> list[tuple[str, str]]:
    return [
        ("date (UTC)", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")),
        ("CPU", cpu_model()),
        ("cores", str(os.cpu_count())),
        ("Python", platform.python_version()),
        ("WeasyPrint", version_of("weasyprint")),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres_version),
        ("gunicorn", f"{version_of('gunicorn')}, 2 sync workers, 127.0.0.1"),
        ("load generator", load_tool),
        ("commit", git_commit()),
    ]


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, text=True,
                              capture_output=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def in_figure_order(rows: list[Row]) -> list[Row]:
    """By figure number (the issue's order), keeping the measuring order within a figure."""
    return sorted(rows, key=lambda row: int(row.figure.split(".", 1)[0]) if row.figure[0].isdigit() else 99)


def table(rows: list[Row]) -> str:
    rows = in_figure_order(rows)
    lines = ["| figure | measured | baseline | ratio | target | met? |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "-"
        lines.append("| " + " | ".join(_cell(c) for c in (
            row.figure, row.measured, row.baseline, ratio, row.target, row.verdict)) + " |")
    return "\n".join(lines)


def write_results(rows: list[Row], machine_facts: list[tuple[str, str]], *, quick: bool,
                  elapsed_s: float, log: list[str], sections: list[tuple[str, str]] = ()) -> str:
    parts = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks.run`); do not edit by hand: the design "
        "notes come from `benchmarks/NOTES.md`.",
        "",
    ]
    if quick:
        parts += ["**Smoke run (`--quick`): durations and counts cut down; the numbers are not "
                  "the figures.**", ""]
    parts += ["## Machine", "", "| | |", "|---|---|"]
    parts += [f"| {name} | {_cell(value)} |" for name, value in machine_facts]
    parts += ["", f"The whole run took {elapsed_s:.0f} s.", "", "## Figures", "", table(rows), ""]
    notes = [row for row in in_figure_order(rows) if row.note]
    if notes:
        parts += ["### Notes on the figures", ""]
        parts += [f"- **{row.figure}**: {row.note}" for row in notes]
        parts.append("")
    for heading, text in sections:
        parts += [f"### {heading}", "", text.rstrip(), ""]
    if log:
        parts += ["### Run log", "", "```", *log, "```", ""]
    if NOTES.exists():
        parts += [NOTES.read_text().rstrip(), ""]
    text = "\n".join(parts)
    RESULTS.write_text(text)
    return text


README = HERE.parent / "README.md"
README_START = "<!-- benchmark table: written by make bench -->"
README_END = "<!-- end of benchmark table -->"


def update_readme(rows: list[Row], machine_facts: list[tuple[str, str]]) -> bool:
    """Put the figures table of a full run between the README's markers; False if they are missing."""
    text = README.read_text()
    if README_START not in text or README_END not in text:
        return False
    facts = dict(machine_facts)
    summary = (f"Latest full run: {facts.get('date (UTC)', '?')} UTC, {facts.get('CPU', '?')}, "
               f"{facts.get('cores', '?')} cores, commit {facts.get('commit', '?')}; notes, the "
               "machine and the run log in `benchmarks/RESULTS.md`.")
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    README.write_text(f"{before}{README_START}\n{summary}\n\n{table(rows)}\n{README_END}{after}")
    return True
