"""The first minutes: the demo passwords are the last thing printed before the server's log, the
worker logs each mail once, and the README says where the passwords are and what to try."""

import logging
import re
from pathlib import Path

from workshop.platform.mail import cli as mail_cli

ROOT = Path(__file__).resolve().parents[1]


def test_demo_accounts_come_last_and_can_be_printed_again(runner, app):
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    again = runner.invoke(args=["demo", "--accounts"])
    assert again.exit_code == 0, again.output
    kept = (Path(app.instance_path) / "demo-accounts.txt").read_text().split()
    for email, password in zip(kept[::2], kept[1::2]):
        assert f"{email}  password: {password}" in again.output
    assert "demo-accounts.txt" in again.output
    # The accounts close the demo's own output, exactly as --accounts prints them.
    assert loaded.output.rstrip().endswith(again.output.rstrip())


def test_make_run_prints_the_accounts_after_the_demo_mail_and_before_the_server():
    recipe = ROOT.joinpath("Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    drain, accounts, serve = (recipe.index(step) for step in
                              ("worker --once", "demo --accounts", "run --host"))
    assert drain < accounts < serve


def test_the_worker_logs_each_mail_once(monkeypatch):
    """`flask worker` outside pytest: no root handler, the app's "workshop" logger has one."""
    logger = mail_cli.logger
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    app_logger = logging.getLogger("workshop")
    monkeypatch.setattr(app_logger, "handlers", [logging.StreamHandler()])
    mail_cli._log_to_stderr()
    emitting, current = [], logger
    while current is not None:
        emitting += current.handlers
        current = current.parent if current.propagate else None
    assert len(emitting) == 1


def test_the_readme_says_where_the_passwords_are_and_gives_a_first_tour():
    readme = ROOT.joinpath("README.md").read_text()
    assert "instance/demo-accounts.txt" in readme
    tour = readme.split("## First tour", 1)[1].split("\n## ", 1)[0]
    for role in ("Organizer", "Participant", "Rapporteur"):
        assert re.search(rf"\*\*{role}\*\*", tour), role
    assert readme.index("make run") < readme.index("## First tour")
