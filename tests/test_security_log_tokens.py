"""Link tokens never reach the log: every logged path has its token segment masked."""

import io
import json
import logging

import pytest

from workshop.platform import security

# The token routes that take a form (a CSRF check needs a POST route).
TOKEN_PATHS = (
    "/invitations/{t}/accept", "/invitations/{t}/decline", "/registrations/{t}/edit", "/registrations/{t}/withdraw",
)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


@pytest.fixture
def log_stream(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(security.RequestFormatter())
    app.logger.addHandler(handler)
    yield stream
    app.logger.removeHandler(handler)


@pytest.mark.parametrize("path", TOKEN_PATHS)
def test_a_csrf_failure_on_a_token_path_logs_the_path_without_the_token(client, log_stream, caplog, path):
    token = "Sekr1t-link-token_abcdefghijklmnop"
    caplog.set_level(logging.INFO)
    response = client.post(path.format(t=token), data={"anything": "x"})
    assert response.status_code == 400
    written = log_stream.getvalue() + caplog.text
    assert "CSRF failure" in written
    assert token not in written
    assert path.format(t=security.TOKEN_MASK) in written


def test_a_500_on_a_token_path_logs_neither_path_nor_traceback_with_the_token(
        app, client, log_stream, caplog, monkeypatch):
    from workshop.registration import service

    token = "Sekr1t-link-token_qrstuvwxyz012345"

    def broken(value):
        raise RuntimeError(f"lookup failed for /registrations/{value}")

    monkeypatch.setattr(service, "registration_by_token", broken)
    response = client.get(f"/registrations/{token}")
    assert response.status_code == 500
    written = log_stream.getvalue() + caplog.text
    assert "RuntimeError" in written and token not in written
    [entry] = [json.loads(line) for line in log_stream.getvalue().splitlines() if line.startswith("{")]
    assert entry["path"] == f"/registrations/{security.TOKEN_MASK}"
    assert f"/registrations/{security.TOKEN_MASK}" in entry["traceback"]


def test_the_development_server_request_line_is_masked(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info('%s - - [%s] "%s" %s %s', "127.0.0.1", "now",
                                       "GET /registrations/Sekr1t-token HTTP/1.1", "200", "-")
    assert "Sekr1t-token" not in caplog.text
    assert "GET /registrations/[token] HTTP/1.1" in caplog.text


@pytest.mark.parametrize("text, masked", [
    ("/registrations/abc/calendar.ics", "/registrations/[token]/calendar.ics"),
    ("https://host.example:5000/invitations/abc?x=1", "https://host.example:5000/invitations/[token]?x=1"),
    ("/password/reset/abc", "/password/reset/[token]"),
    ("/team-invitations/abc", "/team-invitations/[token]"),
    # Organizer pages name no token: they stay readable.
    ("/manage/w/slug/invitations/import", "/manage/w/slug/invitations/import"),
    ("/manage/w/slug/registrations/12/confirm", "/manage/w/slug/registrations/12/confirm"),
])
def test_mask_tokens(text, masked):
    assert security.mask_tokens(text) == masked
