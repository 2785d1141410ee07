"""A web worker stays small: what only a rare route or the mail worker needs is imported there.

WeasyPrint (~30 MiB with Pango and its caches), pypdf (briefing packs, ~8 MiB), Flask-Migrate and
Alembic (``flask db``, ~12 MiB), Pillow (logo uploads), segno (the two-factor QR code) and
openpyxl (the XLSX export) are imported inside the functions that use them. This runs the app in
a process of its own (this test process has imported all of them for other tests), signs an
organizer in, opens public and management pages, publishes a memo, freezes a record, asks for
the agenda, draft and record PDFs (the worker renders them), and lists what got imported.
"""

import json
import subprocess
import sys
import textwrap

LAZY = ("weasyprint", "pypdf", "fontTools", "flask_migrate", "alembic", "PIL", "segno", "openpyxl")

SERVE_PAGES = textwrap.dedent("""
    import json, sys
    from datetime import date, datetime, timezone
    from workshop import create_app
    from workshop.platform.db import db

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "BASE_URL": "http://workshop.test"})
    with app.app_context():
        db.create_all()
        from workshop.agenda import service as agenda
        from workshop.auth import service as accounts
        from workshop.memos import service as memos
        from workshop.people.models import Contact
        from workshop.registration import service as registrations
        from workshop.workshops import service as workshops
        user = accounts.create_user("o@example.org", "Organizer", "a long enough password 1")
        workshop = workshops.create_workshop(user, slug="w", title="W", timezone="Europe/Zurich",
                                             start_date=date(2031, 1, 1), end_date=date(2031, 1, 2))
        workshops.set_status(workshop, "published")
        speaker = Contact(name="Ana Speaker", email="ana@example.org")
        db.session.add(speaker)
        agenda.create_item(workshop, speakers=[speaker], title="Opening",
                           starts_at=datetime(2031, 1, 1, 8, tzinfo=timezone.utc),
                           ends_at=datetime(2031, 1, 1, 9, tzinfo=timezone.utc))
        registrations.update_settings(workshop, mode="open", confirm_email=False,
                                      participants_published=True)
        memo = memos.memo_for(workshop)
        memos.save(memo, "## Context\\n\\nWe met.\\n", user, None)
        memos.submit_for_review(memo)
        memos.approve(memo)
        db.session.commit()
    loaded_at_start = sorted(name for name in sys.argv[2].split(",") if name in sys.modules)
    client = app.test_client()
    anonymous = app.test_client()
    statuses = {"login": client.post("/login", data={"email": "o@example.org",
                                                      "password": "a long enough password 1"}).status_code}
    for path in ("/manage/", "/manage/w/w/", "/manage/w/w/agenda", "/manage/w/w/registrations",
                 "/manage/w/w/memo/", "/manage/w/w/documents", "/manage/w/w/visa-letters",
                 "/manage/w/w/team", "/manage/w/w/audit", "/manage/w/w/edit", "/account"):
        statuses[path] = client.get(path).status_code
    # The draft preview, before publishing: the worker renders it.
    statuses["preview.pdf"] = client.get("/manage/w/w/memo/preview.pdf").status_code
    statuses["publish"] = client.post("/manage/w/w/memo/state/publish").status_code
    statuses["freeze"] = client.post("/manage/w/w/outputs/internal").status_code
    statuses["record.pdf"] = client.get("/manage/w/w/outputs/internal/1.pdf").status_code
    for path in ("/", "/w/w/", "/w/w/agenda", "/w/w/agenda.json", "/w/w/calendar.ics", "/w/w/memo",
                 "/w/w/memo.pdf", "/w/w/agenda.pdf", "/w/w/register"):
        statuses["public " + path] = anonymous.get(path).status_code
    print(json.dumps({"statuses": statuses, "at_start": loaded_at_start,
                      "loaded": sorted(name for name in sys.argv[2].split(",") if name in sys.modules)}))
""")


def test_pages_and_publishing_import_none_of_the_heavy_libraries(tmp_path):
    result = subprocess.run([sys.executable, "-c", SERVE_PAGES, f"sqlite:///{tmp_path / 'db.sqlite3'}",
                             ",".join(LAZY)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    statuses = found["statuses"]
    # The pages really ran (a 500 or a redirect to the sign-in page would prove nothing).
    assert statuses.pop("login") == 302 and statuses.pop("publish") == 302, found
    assert statuses.pop("freeze") == 302, found
    # "Being prepared": the worker renders them.
    assert [statuses.pop(path) for path in ("preview.pdf", "record.pdf", "public /w/w/agenda.pdf",
                                            "public /w/w/memo.pdf")] == [202] * 4, found
    assert {path: status for path, status in statuses.items() if status != 200} == {}, found
    assert found["at_start"] == [], found
    assert found["loaded"] == [], found


def test_flask_db_still_reaches_flask_migrate(tmp_path):
    """``flask db`` is wired on first use: its options and subcommands are Flask-Migrate's own."""
    import os

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SECRET_KEY": "x"}
    upgrade = subprocess.run([sys.executable, "-m", "flask", "--app", "workshop", "db", "upgrade"],
                             capture_output=True, text=True, env=env, timeout=180)
    assert upgrade.returncode == 0, upgrade.stderr[-3000:]
    current = subprocess.run([sys.executable, "-m", "flask", "--app", "workshop", "db", "current"],
                             capture_output=True, text=True, env=env, timeout=60)
    assert current.returncode == 0, current.stderr[-3000:]
    assert "(head)" in current.stdout
