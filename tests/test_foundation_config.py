"""The app factory and the order in which configuration sources win."""

import pytest

from workshop import create_app
from workshop.config import normalize_database_url


@pytest.fixture
def clean_environment(monkeypatch):
    for name in ("DATABASE_URL", "SECRET_KEY", "MAIL_URL", "BASE_URL", "MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_put_everything_in_the_instance_folder(clean_environment, tmp_path):
    app = create_app(instance_path=str(tmp_path))
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
    assert app.config["MAIL_URL"] == f"file://{tmp_path / 'outbox'}"
    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
    assert app.config["MAIL_FROM"] == "workshop@localhost"


def test_instance_config_overrides_defaults_and_environment_overrides_both(clean_environment, tmp_path):
    (tmp_path / "config.py").write_text(
        "MAIL_FROM = 'from-file@example.org'\nBASE_URL = 'https://file.example.org'\n"
    )
    clean_environment.setenv("BASE_URL", "https://env.example.org")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["MAIL_FROM"] == "from-file@example.org"
    assert app.config["BASE_URL"] == "https://env.example.org"


def test_test_config_wins_over_the_environment(clean_environment, tmp_path):
    clean_environment.setenv("MAIL_FROM", "env@example.org")
    app = create_app({"MAIL_FROM": "test@example.org"}, instance_path=str(tmp_path))
    assert app.config["MAIL_FROM"] == "test@example.org"


def test_secret_key_is_generated_once_into_the_instance_folder(clean_environment, tmp_path):
    first = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    second = create_app(instance_path=str(tmp_path)).config["SECRET_KEY"]
    assert len(first) >= 64
    assert first == second
    assert (tmp_path / "secret_key").read_text().strip() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_is_used_and_nothing_is_written(clean_environment, tmp_path):
    clean_environment.setenv("SECRET_KEY", "from-the-environment")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_database_urls_from_hosting_platforms_use_psycopg_3(given, expected):
    assert normalize_database_url(given) == expected


def test_cookies_are_secure_only_when_the_site_is_https(clean_environment, tmp_path):
    plain = create_app({"BASE_URL": "http://x.test"}, instance_path=str(tmp_path))
    secure = create_app({"BASE_URL": "https://x.test"}, instance_path=str(tmp_path))
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    assert secure.config["SESSION_COOKIE_HTTPONLY"] is True
    assert secure.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_templates_and_static_files_are_found(client):
    assert client.get("/static/style.css").status_code == 200
    assert "<!doctype html>" in client.get("/").get_data(as_text=True)
