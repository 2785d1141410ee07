"""A composed message carries the workshop's documents: small files attached to each mail, the
others linked (public ones by their public address, those for participants through each
recipient's own link), as the real SMTP server receives them; documents for participants never
go to anyone but confirmed registrants."""

import re

import pytest
import sqlalchemy as sa

from tests.support.documents import pdf
from tests.support.registration import details, taking_registrations  # noqa: F401
from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401
from workshop.messages import attachments
from workshop.messages.models import ComposedMessage
from workshop.platform.mail.models import OutboxMessage

LINK = re.compile(r"http://workshop\.test(/\S+\.pdf)")


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


@pytest.fixture
def workshop(taking_registrations, make_user, db, client):
    from tests.conftest import login
    from workshop.auth.models import User
    from workshop.documents import service as documents
    from workshop.registration import service as registration
    from workshop.workshops.models import Role, WorkshopMember

    workshop = taking_registrations()
    registration.register(workshop, {**details(name="Ama Mensah"), "email": "ama@example.org"})
    registration.register(workshop, {**details(name="Bo Lindqvist"), "email": "bo@example.org"})
    common = dict(description="", language="en", kind="background_paper", agenda_item_id=None)
    workshop.concept = documents.upload(workshop, filename="concept.pdf", data=pdf("Concept note"),
                                        title="Concept note", visibility="public", **common)
    workshop.briefing = documents.upload(workshop, filename="briefing.pdf", data=pdf("Briefing for participants"),
                                         title="Briefing for participants", visibility="participants", **common)
    workshop.internal = documents.upload(workshop, filename="internal.pdf", data=pdf("Team notes"),
                                         title="Team notes", visibility="team", **common)
    db.session.commit()
    user_id = db.session.scalar(sa.select(WorkshopMember.user_id).where(
        WorkshopMember.workshop_id == workshop.id, WorkshopMember.role == Role.ORGANIZER))
    login(client, db.session.get(User, user_id))
    return workshop


def _form(workshop, documents, how="attach", **overrides):
    return {"audience": "registrants", "states": ["confirmed"], "category": "None", "country": "",
            "subject": "Reading for {workshop_title}", "body": "Dear {first_name}, please read these.",
            "key": f"documents-key-{how}-{'-'.join(map(str, documents))}-0000", "documents": [str(d) for d in documents],
            "document_delivery": how, "send": "Send", **overrides}


def _mail(smtp_server, address):
    [received] = [r.message for r in smtp_server.received
                  if address in r.rcpt_tos and str(r.message["Subject"]).startswith("Reading for")]
    return received


def _files(message):
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_the_compose_form_offers_the_documents_a_group_may_get_and_never_team_only_ones(client, workshop):
    page = client.get(f"/manage/w/{workshop.slug}/messages/new").get_data(as_text=True)
    assert "Concept note" in page and "Briefing for participants" in page
    assert "Team notes" not in page


def test_small_documents_are_attached_to_each_mail(app, client, workshop, smtp_server):
    response = client.post(f"/manage/w/{workshop.slug}/messages/new",
                           data=_form(workshop, [workshop.concept.id, workshop.briefing.id]))
    assert response.status_code == 302
    deliver_outbox(app)
    for address in ("ama@example.org", "bo@example.org"):
        files = _files(_mail(smtp_server, address))
        assert files == {"concept.pdf": pdf("Concept note"), "briefing.pdf": pdf("Briefing for participants")}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Concept note (attached)" in page


def test_large_documents_are_linked_and_each_link_opens_the_file(app, client, workshop, smtp_server, monkeypatch):
    monkeypatch.setattr(attachments, "ATTACH_MAX_BYTES", 10)  # every test file is "large"
    assert client.post(f"/manage/w/{workshop.slug}/messages/new",
                       data=_form(workshop, [workshop.concept.id, workshop.briefing.id])).status_code == 302
    deliver_outbox(app)
    ama, bo = _mail(smtp_server, "ama@example.org"), _mail(smtp_server, "bo@example.org")
    assert _files(ama) == {}
    text = ama.get_body(preferencelist=("plain",)).get_content()
    links = LINK.findall(text)
    assert links[0] == f"/w/{workshop.slug}/documents/{workshop.concept.id}/concept.pdf"
    assert links[1].startswith("/registrations/") and links[1].endswith(f"/documents/{workshop.briefing.id}/briefing.pdf")
    html = ama.get_body(preferencelist=("html",)).get_content()
    assert f'href="http://workshop.test{links[1]}"' in html
    client.get("/logout")
    for link in links:
        response = client.get(link)
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    # Each recipient's link to the participants' document is their own.
    assert LINK.findall(bo.get_body(preferencelist=("plain",)).get_content())[1] != links[1]


