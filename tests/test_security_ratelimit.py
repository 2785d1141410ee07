"""Abuse limits: sign-in attempts are limited per address, and slowed per (address, account) by
growing delays that never lock the owner out; in memory or Redis."""

import re
import uuid

import pytest

from workshop.platform.security import DEFAULT_RATELIMITS, rate_limit

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMITS": {**DEFAULT_RATELIMITS, "login": "5 per minute"},
            "LOGIN_FREE_FAILURES": 3}


def attempt(client, email, ip="192.0.2.10"):
    return client.post("/login", data={"email": email, "password": "wrong password"},
                       environ_base={"REMOTE_ADDR": ip})


def test_failed_sign_ins_for_one_account_from_one_address_wait_longer_and_longer(app, client):
    from workshop.auth import throttle

    statuses = [attempt(client, "target@example.org").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 422], "the fourth failure is counted; it sets the first wait"
    response = attempt(client, "TARGET@example.org")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page and "Wait 2 seconds" in page
    assert int(response.headers["Retry-After"]) >= 2
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"]), "refusals carry a request id"
    with app.test_request_context(environ_base={"REMOTE_ADDR": "192.0.2.10"}):
        assert [throttle.delay_after(n) for n in range(3, 8)] == [0, 2, 4, 8, 16]
        assert throttle.delay_after(40) == 900, "capped"


def test_guesses_from_other_addresses_never_lock_the_owner_out(app, make_user):
    """The attack: two dozen wrong passwords for one account from other addresses; then the
    owner signs in from a fresh address."""
    from tests.conftest import TEST_PASSWORD

    owner = make_user("owner@example.org")
    client = app.test_client()
    for n in range(24):
        attempt(client, "owner@example.org", ip=f"203.0.113.{n % 6 + 1}")
    response = client.post("/login", data={"email": "owner@example.org", "password": TEST_PASSWORD},
                           environ_base={"REMOTE_ADDR": "198.51.100.99"})
    assert response.status_code == 302, "the owner is signed in"
    assert owner.email


def test_a_success_clears_the_count(app, make_user):
    from tests.conftest import TEST_PASSWORD

    make_user("clear@example.org")
    client = app.test_client()
    assert [attempt(client, "clear@example.org").status_code for _ in range(3)] == [422] * 3
    assert client.post("/login", data={"email": "clear@example.org", "password": TEST_PASSWORD},
                       environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 302
    client.post("/logout")
    assert attempt(client, "clear@example.org").status_code == 422, "counting starts again"


def test_too_many_sign_ins_from_one_address_get_429_whatever_the_account(client):
    statuses = [attempt(client, f"person{n}@example.org").status_code for n in range(6)]
    assert statuses == [422] * 5 + [429]
    assert attempt(client, "fresh@example.org", ip="203.0.113.5").status_code == 422


def test_showing_the_sign_in_form_is_not_counted(client):
    for _ in range(10):
        assert client.get("/login", environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code == 200
    assert attempt(client, "someone@example.org").status_code == 422


def test_limits_can_be_switched_off_by_configuration(app_config, instance_path):
    from workshop import create_app

    app = create_app({**app_config, "RATELIMIT_ENABLED": False}, instance_path=str(instance_path))
    with app.app_context():
        client = app.test_client()
        assert all(attempt(client, "same@example.org").status_code == 422 for _ in range(8))
    # and the next app, configured normally, limits again (the limiter is shared by the process)
    app = create_app(app_config, instance_path=str(instance_path))
    with app.app_context():
        client = app.test_client()
        assert [attempt(client, "same@example.org").status_code for _ in range(5)][-1] == 429


def test_a_feature_view_limited_by_name_shares_one_bucket_across_views(app):
    @rate_limit("token", methods=("GET",))
    def page_one(token):
        return "one"

    @rate_limit("token", methods=("GET",))
    def page_two(token):
        return "two"

    app.config["RATELIMITS"] = {**app.config["RATELIMITS"], "token": "3 per minute"}
    app.add_url_rule("/_test/one/<token>", "page_one", page_one)
    app.add_url_rule("/_test/two/<token>", "page_two", page_two)
    client = app.test_client()
    assert [client.get(f"/_test/one/guess{n}").status_code for n in range(2)] == [200, 200]
    assert client.get("/_test/two/guess3").status_code == 200
    assert client.get("/_test/two/guess4").status_code == 429


# Redis ------------------------------------------------------------------------------------------


def redis_or_skip():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {error}")
    return connection


def test_limits_are_kept_in_redis_when_configured(app_config, instance_path):
    from workshop import create_app

    connection = redis_or_skip()
    prefix = f"workshop-test-{uuid.uuid4().hex}"
    config = {**app_config, "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    try:
        app = create_app(config, instance_path=str(instance_path))
        with app.app_context():
            client = app.test_client()
            statuses = [attempt(client, "redis@example.org").status_code for _ in range(5)]
            assert statuses == [422, 422, 422, 422, 429]
            statuses = [attempt(client, f"other{n}@example.org", ip="192.0.2.60").status_code for n in range(6)]
            assert statuses == [422] * 5 + [429]
        assert list(connection.scan_iter(f"*{prefix}*")), "no limit counters were written to Redis"
        # A second app (another gunicorn worker) sees the same counters and the same delays.
        app = create_app(config, instance_path=str(instance_path))
        with app.app_context():
            assert attempt(app.test_client(), "redis@example.org").status_code == 429
            assert attempt(app.test_client(), "fresh@example.org", ip="192.0.2.60").status_code == 429
    finally:
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)


def test_start_up_warns_that_the_memory_store_multiplies_limits_by_the_workers(app_config, instance_path, caplog):
    from workshop import create_app
    from workshop.platform.security import MEMORY_STORE_WARNING

    with caplog.at_level("WARNING"):
        create_app({**app_config, "TESTING": False}, instance_path=str(instance_path))
    assert any(record.msg == MEMORY_STORE_WARNING for record in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING"):
        create_app({**app_config, "TESTING": False, "RATELIMIT_STORAGE_URI": REDIS_URL}, instance_path=str(instance_path))
    assert not any(record.msg == MEMORY_STORE_WARNING for record in caplog.records)


def test_the_storage_uri_is_read_from_the_environment(monkeypatch):
    from workshop import config

    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS_URL)
    assert config.from_environment()["RATELIMIT_STORAGE_URI"] == REDIS_URL
