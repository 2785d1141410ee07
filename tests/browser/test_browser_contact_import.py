"""An organizer imports contacts from a spreadsheet with an Honorific column: the preview shows
each honorific beside the name and says in words which one it does not know; once corrected, the
import saves them and the directory shows them."""

import pytest
from playwright.sync_api import expect

from tests.conftest import TEST_PASSWORD
from tests.support.browser import save_screen, sign_in

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
HEADER = "name,email,honorific,position,organization,country\n"
ROWS = ("Elena Petrova,elena@example.org,Dr.,Researcher,University centre,BG\n"
        "Chinedu Okafor,chinedu@example.org,Ambassador,Permanent Representative,Mission of Nigeria,NG\n")


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_an_organizer_imports_contacts_with_their_honorifics(new_context, make_user, tmp_path, viewport):
    make_user("olga@example.org", "Olga Organizer", can_create_workshops=True)
    page = new_context(viewport=viewport).new_page()
    sign_in(page, "olga@example.org", TEST_PASSWORD)

    wrong = tmp_path / "wrong.csv"
    wrong.write_text(HEADER + ROWS + "Ama Mensah,ama@example.org,Your Grace,,,GH\n", encoding="utf-8")
    page.goto("/manage/contacts/import")
    page.get_by_label("CSV file").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert").first).to_contain_text("nothing was saved")
    expect(page.get_by_text("'Your Grace' is not an honorific we know")).to_be_visible()
    save_screen(page, "contact-import-errors")

    right = tmp_path / "right.csv"
    right.write_text(HEADER + ROWS + "Ama Mensah,ama@example.org,H.E.,,,GH\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(right))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("3 rows are ready to import.")).to_be_visible()
    preview = page.get_by_role("table")
    expect(preview.get_by_role("row", name="Elena Petrova")).to_contain_text("Dr.")
    expect(preview.get_by_role("row", name="Ama Mensah")).to_contain_text("H.E. (His or Her Excellency)")
    save_screen(page, "contact-import-preview")
    page.get_by_role("button", name="Import these contacts").click()

    page.goto("/manage/contacts")
    directory = page.get_by_role("table")
    expect(directory.get_by_role("row", name="Chinedu Okafor")).to_contain_text("Ambassador")
    expect(directory.get_by_role("row", name="Elena Petrova")).to_contain_text("Dr.")
