"""Browser tests: the app served by a real HTTP server, driven by Debian's Chromium via Playwright.

- One werkzeug server per run, on 127.0.0.1 and a free port, in a thread. It forwards each request
  to the current test's app (the ``app`` fixture of tests/conftest.py: the session database built
  by the migrations, every table emptied after the test), so factories like ``make_user`` and the
  browser see the same data.
- CSRF is on (real forms) and ``BASE_URL`` is the server's address.
- A fresh browser context per test (``new_context`` / ``page``); on failure every open page leaves
  a screenshot and its HTML in ``test-artifacts/failures/<test>/``.
- A 5xx answer or a JavaScript error (CSP violations included) in any page fails the test.
- Without Chromium or Playwright the tests skip and say why (``-ra`` prints it in the summary).
"""

import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.support.browser import AXE_SCRIPT

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
AXE_DIR = Path(__file__).resolve().parent
DESK = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(AXE_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures know at teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session", autouse=True)
def _fresh_failure_artifacts():
    """Screenshots of failures are this run's only, never an earlier run's."""
    shutil.rmtree(ARTIFACTS / "failures", ignore_errors=True)


# The server ---------------------------------------------------------------------------------


class _CurrentApp:
    """WSGI callable handing each request to the app of the test that is running."""

    def __init__(self):
        self.app = None

    def __call__(self, environ, start_response):
        if self.app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no test is running"]
        return self.app(environ, start_response)


class LiveServer:
    def __init__(self, server, dispatcher):
        self.server = server
        self.dispatcher = dispatcher
        self.url = f"http://127.0.0.1:{server.server_port}"

    def __repr__(self):
        return f"<LiveServer {self.url}>"


@pytest.fixture(scope="session")
def _http_server():
    dispatcher = _CurrentApp()
    server = make_server("127.0.0.1", 0, dispatcher, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(server, dispatcher)
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def app_config(app_config, _http_server):
    return dict(
        app_config,
        WTF_CSRF_ENABLED=True,
        BASE_URL=_http_server.url,
        # Serve as production does: errors become pages, not propagated exceptions.
        TESTING=False,
        # Every test signs in from 127.0.0.1; abuse limits have their own tests (feature/security).
        RATELIMIT_ENABLED=False,
    )


@pytest.fixture
def live_server(app, _http_server):
    _http_server.dispatcher.app = app
    yield _http_server
    _http_server.dispatcher.app = None


# The browser --------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'")
    # Package scope: the Playwright event loop is gone before the rest of the suite runs.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """What a person would notice as broken: server errors and script errors (CSP included)."""

    def __init__(self):
        self.items: list[str] = []

    def watch(self, context):
        context.on("response", self._response)
        context.on("weberror", lambda error: self.items.append(f"JavaScript error: {error.error}"))
        context.on("console", self._console)

    def _response(self, response):
        if response.status >= 500:
            self.items.append(f"{response.status} from {response.request.method} {response.url}")

    def _console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.items.append(f"CSP violation: {message.text}")


@pytest.fixture
def new_context(request, browser, live_server):
    """Make a fresh browser context (its own cookies): ``new_context(viewport=..., bypass_csp=...)``."""
    contexts = []
    problems = PageProblems()

    def make(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", DESK)
        options.setdefault("locale", "en-GB")
        options.setdefault("timezone_id", "UTC")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        problems.watch(context)
        contexts.append(context)
        return context

    make.problems = problems  # for the test that proves the watch works
    yield make

    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_failure_artifacts(request.node, contexts)
    for context in contexts:
        context.close()
    if problems.items and not (report is not None and report.failed):
        pytest.fail("The browser saw problems:\n  " + "\n  ".join(problems.items), pytrace=False)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def save_failure_artifacts(item, contexts) -> None:
    folder = ARTIFACTS / "failures" / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for context in contexts:
        for open_page in context.pages:
            n += 1
            try:
                open_page.screenshot(path=str(folder / f"page{n}.png"), full_page=True)
                (folder / f"page{n}.html").write_text(
                    f"<!-- {open_page.url} -->\n" + open_page.content(), encoding="utf-8"
                )
            except Exception as error:  # a crashed page must not hide the test's own failure
                (folder / f"page{n}.error.txt").write_text(repr(error))
    item.add_report_section("call", "artifacts", f"screenshots and HTML in {folder}")


# axe-core -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed by ``make test`` (or here, when npm is present)."""
    if not AXE_SCRIPT.exists() and shutil.which("npm"):
        subprocess.run(
            ["npm", "ci", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund"],
            check=False, capture_output=True, timeout=300,
        )
    if not AXE_SCRIPT.exists():
        pytest.skip(f"axe-core not found at {AXE_SCRIPT}: npm ci --prefix tests/browser")
    return AXE_SCRIPT


@pytest.fixture
def a11y_page(new_context, axe_script):
    """A page whose context bypasses the CSP, so that axe-core can be injected into it."""
    return new_context(bypass_csp=True).new_page()


# Data the pages show ------------------------------------------------------------------------


@pytest.fixture
def organizer(make_user):
    return make_user("olga@example.org", "Olga Organizer", can_create_workshops=True)


@pytest.fixture
def published_workshop(make_workshop, organizer):
    """A published workshop with every fact filled, long names included (they test the layout)."""
    from datetime import date

    return make_workshop(
        organizer,
        title="Preparatory Workshop for the Second Meeting of the R2P Focal Points Network",
        slug="r2p-focal-points-2030",
        theme="Mass Violence and Atrocities",
        network="R2P Focal Points Network",
        prepares_meeting="Second Meeting of the R2P Focal Points Network",
        conference="43rd United Nations Issues Conference",
        venue="Conference Centre, Room A",
        city="Tarrytown, New York",
        timezone="America/New_York",
        start_date=date(2030, 2, 24),
        end_date=date(2030, 2, 26),
        description="Focal Points and experts address the challenges of their developing network.\n\n"
                    "A second paragraph, so that the purpose reads as prose.",
        conveners=["Global Centre for the Responsibility to Protect", "Stanley Center"],
        co_organizers=["Government of Denmark", "Government of Ghana", "Government of Costa Rica",
                       "Government of Australia"],
    )
