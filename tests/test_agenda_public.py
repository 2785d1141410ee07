"""The public agenda: HTML by day in the workshop's zone, a documented JSON shape, a printable PDF."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from tests.support.agenda import add_item
from tests.support.pdfs import fetch_pdf
from workshop.platform.pdf import StaticOnlyFetcher, render_pdf, static_base_url


@pytest.fixture
def workshop(make_workshop):
    return make_workshop(slug="nyc", title="Focal Points Workshop", timezone="America/New_York",
                         start_date=date(2012, 2, 24), end_date=date(2012, 2, 26))


def test_the_agenda_page_groups_items_by_day_and_names_the_zone(client, workshop):
    add_item(workshop, day=1, start="09:00", end="10:30", title="Early warning")
    add_item(workshop, day=0, start="21:00", end="22:00", title="Evening reception", kind="reception")
    cancelled = add_item(workshop, day=2, start="09:00", end="10:00", title="Dropped session")
    from workshop.agenda import service

    service.cancel_item(cancelled)
    text = client.get("/w/nyc/agenda").get_data(as_text=True)
    assert "New York time" in text
    friday, saturday = text.index("Friday 24 February 2012"), text.index("Saturday 25 February 2012")
    assert friday < text.index("Evening reception") < saturday < text.index("Early warning")
    # Shown in New York time, though it is 02:00 UTC the next day.
    assert re.search(r">21:00</time>–<time[^>]*>22:00<", text)
    assert "Dropped session" in text and "Cancelled" in text
    assert f"/w/nyc/sessions/{cancelled.id}.ics" not in text


def test_the_agenda_page_offers_webcal_and_https_feeds(client, workshop):
    add_item(workshop, day=0, start="09:00", end="10:00", title="Opening")
    text = client.get("/w/nyc/agenda").get_data(as_text=True)
    assert 'href="webcal://workshop.test/w/nyc/calendar.ics"' in text
    assert 'href="http://workshop.test/w/nyc/calendar.ics"' in text


def test_an_empty_agenda_offers_no_downloads_and_json_is_a_small_data_link(client, workshop):
    text = client.get("/w/nyc/agenda").get_data(as_text=True)
    assert "The agenda has not been published yet." in text
    for absent in ("/w/nyc/agenda.pdf", "calendar.ics", "/w/nyc/agenda.json", "Subscribe"):
        assert absent not in text, absent

    from workshop.agenda import service

    cancelled = add_item(workshop, day=0, start="09:00", end="10:00", title="Dropped")
    service.cancel_item(cancelled)
    text = client.get("/w/nyc/agenda").get_data(as_text=True)
    assert "/w/nyc/agenda.pdf" not in text and "calendar.ics" not in text  # nothing scheduled in them

    add_item(workshop, day=0, start="11:00", end="12:00", title="Kept")
    text = client.get("/w/nyc/agenda").get_data(as_text=True)
    assert 'class="button" href="/w/nyc/agenda.pdf"' in text and "webcal://" in text
    json_link = re.search(r'<[^<]*href="/w/nyc/agenda.json"[^>]*>', text).group(0)
    assert "button" not in json_link
    assert 'class="hint data-link"' in text


def test_the_workshop_page_links_to_its_agenda(client, workshop):
    assert 'href="/w/nyc/agenda"' in client.get("/w/nyc/").get_data(as_text=True)


def test_json_has_stable_ids_and_iso_times_with_the_workshop_offset(client, workshop):
    item = add_item(workshop, day=0, start="09:00", end="10:30", title="Early warning",
                    guiding_questions="Who warns?\n\nWho acts?")
    document = client.get("/w/nyc/agenda.json").get_json()
    assert document["format"] == 1
    assert document["workshop"]["timezone"] == "America/New_York"
    assert document["workshop"]["uid"] == f"workshop-{workshop.id}@workshop.test"
    (entry,) = document["items"]
    assert entry["id"] == item.id and entry["uid"] == f"session-{item.id}@workshop.test"
    assert entry["starts_at"] == "2012-02-24T09:00:00-05:00"
    assert entry["ends_at"] == "2012-02-24T10:30:00-05:00"
    assert entry["guiding_questions"] == ["Who warns?", "Who acts?"]
    assert entry["ics_url"] == f"http://workshop.test/w/nyc/sessions/{item.id}.ics"
    assert client.get("/w/nyc/agenda.json").get_json() == document


def test_the_pdf_is_a4_with_the_agenda_and_page_n_of_n(client, workshop):
    for day in range(3):
        for hour in range(8, 20):
            add_item(workshop, day=day, start=f"{hour:02d}:00", end=f"{hour:02d}:45",
                     title=f"Session {day}-{hour}", description="Discussion of national mandates. " * 6)
    response = fetch_pdf(client, "/w/nyc/agenda.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    pages = len(reader.pages)
    assert pages >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Focal Points Workshop" in text and "Session 1-9" in text and "New York time" in text
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in reader.pages[number - 1].extract_text()


def test_the_pdf_uses_only_the_dejavu_font_including_page_numbers(client, workshop):
    add_item(workshop, title="Prévention — الإنذار")
    reader = PdfReader(io.BytesIO(fetch_pdf(client, "/w/nyc/agenda.pdf").data))
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()
             for font in [font.get_object()]}
    assert fonts and all("DejaVu-Sans" in name for name in fonts), fonts


@pytest.mark.parametrize("path", ["agenda", "agenda.json", "agenda.pdf"])
def test_unknown_and_unpublished_workshops_are_not_found(client, make_workshop, path):
    make_workshop(slug="draft", status="draft")
    assert client.get(f"/w/draft/{path}").status_code == 404
    assert client.get(f"/w/nowhere/{path}").status_code == 404


def test_the_pdf_fetcher_serves_static_files_and_data_urls_only(tmp_path):
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch(static_base_url() + "fonts/DejaVuSans.ttf").read(4) == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in ["file:///etc/passwd", static_base_url() + "../pyproject.toml", "http://127.0.0.1/", "https://example.org/x.png"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_render_pdf_ignores_resources_outside_static(tmp_path, app):
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    html = f'<link rel="stylesheet" href="{secret.as_uri()}"><img src="http://127.0.0.1:9/x.png"><p>Hello</p>'
    pdf = render_pdf(html)
    assert "Hello" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
