"""One set of date and time formats, through Babel, in the workshop's time zone.

Templates format dates only with the shared filters (never ``strftime`` or ``isoformat`` in what
a reader sees); every page the organizer reaches shows no raw ISO moment ("2027-03-10
09:00:00+01:00") and no UTC time beside a local one; the same moment reads the same on every page.
"""

import re
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.access import World, build_url, sign_in
from workshop.platform import templating
from workshop.platform.db import db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# A value inside an attribute a machine reads (<time datetime="...">, <meta content="...">).
MACHINE_ATTRIBUTE = re.compile(r'(?:datetime|content)="\{\{[^}]*\}\}"')
RAW_FORMATTING = re.compile(r"\{\{[^}]*(?:strftime|isoformat)\([^}]*\}\}")
# 2027-03-10, 2027-03-10 09:00, 2027-03-10T09:00:00+01:00
RAW_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2})?)?\b")


def test_templates_format_dates_only_through_the_shared_filters():
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in (".html", ".txt"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in RAW_FORMATTING.finditer(MACHINE_ATTRIBUTE.sub("", line)):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}")
    assert not found, "dates formatted by hand instead of with the shared filters:\n" + "\n".join(found)


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "textarea")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "textarea") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def world(app):
    """The access-matrix world in Geneva's zone, with an invitation opened and answered and a
    note saved at a known moment."""
    world = World()
    world.workshop.timezone = "Europe/Zurich"
    moment = datetime(2030, 3, 10, 8, 5, tzinfo=timezone.utc)
    world.invitation.opened_at = world.invitation.answered_at = moment
    from workshop.notes import service as notes
    notes.note_for(world.item).revisions[0].created_at = moment
    db.session.commit()
    return world, moment


def _pages(app, client, world):
    samples = world.samples("organizer")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in {"static", "auth.logout"} or "GET" not in rule.methods:
            continue
        response = client.get(build_url(rule.rule, samples))
        if response.status_code == 200 and response.mimetype == "text/html":
            yield rule.rule, response.get_data(as_text=True)


def test_no_page_shows_a_raw_iso_moment_or_a_utc_time(app, client, world):
    world, _ = world
    sign_in(client, world.organizer)
    problems, seen = [], 0
    for rule, html in _pages(app, client, world):
        seen += 1
        text = visible_text(html)
        problems += [f"{rule}: {m.group(0)!r}" for m in RAW_ISO.finditer(text)]
        problems += [f"{rule}: a time in UTC ({m.group(0)!r})" for m in re.finditer(r"\d{2}:\d{2} UTC", text)]
    assert seen > 20
    assert not problems, "\n".join(problems)


def test_the_same_moment_reads_the_same_on_every_page(app, client, world):
    """Saved at 08:05 UTC in March: 09:05 in Geneva, on the notes page, its history and the
    invitations list alike."""
    world, moment = world
    sign_in(client, world.organizer)
    slug, item_id = world.workshop.slug, world.item.id
    for url in (f"/manage/w/{slug}/notes/{item_id}", f"/manage/w/{slug}/notes/{item_id}/history",
                f"/manage/w/{slug}/invitations"):
        text = visible_text(client.get(url).get_data(as_text=True))
        assert "10 Mar 2030, 09:05" in text, url
        assert "08:05" not in text, url


def test_the_workshop_zone_is_named_as_a_reader_names_it(app, client, world):
    world, _ = world
    text = visible_text(client.get(f"/w/{world.workshop.slug}/").get_data(as_text=True))
    assert "Zurich time" in text and "Europe/Zurich" not in text


@pytest.mark.parametrize("language, day, weekday, moment", [
    ("en", "8 January 2027", "Friday 8 January 2027", "8 January 2027, 18:00"),
    ("fr", "8 janvier 2027", "vendredi 8 janvier 2027", "8 janvier 2027, 18:00"),
    ("es", "8 de enero de 2027", "viernes, 8 de enero de 2027", "8 de enero de 2027, 18:00"),
    ("ru", "8 января 2027\u202fг.", "пятница, 8 января 2027\u202fг.", "8 января 2027\u202fг., 18:00"),
    ("zh", "2027年1月8日", "2027年1月8日星期五", "2027年1月8日 18:00"),
    ("ar", "8 يناير 2027", "الجمعة، 8 يناير 2027", "8 يناير 2027، 18:00"),
])
def test_one_format_per_kind_in_each_language(app, language, day, weekday, moment):
    at = datetime(2027, 1, 8, 18, 0, tzinfo=timezone.utc)
    assert templating.format_day(date(2027, 1, 8), locale=language) == day
    assert templating.format_weekday_day(date(2027, 1, 8), locale=language) == weekday
    assert templating.format_when(at, locale=language) == moment
