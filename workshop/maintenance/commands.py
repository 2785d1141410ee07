"""``flask backup PATH`` and ``flask check-integrity``."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from workshop.maintenance.backup import BackupError, backup_database


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH while the app keeps running.

    SQLite: a database file (online backup API). PostgreSQL: a pg_dump custom-format archive,
    restored with pg_restore. See the README, "Running in production".
    """
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; choose a new name or add --force.")
    try:
        backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path}.")


@click.command("check-integrity")
@with_appcontext
def check_integrity_command() -> None:
    """Check the database: schema at the newest migration, every reference intact."""
    # Alembic (~6 MiB) only when the command runs, not in every web worker that registers it.
    from workshop.maintenance.integrity import check_integrity
    from workshop.platform.db import db

    problems = check_integrity(db.engine)
    for problem in problems:
        click.echo(f"PROBLEM: {problem}", err=True)
    if problems:
        raise click.exceptions.Exit(1)
    click.echo("The database passed every check.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(check_integrity_command)