def test_linking_them_all_attaches_nothing(app, client, workshop, smtp_server):
    assert client.post(f"/manage/w/{workshop.slug}/messages/new",
                       data=_form(workshop, [workshop.concept.id], how="link")).status_code == 302
    deliver_outbox(app)
    message = _mail(smtp_server, "ama@example.org")
    assert _files(message) == {}
    assert "Concept note: http://workshop.test/w/" in message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize("audience", [{"audience": "invitees"}, {"states": ["confirmed", "waitlisted"]}])
def test_documents_for_participants_go_only_to_confirmed_registrants(db, client, workshop, audience):
    from workshop.people.models import Contact
    from workshop.registration import invitations

    contact = Contact(name="Eve Quiet", email="eve@example.org")
    db.session.add(contact)
    db.session.flush()
    invitations.invite(workshop, contact)
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    response = client.post(f"/manage/w/{workshop.slug}/messages/new",
                           data=_form(workshop, [workshop.briefing.id], **audience))
    assert response.status_code == 422
    assert "Documents for confirmed participants go only to confirmed registrants" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ComposedMessage)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before


def test_a_team_only_document_id_slipped_into_the_form_is_refused(db, client, workshop):
    response = client.post(f"/manage/w/{workshop.slug}/messages/new", data=_form(workshop, [workshop.internal.id]))
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ComposedMessage)) == 0


def test_too_much_to_attach_together_is_a_field_error(db, client, workshop, monkeypatch):
    monkeypatch.setattr(attachments, "ATTACH_TOTAL_BYTES", 10)
    response = client.post(f"/manage/w/{workshop.slug}/messages/new", data=_form(workshop, [workshop.concept.id]))
    assert response.status_code == 422 and "send them as links" in response.get_data(as_text=True)


def test_a_document_removed_before_the_worker_writes_the_mail_is_left_out(app, db, client, workshop, smtp_server):
    from workshop.documents import service as documents

    assert client.post(f"/manage/w/{workshop.slug}/messages/new",
                       data=_form(workshop, [workshop.concept.id, workshop.briefing.id])).status_code == 302
    documents.remove(workshop.concept)
    db.session.commit()
    report = deliver_outbox(app)
    assert report.sent == 4 and report.failed == 0  # the two confirmations and the two messages
    assert set(_files(_mail(smtp_server, "ama@example.org"))) == {"briefing.pdf"}


def test_hostile_values_for_the_document_fields_are_refused_in_words(client, workshop):
    from tests.support.hostile import HOSTILE, Findings, form_body

    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        for name in ("documents", "document_delivery"):
            fields = {**_form(workshop, [workshop.concept.id]), name: value, "key": f"hostile-documents-{n:04d}-{name}"}
            fields["states"] = "confirmed"
            if name == "document_delivery":
                fields["documents"] = str(workshop.concept.id)
            findings.check(client.post(f"/manage/w/{workshop.slug}/messages/new", data=form_body(fields),
                                       content_type="application/x-www-form-urlencoded"), label, value,
                           f"message {name}", allowed=(302, 422))
    assert findings == []


# The preview and the test carry what a recipient gets ---------------------------------------


