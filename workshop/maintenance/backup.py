"""Consistent copies of the live database, taken while the app keeps running.

SQLite: the online backup API copies a consistent snapshot page by page under SQLite's own
locking, so concurrent writers are never torn. PostgreSQL: ``pg_dump --format=custom`` reads one
transaction snapshot; restore it with ``pg_restore`` (README, "Running in production").
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    pass


def backup_database(url: str | sa.URL, destination: Path) -> Path:
    url = sa.make_url(url)
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    backend = url.get_backend_name()
    # Written beside the destination, then renamed: a failed backup never leaves half a file
    # where a good one is expected.
    handle, temporary = tempfile.mkstemp(prefix=".backup-", dir=destination.parent)
    os.close(handle)
    try:
        if backend == "sqlite":
            _backup_sqlite(url, Path(temporary))
        elif backend == "postgresql":
            _backup_postgresql(url, Path(temporary))
        else:
            raise BackupError(f"No backup method for {backend} databases.")
        os.replace(temporary, destination)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return destination


def _backup_sqlite(url: sa.URL, destination: Path) -> None:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    source_path = Path(url.database)
    if not source_path.exists():
        raise BackupError(f"There is no database at {source_path}.")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(destination)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def libpq_url(url: sa.URL) -> tuple[str, dict]:
    """The SQLAlchemy URL as libpq understands it, and the environment holding the password
    (so that it never shows in the process list)."""
    env = {}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = sa.URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                          database=url.database, query=url.query)
    return plain.render_as_string(hide_password=False), env


def _backup_postgresql(url: sa.URL, destination: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian/Ubuntu: apt-get install postgresql-client).")
    dsn, env = libpq_url(url)
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={destination}", f"--dbname={dsn}"],
        env={**os.environ, **env}, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
