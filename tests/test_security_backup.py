"""Backups taken while the app writes restore to databases that pass the integrity checks."""

import os
import shutil
import subprocess
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from tests.support.databases import migrated_sqlite_app, scratch_postgresql_database
from workshop.platform.db import db as _db
from workshop.maintenance.backup import libpq_url
from workshop.maintenance.integrity import check_integrity


class Writer(threading.Thread):
    """Creates workshops until stopped: each commit adds a workshop, its organizer membership
    and its audit entry together, so a torn backup would show unequal counts."""

    def __init__(self, app, organizer_id):
        super().__init__(daemon=True)
        self.app, self.organizer_id = app, organizer_id
        self.commits = 0
        self.stop = threading.Event()
        self.error = None
        self.progress = threading.Condition()

    def run(self):
        from workshop.auth.models import User
        from workshop.workshops import service

        try:
            with self.app.app_context():
                organizer = _db.session.get(User, self.organizer_id)
                while not self.stop.is_set():
                    n = self.commits
                    service.create_workshop(organizer, title=f"Concurrent {n}", slug=f"concurrent-{n}",
                                            start_date=date(2031, 1, 1), end_date=date(2031, 1, 2))
                    _db.session.commit()
                    with self.progress:
                        self.commits += 1
                        self.progress.notify_all()
                _db.session.remove()
        except Exception as error:  # reported by the test thread
            self.error = error
            with self.progress:
                self.progress.notify_all()

    def wait_for(self, commits):
        with self.progress:
            assert self.progress.wait_for(lambda: self.commits >= commits or self.error, timeout=120)
        assert self.error is None, self.error


def backup_during_writes(app, destination):
    """Start writing, take the backup in the middle, keep writing, stop. Returns the commits
    made before the backup started and after it finished."""
    from workshop.auth import service as accounts

    from workshop.documents import service as documents
    from workshop.workshops import service as workshops

    with app.app_context():
        organizer = accounts.create_user("writer@example.org", "Writer", "correct horse battery staple")
        organizer_id = organizer.id
        # A document is stored in the database: the backup must carry its bytes exactly.
        workshop = workshops.create_workshop(organizer, title="With a paper", slug="with-a-paper",
                                             start_date=date(2030, 1, 1), end_date=date(2030, 1, 2))
        documents.upload(workshop, filename="paper.pdf", data=DOCUMENT, title="Background paper",
                         description="", language="en", kind="background_paper", visibility="participants",
                         agenda_item_id=None)
        _db.session.commit()
        _db.session.remove()
    writer = Writer(app, organizer_id)
    writer.start()
    try:
        writer.wait_for(20)
        before = writer.commits
        result = app.test_cli_runner().invoke(args=["backup", str(destination)])
        assert result.exit_code == 0, result.output
        after = writer.commits
        writer.wait_for(after + 5)
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.error is None, writer.error
    return before, after, writer.commits


# Every byte value, after a PDF signature (the upload checks the content).
DOCUMENT = b"%PDF-1.4\n" + bytes(range(256)) * 64


def assert_consistent(url, at_least):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        assert check_integrity(engine) == []
        with engine.connect() as connection:
            workshops = connection.execute(sa.text("SELECT count(*) FROM workshops")).scalar_one()
            members = connection.execute(sa.text("SELECT count(*) FROM workshop_members")).scalar_one()
            created = connection.execute(sa.text(
                "SELECT count(*) FROM audit_entries WHERE action = 'workshop.created'")).scalar_one()
            stored = connection.execute(sa.text("SELECT content, sha256 FROM documents")).all()
        assert workshops >= at_least
        assert workshops == members == created
        assert [bytes(content) for content, _ in stored] == [DOCUMENT]
    finally:
        engine.dispose()


def test_sqlite_backup_during_writes_restores_to_a_consistent_database(tmp_path):
    app = migrated_sqlite_app(tmp_path / "live")
    backup = tmp_path / "backup.sqlite3"
    before, _, _ = backup_during_writes(app, backup)
    # Restore as the README says: copy the backup into place of the database file.
    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(backup, restored)
    assert_consistent(f"sqlite:///{restored}", at_least=before)


def test_postgresql_backup_during_writes_restores_with_pg_restore(app, db, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs when the suite is on PostgreSQL (set WORKSHOP_TEST_DATABASE_URL)")
    if not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not installed (postgresql-client)")
    backup = tmp_path / "backup.dump"
    before, _, _ = backup_during_writes(app, backup)
    with scratch_postgresql_database(db.engine.url) as scratch_url:
        dsn, env = libpq_url(scratch_url)
        result = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={dsn}", str(backup)],
                                capture_output=True, text=True, env={**os.environ, **env})
        assert result.returncode == 0, result.stderr
        assert_consistent(scratch_url, at_least=before)


def test_backup_refuses_to_overwrite_unless_forced(app, runner, tmp_path):
    target = tmp_path / "existing.backup"
    target.write_text("precious")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "exists" in result.output
    assert target.read_text() == "precious"
    result = runner.invoke(args=["backup", "--force", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != b"precious"


def test_check_integrity_passes_on_the_test_database(runner):
    result = runner.invoke(args=["check-integrity"])
    assert result.exit_code == 0, result.output
    assert "passed every check" in result.output


def test_check_integrity_finds_a_dangling_reference_and_a_schema_behind(tmp_path):
    app = migrated_sqlite_app(tmp_path / "broken")
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        # As if the file had been edited by a program that does not enforce foreign keys.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        connection.execute(sa.text(
            "INSERT INTO workshop_members (workshop_id, user_id, role, created_at) "
            "VALUES (4242, 4343, 'organizer', '2030-01-01 00:00:00')"))
        connection.commit()
    problems = check_integrity(engine)
    assert any("workshop_members" in p and "workshops" in p for p in problems), problems
    assert any("workshop_members" in p and "users" in p for p in problems), problems
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    assert any("flask --app workshop db upgrade" in p for p in check_integrity(engine))
    engine.dispose()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["check-integrity"])
    assert result.exit_code == 1
    assert "PROBLEM" in result.output


def test_postgresql_urls_are_handed_to_libpq_without_the_driver_or_the_password():
    dsn, env = libpq_url(sa.make_url("postgresql+psycopg://app:s3cret@db.internal:5433/workshop?sslmode=require"))
    assert dsn == "postgresql://app@db.internal:5433/workshop?sslmode=require"
    assert env == {"PGPASSWORD": "s3cret"}