def test_the_preview_lists_the_documents_under_the_body_and_sends_nothing(db, client, workshop, monkeypatch):
    # The concept note is small, the briefing "large": one attached, one linked.
    monkeypatch.setattr(attachments, "ATTACH_MAX_BYTES", workshop.concept.size)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    big = max(workshop.briefing.size, workshop.concept.size + 1)
    workshop.briefing.size = big
    db.session.commit()
    response = client.post(f"/manage/w/{workshop.slug}/messages/new",
                           data=_form(workshop, [workshop.concept.id, workshop.briefing.id], send="",
                                      preview="Preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    listed = page[page.index('class="preview-body"'):]
    assert "Documents with this message" in listed
    items = re.findall(r'<li><span class="preview-document-title">([^<]+)</span>\s*<span class="muted">\(([^)]+)\)</span> ·\s*(\w+)</li>',
                       listed)
    assert [(title, how) for title, _size, how in items] == [("Concept note", "attached"),
                                                             ("Briefing for participants", "linked")]
    assert items[0][1].startswith("concept.pdf, ") and items[0][1].endswith(("Bytes", "kB"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before


def _comparable(message):
    """A message with what is its reader's own taken out: the personal links (their token, or the
    test's sample that opens nothing) and the "[Test]" mark."""
    token = re.compile(r"/(registrations|invitations)/[A-Za-z0-9_-]+")
    text = token.sub(r"/\1/TOKEN", message.get_body(preferencelist=("plain",)).get_content())
    # The HTML's <title> is the subject, so it has the mark too.
    html = token.sub(r"/\1/TOKEN", message.get_body(preferencelist=("html",)).get_content()).replace(
        "<title>[Test] ", "<title>")
    subject = str(message["Subject"]).removeprefix("[Test] ")
    files = [(part.get_filename(), part.get_content_type(), part.get_content()) for part in message.iter_attachments()]
    return {"subject": subject, "text": text, "html": html, "files": files, "reply_to": message["Reply-To"]}


@pytest.mark.parametrize("how", ["attach", "link"])
def test_the_test_mail_is_what_a_recipient_gets_apart_from_the_recipient(app, db, client, workshop, smtp_server,
                                                                         monkeypatch, how):
    from workshop.auth.models import User
    from workshop.workshops import service as workshops

    workshops.update_workshop(workshop, contact_email="team@example.org")
    db.session.commit()
    # The concept note goes attached, the briefing (for participants) linked, when attaching.
    monkeypatch.setattr(attachments, "ATTACH_MAX_BYTES", workshop.concept.size)
    workshop.briefing.size = workshop.concept.size + 1
    db.session.commit()
    organizer = db.session.scalar(sa.select(User).where(User.email.notin_(["ama@example.org", "bo@example.org"])))
    ama = re.search(r'value="(registration-\d+)">Ama Mensah',
                    client.post(f"/manage/w/{workshop.slug}/messages/new",
                                data=_form(workshop, [], send="", preview="Preview")).get_data(as_text=True)).group(1)
    form = _form(workshop, [workshop.concept.id, workshop.briefing.id], how=how,
                 body="Dear {first_name}, please read these before [your visit]({self_service_link}).")
    deliver_outbox(app)  # the registrations' own mail, out of the way
    assert client.post(f"/manage/w/{workshop.slug}/messages/new",
                       data={**form, "send": "", "test": "Send a test to me", "preview_as": ama}).status_code == 200
    assert client.post(f"/manage/w/{workshop.slug}/messages/new", data=form).status_code == 302
    deliver_outbox(app)
    [test] = [r.message for r in smtp_server.received if organizer.email in r.rcpt_tos]
    real = _mail(smtp_server, "ama@example.org")
    assert str(test["Subject"]).startswith("[Test] ")
    assert test["To"] == organizer.email and real["To"] == "ama@example.org"
    assert _comparable(test) == _comparable(real)
    files = [name for name, _type, _data in _comparable(real)["files"]]
    assert files == (["concept.pdf"] if how == "attach" else [])
    text = _comparable(real)["text"]
    assert "Briefing for participants: http://workshop.test/registrations/TOKEN/documents/" in text
    # The test's link to the participants' document is the sample: it opens nothing.
    link = re.search(r"http://workshop\.test(/registrations/[^/]+/documents/\S+)",
                     test.get_body(preferencelist=("plain",)).get_content()).group(1)
    client.get("/logout")
    assert client.get(link).status_code == 404
