"""The demo memo reads as a real one: distinct takeaways under the right session, the
co-organizers named in its title block; calendar locations name each place once."""

import io
import re
from datetime import date
from types import SimpleNamespace

import pypdf
import sqlalchemy as sa

from workshop.calendar import ics
from workshop.demo import OPEN_SLUG, R2P_SLUG, load_demo
from workshop.memos import service as memos
from workshop.platform.db import db
from workshop.workshops.models import Workshop

CO_ORGANIZERS = ("Denmark", "Ghana", "Costa Rica", "Australia")


def _sections(source: str) -> dict[str, str]:
    takeaways = source.split("## Key takeaways", 1)[1].split("\n## ", 1)[0]
    parts = re.split(r"^### (.+)$", takeaways, flags=re.MULTILINE)[1:]
    return {parts[i].strip(): parts[i + 1].strip() for i in range(0, len(parts), 2)}


def _r2p():
    return db.session.scalar(sa.select(Workshop).where(Workshop.slug == R2P_SLUG))


def test_every_demo_session_has_its_own_takeaways_under_its_own_heading(app):
    load_demo(today=date(2030, 1, 1))
    sections = _sections(memos.published_version(_r2p()).source)
    assert len(sections) >= 6
    bodies = list(sections.values())
    assert len(set(bodies)) == len(bodies), "two sessions share the same takeaways"
    assert not any("placeholder" in body or "echoed the themes" in body for body in bodies)
    expected = {  # a word each session's own points must contain
        "Early warning: from information to action": "warning information",
        "Risk assessment in practice": "Risk frameworks",
        "Regional and sub-regional cooperation": "Regional organizations",
        "Working with the United Nations system": "Special Advisers",
        "The mandate of a national R2P Focal Point": "Mandates",
        "The future of the Focal Points Network": "network",
    }
    for heading, words in expected.items():
        assert words in sections[heading], heading
    assert "illustrative" in memos.published_version(_r2p()).source.lower()


def test_the_memo_title_block_names_the_co_organizers(client):
    load_demo(today=date(2030, 1, 1))
    page = client.get(f"/w/{R2P_SLUG}/memo").get_data(as_text=True)
    head = page.split('class="memo-head"', 1)[1].split("</header>", 1)[0]
    pdf = pypdf.PdfReader(io.BytesIO(client.get(f"/w/{R2P_SLUG}/memo.pdf").data))
    first_page = " ".join(pdf.pages[0].extract_text().split())
    for country in CO_ORGANIZERS:
        assert country in head, country
        assert country in first_page, country


def test_a_location_names_the_room_venue_and_city_once():
    assert ics.location_of("Room A", "Demo Conference Centre, Room A", "Accra") == \
        "Room A, Demo Conference Centre, Accra"
    assert ics.location_of("", "Main hall", None, "Geneva") == "Main hall, Geneva"
    assert ics.location_of("room a", "Room A ,  Centre") == "room a, Centre"


def test_the_demo_session_feed_says_room_a_once(client):
    load_demo(today=date(2030, 1, 1))
    feed = client.get(f"/w/{OPEN_SLUG}/calendar.ics").get_data(as_text=True).replace("\r\n ", "")
    locations = [line for line in feed.splitlines() if line.startswith("LOCATION:") and "Room A" in line]
    assert locations and all(line.count("Room A") == 1 for line in locations), locations
