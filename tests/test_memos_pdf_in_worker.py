"""Publishing a memo through the web leaves its PDF to the mail worker, and a web process that
only serves pages never imports WeasyPrint (its fonts and layout caches stay out of the web
workers' memory)."""

import io
import json
import subprocess
import sys
import textwrap

from pypdf import PdfReader

from tests.conftest import login
from tests.support.smtp import deliver_outbox
from workshop.memos import service


def _approved_memo(make_user, make_workshop):
    organizer = make_user()
    workshop = make_workshop(organizer, theme="Mass Violence and Atrocities")
    memo = service.memo_for(workshop)
    service.save(memo, "## Context\n\nThe focal points met in Accra.\n", organizer, None)
    service.submit_for_review(memo)
    service.approve(memo)
    return organizer, workshop


def test_publishing_queues_the_pdf_and_the_worker_renders_it(app, db, client, make_user, make_workshop):
    from workshop.memos.models import MemoVersion

    organizer, workshop = _approved_memo(make_user, make_workshop)
    login(client, organizer)
    answer = client.post(f"/manage/w/{workshop.slug}/memo/state/publish")
    assert answer.status_code == 302
    version = db.session.scalar(db.select(MemoVersion))
    assert version.number == 1 and version.pdf is None and version.pdf_sha256 is None

    # The memo reads on its page at once; its PDF says it is being prepared, in words.
    assert "The focal points met in Accra." in client.get(f"/w/{workshop.slug}/memo").get_data(as_text=True)
    waiting = client.get(f"/w/{workshop.slug}/memo.pdf")
    assert waiting.status_code == 202 and waiting.mimetype == "text/html"
    page = waiting.get_data(as_text=True)
    assert "The PDF is being prepared" in page and "This page reloads by itself." in page
    assert f'href="/w/{workshop.slug}/memo"' in page  # back to the memo, which reads meanwhile
    assert f'href="/w/{workshop.slug}/memo.pdf"' in page  # and "Reload now"
    # The same answer as every PDF the worker renders (here the agenda's, also not rendered yet).
    agenda = client.get(f"/w/{workshop.slug}/agenda.pdf")
    assert agenda.status_code == 202
    same = ("Content-Type", "Retry-After", "Refresh", "Cache-Control")
    assert {name: waiting.headers.get(name) for name in same} == {name: agenda.headers.get(name) for name in same}
    assert waiting.headers["Refresh"] and "no-store" in waiting.headers["Cache-Control"]
    # In the visitor's language, whichever language the memo is in.
    french = app.test_client().get(f"/w/{workshop.slug}/memo.pdf?lang=fr")
    assert french.status_code == 202 and "Le PDF est en préparation" in french.get_data(as_text=True)
    assert '<html lang="fr"' in french.get_data(as_text=True)

    deliver_outbox(app)  # the worker's round renders what was published since the last one

    db.session.expire_all()
    version = db.session.get(MemoVersion, version.id)
    assert version.pdf.startswith(b"%PDF") and version.pdf_sha256
    download = client.get(f"/w/{workshop.slug}/memo.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == version.pdf and download.headers["ETag"] == f'"{version.pdf_sha256}"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(download.data)).pages)
    assert "Discussion Takeaways" in text and "The focal points met in Accra." in " ".join(text.split())
    # Rendered once: another round leaves the stored bytes alone.
    deliver_outbox(app)
    db.session.expire_all()
    assert db.session.get(MemoVersion, version.id).pdf == version.pdf


def test_a_version_whose_pdf_fails_holds_up_no_other(app, db, client, make_user, make_workshop, monkeypatch):
    """One memo that cannot be rendered (logged) must not keep every memo published after it
    at "being prepared": each version is rendered and kept on its own."""
    from workshop.memos import document, rendering
    from workshop.memos.models import MemoVersion

    monkeypatch.setattr(rendering, "_failed", set(), raising=False)
    broken_organizer, broken = _approved_memo(make_user, make_workshop)
    organizer, fine = _approved_memo(make_user, make_workshop)
    for who, workshop in ((broken_organizer, broken), (organizer, fine)):
        login(client, who)
        assert client.post(f"/manage/w/{workshop.slug}/memo/state/publish").status_code == 302
        client.post("/logout")
    real = document.render_memo_pdf

    calls = []

    def first_fails(doc):
        calls.append(doc)
        if len(calls) == 1:
            raise RuntimeError("a layout that never ends")
        return real(doc)

    monkeypatch.setattr(document, "render_memo_pdf", first_fails)
    deliver_outbox(app)
    db.session.expire_all()
    versions = db.session.scalars(db.select(MemoVersion).order_by(MemoVersion.id)).all()
    assert versions[0].pdf is None and versions[1].pdf.startswith(b"%PDF")
    assert client.get(f"/w/{fine.slug}/memo.pdf").status_code == 200
    assert client.get(f"/w/{broken.slug}/memo.pdf").status_code == 202  # still being prepared
    deliver_outbox(app)  # tried again later; now it renders
    db.session.expire_all()
    assert db.session.get(MemoVersion, versions[0].id).pdf.startswith(b"%PDF")


def test_without_the_worker_setting_publish_renders_at_once(app, db, client, make_user, make_workshop):
    from workshop.memos.models import MemoVersion

    app.config["PDF_IN_WORKER"] = False
    organizer, workshop = _approved_memo(make_user, make_workshop)
    login(client, organizer)
    assert client.post(f"/manage/w/{workshop.slug}/memo/state/publish").status_code == 302
    version = db.session.scalar(db.select(MemoVersion))
    assert version.pdf.startswith(b"%PDF")
    assert client.get(f"/w/{workshop.slug}/memo.pdf").data == version.pdf


SERVE_PAGES = textwrap.dedent("""
    import json, sys
    from workshop import create_app
    from workshop.platform.db import db

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
                      "WTF_CSRF_ENABLED": False, "BASE_URL": "http://workshop.test"})
    with app.app_context():
        db.create_all()
        from workshop.auth import service as accounts
        from workshop.memos import service
        from workshop.workshops import service as workshops
        from datetime import date
        user = accounts.create_user("o@example.org", "Organizer", "a long enough password 1")
        workshop = workshops.create_workshop(user, slug="w", title="W", timezone="Europe/Zurich",
                                             start_date=date(2031, 1, 1), end_date=date(2031, 1, 2))
        workshops.set_status(workshop, "published")
        memo = service.memo_for(workshop)
        service.save(memo, "## Context\\n\\nWe met.\\n", user, None)
        service.submit_for_review(memo)
        service.approve(memo)
        db.session.commit()
    client = app.test_client()
    statuses = [client.post("/login", data={"email": "o@example.org",
                                            "password": "a long enough password 1"}).status_code]
    statuses.append(client.post("/manage/w/w/memo/state/publish").status_code)
    for path in ("/", "/w/w/", "/w/w/agenda", "/w/w/memo", "/w/w/memo.pdf", "/w/w/register"):
        statuses.append(client.get(path).status_code)
    print(json.dumps({"statuses": statuses, "weasyprint": "weasyprint" in sys.modules,
                      "openpyxl": "openpyxl" in sys.modules}))
""")


def test_a_web_process_that_publishes_and_serves_pages_never_imports_weasyprint_or_openpyxl(tmp_path):
    # A process of its own: this test process has imported WeasyPrint for other tests.
    result = subprocess.run([sys.executable, "-c", SERVE_PAGES, f"sqlite:///{tmp_path / 'db.sqlite3'}"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["statuses"][:2] == [302, 302], found
    assert found["statuses"][2:] == [200, 200, 200, 200, 202, 200], found  # memo.pdf: being prepared
    assert found["weasyprint"] is False
    assert found["openpyxl"] is False  # only an export loads it


def test_the_draft_preview_is_rendered_by_the_worker_per_revision(app, db, client, make_user, make_workshop):
    import sqlalchemy as sa

    from workshop.platform.stored_pdfs import StoredPdf

    organizer = make_user()
    workshop = make_workshop(organizer, theme="Mass Violence and Atrocities")
    memo = service.memo_for(workshop)
    service.save(memo, "## Context\n\nThe focal points met in Accra.\n", organizer, None)
    db.session.commit()
    login(client, organizer)
    url = f"/manage/w/{workshop.slug}/memo/preview.pdf"
    waiting = client.get(url)
    assert waiting.status_code == 202 and waiting.headers["Refresh"]
    assert "The PDF is being prepared" in waiting.get_data(as_text=True)

    deliver_outbox(app)
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert "private" in first.headers["Cache-Control"]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(first.data)).pages).split())
    assert "DRAFT" in text and "The focal points met in Accra." in text
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    # A new revision: the preview of the old one is not served, the new one replaces it.
    service.save(memo, "## Context\n\nThe focal points met in Accra and in Copenhagen.\n", organizer,
                 memo.current.number)
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 202
    deliver_outbox(app)
    second = client.get(url)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(second.data)).pages).split())
    assert second.status_code == 200 and "in Copenhagen." in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredPdf)) == 1
