"""Faults the app must survive: a database that drops connections, or does not answer at all."""

import pytest
import sqlalchemy as sa

from workshop import create_app
from workshop.platform.db import db as _db


def terminate_other_connections(url) -> int:
    """What a PostgreSQL restart or failover does to the app: every other backend is killed."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        killed = connection.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )).scalar_one()
    engine.dispose()
    return killed


def postgresql_or_skip(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a dropped server connection needs PostgreSQL (set WORKSHOP_TEST_DATABASE_URL)")


def test_pool_pre_ping_is_on_for_every_server_database(app):
    """A server can drop a connection (restart, failover): each checkout is pinged first. A
    SQLite file cannot, so its connections skip the ping (a query per request for nothing)."""
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert "pool_pre_ping" not in options
    else:
        assert options["pool_pre_ping"] is True


def separate_app(app_config, instance_path, **overrides):
    """An app whose requests each push their own app context, as under gunicorn: the session
    gives its connection back to the pool after every request (the test fixture's long-lived
    context would keep one checked out and hide what the pool does)."""
    return create_app({**app_config, **overrides}, instance_path=str(instance_path))


def dispose(app):
    with app.app_context():
        _db.engine.dispose()


def test_the_next_request_succeeds_after_postgresql_drops_the_apps_connections(
        app_config, instance_path, db, make_workshop):
    postgresql_or_skip(db)
    make_workshop(title="Still here after the restart")
    resilient = separate_app(app_config, instance_path)
    client = resilient.test_client()
    try:
        assert client.get("/").status_code == 200
        assert terminate_other_connections(db.engine.url) >= 1
        response = client.get("/")
        assert response.status_code == 200
        assert "Still here after the restart" in response.get_data(as_text=True)
    finally:
        dispose(resilient)


def test_without_pre_ping_the_same_drop_would_fail_a_request(app_config, instance_path, db, make_workshop):
    """The control for the test above: it proves the drop really reaches the app's pool."""
    postgresql_or_skip(db)
    make_workshop()
    fragile = separate_app(app_config, instance_path,
                           SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False})
    client = fragile.test_client()
    try:
        assert client.get("/").status_code == 200
        assert terminate_other_connections(db.engine.url) >= 1
        assert client.get("/").status_code == 500
        assert client.get("/").status_code == 200, "the pool recovers once the dead connection is seen"
    finally:
        dispose(fragile)


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("unreachable", [
    "postgresql+psycopg://postgres@127.0.0.1:9/nothing?connect_timeout=3",
    "sqlite:////nonexistent-directory/for-sure/workshop.sqlite3",
], ids=["postgresql-closed-port", "sqlite-missing-directory"])
def test_healthz_answers_503_in_words_when_the_database_is_unreachable(app_config, instance_path, unreachable):
    broken = create_app({**app_config, "DATABASE_URL": unreachable}, instance_path=str(instance_path))
    with broken.app_context():
        response = broken.test_client().get("/healthz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["status"] == "unavailable" and body["database"] == "error"
        assert "does not answer" in body["message"]
        _db.engine.dispose()
