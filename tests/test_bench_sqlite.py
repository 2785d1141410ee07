"""The embedded SQLite database runs in write-ahead-log mode (mail worker throughput)."""

import sqlalchemy as sa

from workshop import create_app
from workshop.platform.db import db


def test_sqlite_connections_use_the_write_ahead_log(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}", "SECRET_KEY": "x"},
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        db.engine.dispose()
