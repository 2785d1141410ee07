"""A confirmed participant's briefing pack: built by the worker, read back with pypdf (pages,
bookmarks in agenda order, the name in the margin of every page of a confidential paper), rebuilt
when a document or the agenda changes, downloaded through their link only, attached to a message."""

from io import BytesIO

import pytest
import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter

from tests.support.agenda import add_item
from tests.support.documents import office, DOCX_PART
from tests.support.registration import details, link_from_outbox, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, delivered, smtp_server  # noqa: F401
from workshop.briefing.assemble import outline_titles
from workshop.briefing.models import BriefingPack

NAME = "Ama Mensah"


def paper(title: str, pages: int = 1) -> bytes:
    """A PDF of ``pages`` blank pages whose title is ``title`` (its pages hold no text, so any
    text found on them in the pack is the pack's own)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(workshop, title, data, *, item=None, visibility="participants", confidential=False,
           filename="paper.pdf", kind="background_paper"):
    from workshop.documents import service as documents

    return documents.upload(workshop, filename=filename, data=data, title=title, description="", language="en",
                            kind=kind, visibility=visibility, agenda_item_id=item.id if item else None,
                            confidential=confidential)


@pytest.fixture
def world(app, db, taking_registrations):
    """Two sessions added out of order (the later one first), papers on each and on the
    workshop, one confidential, one for the team only, one not a PDF; Ama confirmed, Li
    waitlisted."""
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    later = add_item(workshop, start="14:00", end="15:00", title="Afternoon: early warning")
    earlier = add_item(workshop, start="09:00", end="10:00", title="Morning: prevention")
    upload(workshop, "Confidential assessment", paper("Confidential assessment", pages=3), item=later,
           confidential=True)
    upload(workshop, "Morning background", paper("Morning background", pages=2), item=earlier, visibility="public")
    upload(workshop, "Concept note", paper("Concept note"), visibility="public", kind="concept_note")
    upload(workshop, "Team notes", paper("Team notes"), visibility="team")
    upload(workshop, "Figures sheet", office(DOCX_PART), item=earlier, filename="figures.docx")
    service.register(workshop, details(email="ama@example.org", name=NAME))
    service.register(workshop, details(email="li@example.org", name="Li Wei"))
    db.session.commit()
    return workshop, earlier, later, link_from_outbox(db, "ama@example.org"), link_from_outbox(db, "li@example.org")


def build(app):
    from workshop.briefing.commands import build_due_packs

    return build_due_packs(limit=50)


def pack_pdf(client, link) -> PdfReader:
    response = client.get(f"{link}/briefing-pack.pdf")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    return PdfReader(BytesIO(response.data)), response.data


def test_before_the_worker_has_built_it_the_participant_is_told_it_is_being_prepared(client, world):
    workshop, _, _, link, _ = world
    page = client.get(link).get_data(as_text=True)
    assert "Your briefing pack is being prepared" in page
    response = client.get(f"{link}/briefing-pack.pdf")
    assert response.status_code == 202
    assert "being prepared" in response.get_data(as_text=True)


def test_the_worker_builds_a_pack_with_cover_agenda_and_papers_in_agenda_order(app, client, world):
    workshop, earlier, later, link, _ = world
    deliver_outbox(app)  # `flask worker --once`: the round job builds the packs that are due
    page = client.get(link).get_data(as_text=True)
    assert "Download my briefing pack" in page and "being prepared" not in page
    reader, data = pack_pdf(client, link)
    cover = reader.pages[0].extract_text()
    assert NAME in cover and workshop.title in cover
    assert "Figures sheet" in cover  # not a PDF: named on the cover, to download from the page
    assert "Team notes" not in cover
    agenda = reader.pages[1].extract_text()
    assert "Morning: prevention" in agenda and "Afternoon: early warning" in agenda
    # cover 1 + agenda 1 + concept note 1 + morning 2 + confidential 3
    assert len(reader.pages) == 8
    assert outline_titles(data) == [
        (0, "Cover"), (0, "Agenda"), (0, "Concept note"),
        (0, "Morning: prevention"), (1, "Morning background"),
        (0, "Afternoon: early warning"), (1, "Confidential assessment"),
    ]
    starts = {item.title: reader.get_destination_page_number(item) for item in
              [entry for entry in reader.outline if not isinstance(entry, list)]}
    assert starts["Concept note"] == 2 and starts["Morning: prevention"] == 3 and starts["Afternoon: early warning"] == 5


def test_every_page_of_a_confidential_paper_carries_the_name_in_its_margin_and_no_other_does(app, client, world):
    deliver_outbox(app)
    _, _, _, link, _ = world
    reader, _ = pack_pdf(client, link)
    texts = [page.extract_text() for page in reader.pages]
    for text in texts[5:8]:  # the confidential assessment's three pages
        assert f"prepared for {NAME}" in text and "Confidential" in text
    for text in texts[2:5]:  # concept note and morning background: blank, unstamped
        assert text.strip() == ""
    # The name sits in the bottom margin: below 20 pt from the page's edge.
    found = []

    def visitor(text, cm, tm, font, size):
        if NAME in text or "prepared for" in text:
            found.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])  # the text's y on the page

    reader.pages[6].extract_text(visitor_text=visitor)
    assert found and all(0 < y < 20 for y in found)


def test_a_new_document_makes_the_pack_due_the_old_one_is_served_until_the_worker_rebuilds(app, client, db, world):
    workshop, earlier, _, link, _ = world
    build(app)
    _, before = pack_pdf(client, link)
    upload(workshop, "Late addition", paper("Late addition"), item=earlier, visibility="public")
    db.session.commit()
    page = client.get(link).get_data(as_text=True)
    assert "an updated pack is being prepared" in page
    assert pack_pdf(client, link)[1] == before  # the previous pack until the new one is built
    assert build(app) == 1
    reader, after = pack_pdf(client, link)
    assert len(reader.pages) == 9
    assert (1, "Late addition") in outline_titles(after)
    assert "an updated pack is being prepared" not in client.get(link).get_data(as_text=True)
    assert build(app) == 0  # nothing is due any more


@pytest.mark.parametrize("withdraw", ["removed", "team only", "made confidential"])
def test_a_withdrawn_paper_is_not_handed_out_in_the_previous_pack(app, client, db, world, withdraw):
    """Removing a paper, keeping it for the team or marking it confidential takes the stored
    packs away at once: until the worker rebuilds (for good, where no worker runs) the old pack
    would still hand the paper out as it was."""
    from workshop.documents import service as documents
    from workshop.documents.models import Document

    workshop, earlier, _, link, _ = world
    build(app)
    assert (1, "Morning background") in outline_titles(pack_pdf(client, link)[1])
    morning = db.session.scalar(sa.select(Document).where(Document.title == "Morning background"))
    if withdraw == "removed":
        documents.remove(morning)
    else:
        documents.update(morning, workshop=workshop, title=morning.title, description="", language="en",
                         kind=morning.kind, agenda_item_id=earlier.id,
                         visibility="team" if withdraw == "team only" else morning.visibility,
                         confidential=withdraw == "made confidential")
    db.session.commit()
    response = client.get(f"{link}/briefing-pack.pdf")
    assert response.status_code == 202 and "being prepared" in response.get_data(as_text=True)
    assert build(app) == 1
    reader, after = pack_pdf(client, link)
    if withdraw == "made confidential":
        texts = [page.extract_text() for page in reader.pages]
        assert sum(f"prepared for {NAME}" in text for text in texts) == 5  # its two pages stamped now
    else:
        assert "Morning background" not in [title for _level, title in outline_titles(after)]


def test_a_renamed_paper_keeps_the_previous_pack_until_the_worker_rebuilds(app, client, db, world):
    from workshop.documents import service as documents
    from workshop.documents.models import Document

    workshop, earlier, _, link, _ = world
    build(app)
    _, before = pack_pdf(client, link)
    morning = db.session.scalar(sa.select(Document).where(Document.title == "Morning background"))
    documents.update(morning, workshop=workshop, title="Morning reading", description="", language="en",
                     kind=morning.kind, agenda_item_id=earlier.id, visibility=morning.visibility,
                     confidential=False)
    db.session.commit()
    assert pack_pdf(client, link)[1] == before


def test_an_agenda_change_and_a_corrected_name_make_the_pack_due(app, client, db, world):
    from workshop.agenda import service as agenda
    from workshop.registration.models import Registration

    workshop, earlier, _, link, _ = world
    build(app)
    agenda.update_item(earlier, title="Morning: prevention and response")
    db.session.commit()
    assert build(app) == 1
    assert (0, "Morning: prevention and response") in outline_titles(pack_pdf(client, link)[1])
    ama = db.session.scalar(sa.select(Registration).where(Registration.email == "ama@example.org"))
    ama.name = "Ama K. Mensah"
    db.session.commit()
    assert build(app) == 1
    reader, _ = pack_pdf(client, link)
    assert "Ama K. Mensah" in reader.pages[0].extract_text()
    assert "prepared for Ama K. Mensah" in reader.pages[-1].extract_text()


def test_a_change_while_a_build_runs_is_not_lost(app, db, world):
    """The build stores what it read at its start; a raise in between leaves the pack due."""
    from workshop.briefing import service

    workshop = world[0]
    build(app)
    pack = db.session.scalar(sa.select(BriefingPack))
    original = service.render_pack

    def render_then_change(registration):
        result = original(registration)
        service.mark_workshop(workshop_id=workshop.id)  # as another request would, meanwhile
        return result

    service.render_pack = render_then_change
    try:
        service.mark_workshop(workshop_id=workshop.id)
        service.build_briefing_pack(pack.registration_id)
        db.session.commit()
    finally:
        service.render_pack = original
    db.session.refresh(pack)
    assert pack.built < pack.wanted
    assert build(app) == 1


def test_others_get_404_and_a_seat_given_up_takes_the_pack_away(app, client, db, world):
    from workshop.registration import service as registration
    from workshop.registration.models import Registration

    workshop, _, _, link, waitlisted = world
    build(app)
    assert client.get(f"{waitlisted}/briefing-pack.pdf").status_code == 404
    assert "briefing pack" not in client.get(waitlisted).get_data(as_text=True).lower()
    assert client.get("/registrations/not-a-real-token/briefing-pack.pdf").status_code == 404
    ama = db.session.scalar(sa.select(Registration).where(Registration.email == "ama@example.org"))
    registration.withdraw(ama, reason="")
    db.session.commit()
    assert client.get(f"{link}/briefing-pack.pdf").status_code == 404
    assert db.session.scalar(sa.select(BriefingPack).where(BriefingPack.registration_id == ama.id)) is None


def test_a_broken_or_encrypted_pdf_is_left_out_and_named_on_the_cover(app, client, db, world):
    workshop, earlier, _, link, _ = world
    locked = PdfWriter()
    locked.add_blank_page(width=595, height=842)
    locked.encrypt("secret")
    out = BytesIO()
    locked.write(out)
    upload(workshop, "Locked paper", out.getvalue(), item=earlier)
    upload(workshop, "Broken paper", b"%PDF-1.7\n" + b"\x00garbage" * 200, item=earlier)
    db.session.commit()
    build(app)
    reader, data = pack_pdf(client, link)
    cover = reader.pages[0].extract_text()
    assert "Locked paper" in cover and "Broken paper" in cover
    titles = [title for _, title in outline_titles(data)]
    assert "Locked paper" not in titles and "Broken paper" not in titles
    assert len(reader.pages) == 8


def test_a_failing_build_is_recorded_and_tried_again_later(app, db, world, monkeypatch):
    from workshop.briefing import service

    def fail(registration):
        raise RuntimeError("renderer fell over")

    monkeypatch.setattr(service, "render_pack", fail)
    assert build(app) == 0
    pack = db.session.scalar(sa.select(BriefingPack))
    assert "renderer fell over" in pack.last_error and pack.locked_until is not None
    monkeypatch.undo()
    assert build(app) == 0  # waits for its retry time
    pack.locked_until = None
    db.session.commit()
    assert build(app) == 1


def test_an_organizer_attaches_each_recipients_briefing_pack_to_a_message(app, client, db, world, smtp_server):
    from tests.conftest import login
    from workshop.auth.models import User
    from workshop.workshops.models import Role, WorkshopMember

    workshop = world[0]
    app.config["MAIL_URL"] = smtp_server.url
    delivered(app, smtp_server)  # the registration mail, out of the way
    user = db.session.get(User, db.session.scalar(sa.select(WorkshopMember.user_id).where(
        WorkshopMember.workshop_id == workshop.id, WorkshopMember.role == Role.ORGANIZER)))
    login(client, user)
    page = client.get(f"/manage/w/{workshop.slug}/messages/new").get_data(as_text=True)
    assert "Attach each recipient" in page
    response = client.post(f"/manage/w/{workshop.slug}/messages/new", data={
        "audience": "registrants", "states": ["confirmed", "waitlisted"],
        "category": "None", "country": "", "subject": "Your papers", "body": "Dear {first_name}, see attached.",
        "key": "b" * 24, "briefing_pack": "y", "send": "Send"})
    assert response.status_code == 302, response.get_data(as_text=True)
    mail = delivered(app, smtp_server)  # no pack was built yet: the worker builds it to attach it
    [to_ama] = mail["ama@example.org"]
    [attachment] = [part for part in to_ama.iter_attachments()]
    assert attachment.get_filename() == f"{workshop.slug}-briefing-pack.pdf"
    reader = PdfReader(BytesIO(attachment.get_content()))
    assert NAME in reader.pages[0].extract_text() and len(reader.pages) == 8
    [to_li] = mail["li@example.org"]  # waitlisted: the message, without a pack
    assert list(to_li.iter_attachments()) == []


def test_without_the_box_ticked_no_pack_is_attached(app, db, world, smtp_server):
    from workshop.messages import service as messages

    workshop = world[0]
    app.config["MAIL_URL"] = smtp_server.url
    delivered(app, smtp_server)
    messages.send(workshop, by=None, subject="Hello", body="Hello {first_name}",
                  audience=messages.Audience(states=("confirmed",)), audience_label="", key="c" * 24)
    db.session.commit()
    [to_ama] = delivered(app, smtp_server)["ama@example.org"]
    assert list(to_ama.iter_attachments()) == []


def test_the_command_builds_every_due_pack_at_once(app, client, db, world, runner):
    workshop, _, _, link, _ = world
    result = runner.invoke(args=["build-briefing-packs"])
    assert result.exit_code == 0 and "1 briefing pack(s) built." in result.output
    assert pack_pdf(client, link)[0].pages[0].extract_text().count(NAME) >= 1
    assert "0 briefing pack(s) built." in runner.invoke(args=["build-briefing-packs"]).output


def test_a_confirmation_is_delivered_while_a_slow_pack_is_still_being_built(app, db, world, smtp_server,
                                                                            monkeypatch):
    """Ama's confirmation and her pack are both due when the worker runs. Her pack's build is
    held by the test until her confirmation has reached the SMTP server (or a minute has gone):
    a worker that built packs before delivering would sit in the build and never send it."""
    import threading
    import time

    from workshop.briefing import service as briefing

    app.config["MAIL_URL"] = smtp_server.url
    started, release = threading.Event(), threading.Event()
    seen_when_built: list[tuple[str, ...]] = []
    real_render = briefing.render_pack

    def slow_render(registration):
        started.set()
        release.wait(timeout=60)
        content = real_render(registration)
        seen_when_built.extend(item.rcpt_tos for item in smtp_server.received)
        return content

    monkeypatch.setattr(briefing, "render_pack", slow_render)
    worker = threading.Thread(target=deliver_outbox, args=(app,))
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while not any("ama@example.org" in item.rcpt_tos for item in smtp_server.received):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
    finally:
        release.set()
        worker.join(timeout=300)
    assert not worker.is_alive()
    assert started.is_set(), "the same worker run builds the pack, after the mail"
    assert ("ama@example.org",) in seen_when_built, "the confirmation went out before the pack was done"
    [confirmation] = [m for m in smtp_server.messages if m["To"].addresses[0].addr_spec == "ama@example.org"]
    assert "/registrations/" in confirmation.get_body(("plain",)).get_content()
    pack = db.session.scalar(sa.select(BriefingPack))
    db.session.refresh(pack)
    assert pack.has_file and pack.built == pack.wanted


def test_the_worker_builds_one_pack_per_run_and_a_failed_one_waits_before_it_is_tried_again(
        app, db, world, taking_registrations, monkeypatch):
    from workshop.briefing import service as briefing
    from workshop.registration import service

    other = taking_registrations(capacity=5)
    service.register(other, details(email="kofi@example.org", name="Kofi Boateng"))
    db.session.commit()
    assert deliver_outbox(app).long_work == 1
    assert deliver_outbox(app).long_work == 1
    assert deliver_outbox(app).long_work == 0  # both built: nothing left

    calls = []

    def broken(registration):
        calls.append(registration.id)
        raise RuntimeError("a paper trips the parser")

    monkeypatch.setattr(briefing, "render_pack", broken)
    briefing.mark_workshop(workshop_id=other.id)
    db.session.commit()
    for _ in range(3):
        deliver_outbox(app)
    assert len(calls) == 1  # recorded on the pack and left for RETRY_AFTER, not retried each round
    assert "trips the parser" in db.session.scalar(
        sa.select(BriefingPack.last_error).where(BriefingPack.workshop_id == other.id))


def test_the_retention_purge_takes_the_pack_with_the_name_on_it(app, client, db, world):
    from datetime import date, timedelta

    from workshop.registration import retention
    from workshop.registration import service as registrations

    workshop, _, _, link, _ = world
    build(app)
    assert db.session.scalar(sa.select(sa.func.count(BriefingPack.id))) == 1
    registrations.settings_for(workshop).retention_days = 0
    workshop.start_date = workshop.end_date = date.today() - timedelta(days=2)
    db.session.commit()
    with app.test_request_context():
        assert retention.purge_expired()
        db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(BriefingPack.id))) == 0
    assert client.get(f"{link}/briefing-pack.pdf").status_code in (404, 410)
