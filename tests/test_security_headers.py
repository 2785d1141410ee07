"""Headers, cookies, body limits, request ids and error logs: the hardening every page gets."""

import io
import json
import logging
import re

import pytest

from tests.conftest import TEST_PASSWORD
from workshop.platform import security
from workshop.paths import TEMPLATES_DIR


def test_every_page_carries_a_strict_content_security_policy_and_frame_denial(client):
    for path in ("/", "/login", "/no-such-page"):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin")


def test_organizer_pages_are_not_kept_in_the_browser_cache(client, make_user, make_workshop, login_as):
    organizer = make_user()
    workshop = make_workshop(organizer)
    login_as(organizer)
    assert client.get(f"/manage/w/{workshop.slug}/team").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_plain_http_deployments_get_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


@pytest.mark.parametrize("base_url, secure", [("http://workshop.test", False),
                                              ("https://workshop.example", True)])
def test_session_cookie_is_httponly_lax_and_secure_exactly_when_base_url_is_https(
        app_config, instance_path, base_url, secure, make_user):
    from workshop import create_app

    app = create_app({**app_config, "BASE_URL": base_url}, instance_path=str(instance_path))
    with app.app_context():
        from workshop.auth import service

        service.create_user("cookie@example.org", "Cookie Tester", TEST_PASSWORD)
        client = app.test_client()
        response = client.post("/login", data={"email": "cookie@example.org", "password": TEST_PASSWORD,
                                               "remember": "y"})
        assert response.status_code == 302
        cookies = response.headers.getlist("Set-Cookie")
        session_cookie = next(c for c in cookies if c.startswith("session="))
        remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
        for cookie in (session_cookie, remember_cookie):
            assert "HttpOnly" in cookie
            assert "SameSite=Lax" in cookie
            assert ("; Secure" in cookie) is secure
        assert ("Strict-Transport-Security" in response.headers) is secure


def test_a_body_over_the_limit_gets_413_with_a_page_in_words(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * 20_000})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than this site accepts" in page
    assert "Traceback" not in page


INLINE_PATTERNS = {
    "inline <script> without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "on* event attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "style= attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_has_inline_script_or_style_the_policy_would_block():
    found = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        if "pdf" in path.relative_to(TEMPLATES_DIR).parts or "email" in path.relative_to(TEMPLATES_DIR).parts:
            continue  # rendered by WeasyPrint or a mail client, never under the page policy
        text = path.read_text()
        for what, pattern in INLINE_PATTERNS.items():
            if pattern.search(text):
                found.append(f"{path.relative_to(TEMPLATES_DIR)}: {what}")
    assert found == []


# Request ids -----------------------------------------------------------------------------------


def test_a_well_formed_request_id_from_the_proxy_is_kept(client):
    response = client.get("/", headers={"X-Request-ID": "proxy-abc-12345678"})
    assert response.headers["X-Request-ID"] == "proxy-abc-12345678"


@pytest.mark.parametrize("hostile", ["short", "a" * 300, "evil\r\nSet-Cookie: x=1", "id with spaces 123",
                                     "<script>alert(1)</script>"])
def test_a_malformed_request_id_is_replaced_by_a_fresh_one(client, hostile):
    response = client.get("/", headers={"X-Request-ID": hostile.replace("\r\n", " ")})
    request_id = response.headers["X-Request-ID"]
    assert request_id != hostile.replace("\r\n", " ")
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


@pytest.fixture
def log_stream(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(security.RequestFormatter())
    app.logger.addHandler(handler)
    yield stream
    app.logger.removeHandler(handler)


@pytest.fixture
def failing_app(app):
    def explode():
        raise RuntimeError("database on fire")

    def chatty():
        app.logger.info("looked at the chatty page")
        return "ok"

    app.add_url_rule("/_test/explode", "explode", explode)
    app.add_url_rule("/_test/chatty", "chatty", chatty)
    return app


def test_log_lines_written_during_a_request_carry_its_id(failing_app, client, log_stream):
    client.get("/_test/chatty", headers={"X-Request-ID": "trace-0000-chatty"})
    line = log_stream.getvalue().strip()
    assert "[trace-0000-chatty]" in line
    assert "looked at the chatty page" in line


def test_an_unhandled_error_is_one_json_line_and_the_page_quotes_the_request_id(
        failing_app, client, log_stream):
    response = client.get("/_test/explode", headers={"X-Request-ID": "trace-1234-explode"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "trace-1234-explode" in page
    assert "database on fire" not in page and "Traceback" not in page
    lines = [line for line in log_stream.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    entry = json.loads(lines[0])
    assert entry["request_id"] == "trace-1234-explode"
    assert entry["method"] == "GET"
    assert entry["path"] == "/_test/explode"
    assert entry["status"] == 500
    assert entry["exception"] == "RuntimeError"
    assert "database on fire" in entry["traceback"]


def test_pages_under_400_do_not_show_a_reference(client):
    assert "quote this reference" not in client.get("/no-such-page").get_data(as_text=True)
