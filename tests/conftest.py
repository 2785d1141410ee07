"""Fixtures: the app on a database built by the real migrations, a client, a runner, factories.

The suite runs on SQLite by default and on PostgreSQL when WORKSHOP_TEST_DATABASE_URL is set.
The schema is migrated once per run; after each test every table is emptied, so tests may commit,
start threads and real servers, and still begin from an empty database.

Services only flush; in the app a request commits once at its end. A test that calls services
directly shares the app context (and the session) with the test client, so the client commits
what the test has done before each request, as if it had been an earlier request: a request
that fails rolls back only what it did itself. Factories commit what they make.
"""

import os
import re
from datetime import date

import pytest
import sqlalchemy as sa

from flask import has_app_context
from flask.testing import FlaskClient

from tests.support.compiled_once import share_templates, share_url_builders
from workshop import create_app
from workshop.platform.db import db as _db

share_url_builders()

TEST_PASSWORD = "correct horse battery staple"


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("WORKSHOP_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    from tests.support.catalogs import compile_stale_catalogs

    compile_stale_catalogs()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    engine = sa.create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "test", "TESTING": True},
                     instance_path=str(tmp_path_factory.mktemp("instance-migrate")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        _db.engine.dispose()
    return url


@pytest.fixture
def instance_path(tmp_path):
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture
def app_config(database_url, instance_path):
    """Override in a test module to change settings; the app fixture applies it last."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "BASE_URL": "http://workshop.test",
        "MAIL_URL": f"file://{instance_path / 'outbox'}",
        "MAIL_FROM": "workshop@workshop.test",
        "WTF_CSRF_ENABLED": False,
        # Still scrypt, at a cost that keeps the suite quick; production uses Werkzeug's default.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    }


class CommittingClient(FlaskClient):
    """A test client that first commits the test's own work (see the module docstring)."""

    def open(self, *args, **kwargs):
        if has_app_context():  # a thread of its own has no test work to commit
            _db.session.commit()
            # Requests share the test's app context, and so its ``g``: forget the account the
            # previous request signed in, as a request of its own would (each client is a browser).
            from flask import g

            g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config, instance_path):
    app = create_app(app_config, instance_path=str(instance_path))
    app.test_client_class = CommittingClient
    share_templates(app)
    with app.app_context():
        yield app
        _db.session.remove()
        empty_all_tables()
        _db.engine.dispose()


def empty_all_tables() -> None:
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    with _db.engine.begin() as connection:
        # Children before parents, so no foreign key objects. DELETE, not TRUNCATE: a test leaves
        # a few rows in a few tables, and TRUNCATE of every table cost PostgreSQL 0.3-0.5 s a
        # test (new files for each table), against about 10 ms for these deletes.
        for table in tables:
            connection.execute(sa.text(f'DELETE FROM "{table}"'))
        if connection.dialect.name == "postgresql":
            # Ids start at 1 again in every test, as on a new database.
            connection.execute(sa.text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"))


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# Factories ----------------------------------------------------------------------------------


@pytest.fixture
def make_user(app):
    from workshop.auth import service

    counter = iter(range(1, 10_000))

    def make(email=None, name=None, *, admin=False, password=TEST_PASSWORD, can_create_workshops=False):
        n = next(counter)
        user = service.create_user(email or f"user{n}@example.org", name or f"User {n}",
                                   password, is_admin=admin, can_create_workshops=can_create_workshops)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def make_workshop(app, make_user):
    from workshop.workshops import service
    from workshop.workshops.models import WorkshopStatus

    counter = iter(range(1, 10_000))

    def make(organizer=None, *, status=WorkshopStatus.PUBLISHED, **fields):
        n = next(counter)
        values = {
            "title": f"Workshop {n}",
            "slug": f"workshop-{n}",
            "timezone": "Europe/London",
            "start_date": date(2030, 6, 1),
            "end_date": date(2030, 6, 3),
        }
        values.update(fields)
        workshop = service.create_workshop(organizer or make_user(), **values)
        if status != WorkshopStatus.DRAFT:
            service.set_status(workshop, status)
        _db.session.commit()
        return workshop

    return make


def login(client, user, password=TEST_PASSWORD):
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def login_as(client):
    def do(user):
        return login(client, user)

    return do


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)
