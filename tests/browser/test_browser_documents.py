"""An organizer uploads a background paper to a session; a confirmed participant downloads it from
their own page, finds the online meeting link there, and downloads their briefing pack once the
worker has built it (the confidential paper in it carries their name on every page)."""

import pytest
from pypdf import PdfReader

from tests.support.agenda import add_item
from tests.support.browser import create_account, save_screen, sign_in
from tests.support.documents import pdf
from tests.support.registration import body, details, outbox
from workshop.platform.db import db as _db

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect

PASSWORD = "a long passphrase for the browser"


def registration_link(base: str) -> str:
    """The registration link mailed to the participant (links carry the live server's address)."""
    import re
    from email import policy
    from email.parser import BytesParser

    [row] = [row for row in outbox(_db) if "ama@example.org" in row.recipients]
    text = body(BytesParser(policy=policy.default).parsebytes(row.raw))
    return re.search(re.escape(base) + r"(/registrations/[A-Za-z0-9_-]+)(?![A-Za-z0-9_/-])", text).group(1)


def test_a_background_paper_uploaded_to_a_session_is_downloaded_by_a_participant(
        app, live_server, new_context, runner, make_workshop, tmp_path):
    from workshop.auth.models import User
    from workshop.registration import service

    create_account(runner, "nana.organizer@example.org", "Nana Organizer", PASSWORD, can_create_workshops=True)
    organizer = _db.session.scalar(_db.select(User).where(User.email == "nana.organizer@example.org"))
    workshop = make_workshop(organizer, title="Preparatory workshop on early warning")
    add_item(workshop, title="Early warning: from information to action")
    workshop.online_link = "https://meet.example.org/j/early-warning"
    service.update_settings(workshop, mode="open", confirm_email=False)
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    _db.session.commit()
    participant_url = registration_link(live_server.url)

    paper = tmp_path / "Early warning – background paper.pdf"
    paper.write_bytes(pdf("Early warning background paper"))
    page = new_context().new_page()
    sign_in(page, "nana.organizer@example.org", PASSWORD)
    page.goto(f"/manage/w/{workshop.slug}/")
    page.get_by_role("link", name="Documents").first.click()
    page.get_by_role("link", name="Upload a document").click()
    page.get_by_label("File (PDF, DOCX, XLSX, PPTX, ODT, PNG or JPEG)").set_input_files(str(paper))
    page.get_by_label("Title").fill("Early warning: a background paper")
    page.get_by_label("Short description").fill("For the session on early warning.")
    page.get_by_label("Kind").select_option(label="Background paper")
    page.get_by_label("Who may see it").select_option(label="Confirmed participants")
    page.get_by_label("Session").select_option(label="Early warning: from information to action")
    page.get_by_label("Confidential").check()
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("main")).to_contain_text("“Early warning: a background paper” uploaded.")
    expect(page.locator("table.documents-table")).to_contain_text("Confirmed participants")
    expect(page.locator("table.documents-table")).to_contain_text("Confidential")
    save_screen(page, "documents-manage")

    # Not on the public pages: it is for participants.
    public = new_context().new_page()
    public.goto(f"/w/{workshop.slug}/agenda")
    expect(public.locator("main")).not_to_contain_text("Early warning: a background paper")
    expect(public.locator("main")).not_to_contain_text("meet.example.org")

    mine = new_context().new_page()
    mine.goto(participant_url)
    expect(mine.locator("main")).to_contain_text("Your briefing pack is being prepared")
    with app.app_context():  # the worker's round (`flask worker`) builds the packs that are due
        from workshop.briefing.commands import build_due_packs
        assert build_due_packs() == 1
    mine.reload()
    expect(mine.locator("main")).to_contain_text("Documents for participants")
    expect(mine.locator("main")).to_contain_text("https://meet.example.org/j/early-warning")
    save_screen(mine, "documents-participant")
    with mine.expect_download() as download_info:
        mine.get_by_role("link", name="Early warning: a background paper").click()
    download = download_info.value
    assert download.suggested_filename == "Early warning – background paper.pdf"
    assert open(download.path(), "rb").read() == paper.read_bytes()

    with mine.expect_download() as download_info:
        mine.get_by_role("link", name="Download my briefing pack").click()
    pack = download_info.value
    for width, height in ((390, 844), (1280, 800)):  # the pack's part of the page, narrow and wide
        mine.set_viewport_size({"width": width, "height": height})
        save_screen(mine, "briefing-participant")
    assert pack.suggested_filename == f"{workshop.slug}-briefing-pack.pdf"
    reader = PdfReader(pack.path())
    assert "Ama Mensah" in reader.pages[0].extract_text()
    assert "prepared for Ama Mensah" in reader.pages[-1].extract_text()  # the confidential paper, stamped
    assert [entry.title for entry in reader.outline if not isinstance(entry, list)][:2] == ["Cover", "Agenda"]
