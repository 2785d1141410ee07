"""The memo in a day: from "the sessions have ended" to a published memo, as the rapporteur and
the organizer do it in Chromium, counting what it costs them: clicks, fields filled and page loads.

Target: at most 25 clicks for four sessions, at most 2 more for each further session, and
nothing identifying published. Two identifying sentences are in the notes ("The Ambassador of
Ghana said...", "The Danish Focal Point cautioned..." with one Danish Focal Point registered):
the check flags them beside the editor, the organizer rewrites them, the public memo has neither.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.support.smtp import delivered, smtp_server  # noqa: F401  (fixture)
from workshop.platform.db import db as _db

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

PASSWORD = "a long passphrase for the browser"
ORGANIZER, RAPPORTEUR = "nana.organizer@example.org", "rafa.rapporteur@example.org"
GHANA = "The Ambassador of Ghana said that early warning is everyone's business and nobody's job."
DENMARK = "The Danish Focal Point cautioned against a new reporting burden on small ministries."
SCREENS = ARTIFACTS / "screens"


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@dataclass
class Effort:
    """What a person does in the browser: each click, each field filled, each page loaded."""

    clicks: int = 0
    fields: int = 0
    loads: int = 0
    steps: list[str] = field(default_factory=list)

    def watch(self, page):
        page.on("framenavigated", lambda frame: frame == page.main_frame and self._loaded())
        return page

    def _loaded(self):
        self.loads += 1

    def click(self, locator, what: str):
        self.clicks += 1
        self.steps.append(what)
        locator.click()

    def fill(self, locator, value: str):
        self.fields += 1
        locator.fill(value)

    def sign_in(self, page, email: str):
        page.goto("/login")  # the address typed, or the link in the invitation: a load, no click
        self.fill(page.locator("main input[name=email]"), email)
        self.fill(page.locator("main input[name=password]"), PASSWORD)
        self.click(page.locator("main form button[type=submit]"), "sign in")
        page.locator("header a[href='/logout']").wait_for()


def ended_workshop(runner, make_workshop, slug: str, sessions: int):
    """A workshop that ended last month, ``sessions`` working sessions and a coffee break, its
    team (Nana organizes, Rafa takes the notes), and its registrations: one Ghanaian and one
    Danish Focal Point among them."""
    from tests.support.browser import create_account
    from workshop.agenda import service as agenda
    from workshop.agenda.models import ItemKind
    from workshop.auth.service import find_user
    from workshop.registration import service as registration
    from workshop.workshops import service as workshops

    if find_user(ORGANIZER) is None:
        create_account(runner, ORGANIZER, "Nana Organizer", PASSWORD, can_create_workshops=True)
        create_account(runner, RAPPORTEUR, "Rafa Rapporteur", PASSWORD)
    first = date.today().replace(day=1) - timedelta(days=20)
    workshop = make_workshop(find_user(ORGANIZER), title=f"Early Warning in Practice ({sessions} sessions)",
                             slug=slug, theme="Atrocity Prevention in Practice", timezone="UTC",
                             start_date=first, end_date=first + timedelta(days=1),
                             description="Focal Points compare their early-warning practice.")
    workshops.add_member(workshop, RAPPORTEUR, "rapporteur")
    day = datetime(first.year, first.month, first.day, 9, 0, tzinfo=timezone.utc)
    for n in range(sessions):
        starts = day + timedelta(hours=2 * n if n < 3 else 24 + 2 * (n - 3))
        agenda.create_item(workshop, kind=ItemKind.WORKING_SESSION, title=f"Session {n + 1}",
                           starts_at=starts, ends_at=starts + timedelta(minutes=90), room="Room A")
        if n == 0:  # nothing to report from a break: the notes list leaves it out
            agenda.create_item(workshop, kind=ItemKind.BREAK, title="Coffee", starts_at=starts + timedelta(minutes=90),
                               ends_at=starts + timedelta(minutes=120))
    registration.update_settings(workshop, mode="open", confirm_email=False)
    categories = {c.name: c.id for c in registration.categories_for(workshop)}
    for name, email, country in [("Kwame Owusu", "kwame@example.org", "GH"), ("Mette Hansen", "mette@example.org", "DK"),
                                 ("Ana Ruiz", "ana@example.org", "CR")]:
        registration.register(workshop, {"name": name, "email": email, "country": country, "consent": "nobody",
                                         "organization": "Ministry of Foreign Affairs",
                                         "category_id": categories.get("R2P Focal Point")})
    _db.session.commit()  # the live server reads through its own connection
    return workshop


def notes_of(n: int) -> str:
    lines = [f"- Observation {n}.1: early warning needs one senior convener.",
             f"- Observation {n}.2: information rarely reaches the Focal Point in time."]
    if n == 2:
        lines.append(f"- {GHANA}")
    if n == 3:
        lines.append(f"- {DENMARK}")
    return "\n".join(lines)


def look_at(page, name: str) -> None:
    """Screenshots of the page in English, French and Arabic at 390 and 1280 px, in a second tab
    (not counted: the person's own tab goes on as they would); none scrolls sideways."""
    look = page.context.new_page()
    address = page.url.split("?")[0].split("#")[0]
    for language in ("en", "fr", "ar"):
        for width in (1280, 390):
            look.set_viewport_size({"width": width, "height": 900})
            look.goto(f"{address}?lang={language}")
            look.screenshot(path=str(SCREENS / f"{name}-{language}-{width}.png"), full_page=True)
            overflow = look.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (name, language, width, overflow)
    look.goto(f"{address}?lang=en")  # the language is remembered: back to English
    look.close()


def memo_in_a_day(new_context, workshop, sessions: int, *, screens: bool = False) -> tuple[Effort, Effort]:
    rapporteur, organizer = Effort(), Effort()

    # The rapporteur: every session's notes, one after the other, each saved and submitted.
    rafa = rapporteur.watch(new_context().new_page())
    rapporteur.sign_in(rafa, RAPPORTEUR)
    rapporteur.click(rafa.get_by_role("link", name=workshop.title), "the workshop")
    rapporteur.click(rafa.get_by_role("main").get_by_role("link", name="Session notes", exact=True), "session notes")
    rapporteur.click(rafa.get_by_role("table").get_by_role("link", name="Session 1", exact=True), "session 1")
    for n in range(1, sessions + 1):
        expect(rafa.get_by_role("heading", level=1)).to_have_text(f"Session {n}")
        rapporteur.fill(rafa.get_by_label("Text", exact=True), notes_of(n))
        rapporteur.click(rafa.get_by_role("button", name="Save and submit for approval"), "save and submit")
        expect(rafa.get_by_role("status")).to_contain_text("Notes saved and submitted")
        if n < sessions:
            rapporteur.click(rafa.get_by_role("link", name=f"Next session: Session {n + 1}"), "next session")
    expect(rafa.get_by_role("link", name=re.compile("Next session"))).to_have_count(0)

    # The organizer: approve the notes after a look, compile, rewrite what the check flags, publish.
    nana = organizer.watch(new_context().new_page())
    organizer.sign_in(nana, ORGANIZER)
    organizer.click(nana.get_by_role("link", name=workshop.title), "the workshop")
    organizer.click(nana.get_by_role("main").get_by_role("link", name="Session notes", exact=True), "session notes")
    waiting = nana.get_by_role("region", name=f"{sessions} notes wait for approval")
    expect(waiting.get_by_role("listitem")).to_have_count(sessions)
    organizer.click(waiting.get_by_role("button", name=f"Approve the {sessions} notes"), "approve all")
    expect(nana.get_by_role("status")).to_contain_text(f"{sessions} notes approved and locked")
    organizer.click(nana.get_by_role("main").get_by_role("link", name="Takeaways memo"), "the memo")
    organizer.click(nana.get_by_role("button", name=f"Compile from notes ({sessions} approved)"), "compile")
    expect(nana.get_by_role("status")).to_contain_text("Compiled from the approved notes")
    check = nana.get_by_role("region", name="Non-attribution check")
    for words in ("Ambassador of Ghana", "Danish Focal Point"):
        expect(check.get_by_role("row", name=re.compile(words))).to_contain_text("registered participant")

    if screens:
        look_at(nana, "memo-check")
    organizer.click(nana.get_by_role("link", name="Edit text"), "edit text")
    beside = nana.get_by_role("complementary", name="Non-attribution check of the saved text")
    marked = beside.get_by_role("list", name="The saved text, line by line")
    expect(marked.locator("mark")).to_have_text(["Ambassador of Ghana", "Danish Focal Point"])
    if screens:
        look_at(nana, "memo-editor-check")
    text = nana.get_by_label("Text", exact=True).input_value()
    assert GHANA in text and DENMARK in text
    rewritten = (text.replace("The Ambassador of Ghana said", "One participant said")
                 .replace("The Danish Focal Point cautioned", "Another participant cautioned"))
    organizer.fill(nana.get_by_label("Text", exact=True), rewritten)
    organizer.click(nana.get_by_role("button", name="Save", exact=True), "save")
    expect(nana.get_by_role("status")).to_contain_text("Memo saved.")
    expect(nana.locator("main")).to_contain_text("Non-attribution check of the saved text: clean.")

    organizer.click(nana.locator(".breadcrumb").get_by_role("link"), "back to the memo")
    organizer.click(nana.get_by_role("button", name="Send for review"), "send for review")
    organizer.click(nana.get_by_role("button", name="Approve", exact=True), "approve")
    expect(nana.get_by_role("status")).to_contain_text("The memo is approved and locked.")
    organizer.click(nana.get_by_role("button", name="Publish", exact=True), "publish")
    expect(nana.get_by_role("status")).to_contain_text("Version 1 is published.")
    organizer.click(nana.get_by_role("link", name="See the published memo (version 1)"), "see it")
    public = nana.locator("main")
    expect(public).to_contain_text("One participant said that early warning")
    expect(public).to_contain_text("Another participant cautioned")
    for identifying in ("Ambassador of Ghana", "Danish Focal Point", "Owusu", "Hansen"):
        expect(public).not_to_contain_text(identifying)
    return rapporteur, organizer


def report(sessions, rapporteur, organizer) -> dict:
    total = {"clicks": rapporteur.clicks + organizer.clicks, "fields": rapporteur.fields + organizer.fields,
             "loads": rapporteur.loads + organizer.loads}
    print(f"\nMemo in a day, {sessions} sessions: {total['clicks']} clicks, {total['fields']} fields, "
          f"{total['loads']} page loads (rapporteur {rapporteur.clicks}/{rapporteur.fields}/{rapporteur.loads}, "
          f"organizer {organizer.clicks}/{organizer.fields}/{organizer.loads})")
    print("  rapporteur: " + ", ".join(rapporteur.steps))
    print("  organizer: " + ", ".join(organizer.steps))
    return total


def test_memo_in_a_day_four_sessions_in_at_most_25_clicks_and_two_more_per_extra_session(
        app, runner, new_context, make_workshop, smtp_server):
    SCREENS.mkdir(parents=True, exist_ok=True)
    four = ended_workshop(runner, make_workshop, "memo-day-4", 4)
    efforts = memo_in_a_day(new_context, four, 4, screens=True)
    counted = report(4, *efforts)
    assert counted["clicks"] <= 25, counted

    # The team was told along the way: the organizer of each submitted note, the rapporteur of
    # each approval and both of the publication.
    mail = delivered(app, smtp_server)
    subjects = [m["Subject"] for m in mail.get(ORGANIZER, [])]
    assert sum("Notes submitted for review" in s for s in subjects) == 4, subjects
    assert any("The memo is published" in s for s in subjects), subjects
    assert sum("Notes approved" in s for s in (m["Subject"] for m in mail.get(RAPPORTEUR, []))) == 4

    five = ended_workshop(runner, make_workshop, "memo-day-5", 5)
    more = report(5, *memo_in_a_day(new_context, five, 5))
    assert more["clicks"] <= counted["clicks"] + 2, (counted, more)
    assert more["fields"] == counted["fields"] + 1  # the fifth session's notes, nothing else
