"""The Flask extensions, created unbound and wired in ``create_app`` by their ``init_app``."""

import sqlite3

import click
import sqlalchemy as sa
from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


# Migrations --------------------------------------------------------------------------------------
# Flask-Migrate imports Alembic whole (its commands, autogenerate, the script machinery: ~12 MiB
# of a web worker's memory) the moment it is wired. Only ``flask db ...``, the tests and the
# migrations' own env.py use it, so it is wired on first use: ``app.extensions["migrate"]`` and the
# ``db`` command group are stand-ins that import it when something reads them.


def install_migrations(app: Flask, directory: str) -> None:
    app.extensions["migrate"] = _MigrateOnFirstUse(app, directory)
    app.cli.add_command(_MigrateCommands(app), name="db")


def load_migrations(app: Flask):
    """The real Flask-Migrate configuration, wired now if it was not yet."""
    wired = app.extensions.get("migrate")
    if isinstance(wired, _MigrateOnFirstUse):
        from flask_migrate import Migrate

        Migrate(app, db, directory=wired.directory, render_as_batch=True)  # replaces both stand-ins
        wired = app.extensions["migrate"]
    return wired


class _MigrateOnFirstUse:
    def __init__(self, app: Flask, directory: str):
        self.app, self.directory = app, directory

    def __getattr__(self, name: str):
        return getattr(load_migrations(self.app), name)


class _MigrateCommands(click.Group):
    """``flask db``: a stand-in that hands the command line to Flask-Migrate's own group (its
    options and subcommands), imported only now."""

    def __init__(self, app: Flask):
        super().__init__(name="db", help="Perform database migrations.")
        self.app = app

    def _real(self) -> click.Group:
        load_migrations(self.app)
        from flask_migrate.cli import db as commands

        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx):
        return self._real().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._real().get_command(ctx, name)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite only: a write-ahead log, so readers never wait for the writer and a commit is one
    append instead of a rollback journal's several fsyncs (the mail worker commits once
    per message). ``synchronous=NORMAL`` syncs at checkpoints: a crash of the application loses
    nothing; a power cut can lose the last commits, never corrupt the file. PostgreSQL is the
    choice where that matters.

    And foreign keys enforced, as PostgreSQL does: SQLite ignores them (and their ``ON DELETE
    CASCADE`` and ``SET NULL``) unless asked on every connection. The migrations turn them off
    while they rebuild tables (``migrations/env.py``) and check them afterwards."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
