"""Scratch databases for tests that need one of their own (backups restored, integrity broken)."""

import contextlib
import uuid
from pathlib import Path

import sqlalchemy as sa


def migrated_sqlite_app(directory: Path, **config):
    """A new app on its own SQLite file, migrated to head with the real migrations."""
    from flask_migrate import upgrade

    from workshop import create_app
    from workshop.platform.db import db

    instance = directory / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{directory / 'own.sqlite3'}"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test",
                      "WTF_CSRF_ENABLED": False, **config}, instance_path=str(instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


@contextlib.contextmanager
def scratch_postgresql_database(url: str | sa.URL):
    """Create an empty database on the same server as ``url``; drop it afterwards."""
    url = sa.make_url(url)
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                             poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
