"""The Flask extensions, created unbound and wired in ``create_app`` by their ``init_app``."""

import sqlite3

import sqlalchemy as sa
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
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
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


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
