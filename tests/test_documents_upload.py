"""Organizers upload, replace and remove documents; the type is read from the bytes, and a
refused file leaves nothing behind."""

import hashlib

import pytest
import sqlalchemy as sa

from tests.support.agenda import add_item
from tests.support.documents import office, pdf, samples, upload_data, DOCX_PART

SAMPLES = samples()


@pytest.fixture
def organizer_workshop(app, db, make_user, make_workshop, login_as):
    organizer = make_user(can_create_workshops=True)
    workshop = make_workshop(organizer)
    login_as(organizer)
    return workshop


def stored(db):
    from workshop.documents.models import Document

    return list(db.session.scalars(sa.select(Document).order_by(Document.id)))


@pytest.mark.parametrize("label", list(SAMPLES))
def test_each_accepted_type_is_stored_and_served_as_the_type_its_bytes_say(client, db, organizer_workshop, label):
    filename, data, mimetype = SAMPLES[label]
    # The browser's claim is ignored: everything is sent as text/html here.
    response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/new",
                           data=upload_data(data, filename), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    [document] = stored(db)
    assert (document.mimetype, document.size, document.filename) == (mimetype, len(data), filename)
    download = client.get(f"/w/{organizer_workshop.slug}/documents/{document.id}/{filename}")
    assert download.status_code == 200
    assert download.data == data
    assert download.mimetype == mimetype
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]  # never a page of this site
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    again = client.get(f"/w/{organizer_workshop.slug}/documents/{document.id}/{filename}",
                       headers={"If-None-Match": download.headers["ETag"]})
    assert again.status_code == 304


def test_the_original_name_is_kept_and_sent_with_rfc_5987(client, db, organizer_workshop):
    name = "Note conceptuelle – réunion « R2P ».pdf"
    client.post(f"/manage/w/{organizer_workshop.slug}/documents/new", data=upload_data(pdf(), name),
                content_type="multipart/form-data")
    [document] = stored(db)
    assert document.filename == name
    disposition = client.get(f"/manage/w/{organizer_workshop.slug}/documents/{document.id}/file").headers[
        "Content-Disposition"]
    assert "filename*=UTF-8''Note%20conceptuelle%20%E2%80%93%20r%C3%A9union" in disposition
    assert "\n" not in disposition and "\r" not in disposition


HTML = b"<!doctype html><html><script>alert(1)</script></html>"


@pytest.mark.parametrize("filename,data,words", [
    ("page.pdf", HTML, "not one of the accepted types"),
    ("empty.pdf", b"", "The file is empty"),
    ("fake.docx", b"PK\x03\x04 not really a zip", "not one of the accepted types"),
    ("archive.docx", office("application/zip"), "not one of the accepted types"),
    ("script.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "not one of the accepted types"),
    ("../../etc/passwd.pdf", pdf(), "must not contain a folder"),
    ("gpj.\u202efdp", pdf(), "invisible control characters"),
    ("x" * 300 + ".pdf", pdf(), "longer than 200 characters"),
])
def test_a_refused_file_gets_words_and_nothing_is_stored(client, db, organizer_workshop, filename, data, words):
    response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/new",
                           data=upload_data(data, filename), content_type="multipart/form-data")
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert stored(db) == []


def test_a_form_without_a_file_is_refused_in_words(client, db, organizer_workshop):
    data = upload_data(b"", "x.pdf")
    del data["file"]
    response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/new", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose the file to upload." in response.get_data(as_text=True)
    assert stored(db) == []


class TestSizeLimit:
    @pytest.fixture
    def app_config(self, app_config):
        # Over the app-wide request limit (4 MB), so the upload route's own limit is what lets it in.
        return {**app_config, "DOCUMENT_MAX_BYTES": 5 * 1024 * 1024}

    def test_a_file_over_the_app_wide_request_limit_but_within_the_document_limit_is_stored(
            self, client, db, organizer_workshop):
        data = pdf() + b"%" + b"0" * (4 * 1024 * 1024 + 10)
        response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/new",
                               data=upload_data(data, "big.pdf"), content_type="multipart/form-data")
        assert response.status_code == 302
        assert stored(db)[0].size == len(data)

    def test_a_file_over_the_document_limit_is_refused_in_words(self, client, db, organizer_workshop):
        data = pdf() + b"%" + b"0" * (5 * 1024 * 1024)
        response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/new",
                               data=upload_data(data, "huge.pdf"), content_type="multipart/form-data")
        assert response.status_code == 422
        assert "larger than 5 MB" in response.get_data(as_text=True)
        assert stored(db) == []

    def test_far_over_the_limit_the_request_itself_is_refused_in_words(self, client, db, organizer_workshop):
        data = pdf() + b"%" + b"0" * (6 * 1024 * 1024)
        response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/new",
                               data=upload_data(data, "huge.pdf"), content_type="multipart/form-data")
        assert response.status_code == 413
        assert "larger than this site accepts" in response.get_data(as_text=True)
        assert stored(db) == []

    def test_other_routes_keep_the_app_wide_limit(self, client, organizer_workshop):
        response = client.post(f"/manage/w/{organizer_workshop.slug}/edit",
                               data={"title": "x" * (4 * 1024 * 1024 + 10)})
        assert response.status_code == 413


def test_replacing_keeps_the_old_version_listed_as_superseded(client, db, organizer_workshop):
    slug = organizer_workshop.slug
    client.post(f"/manage/w/{slug}/documents/new", data=upload_data(pdf("first"), "v1.pdf"),
                content_type="multipart/form-data")
    [first] = stored(db)
    response = client.post(f"/manage/w/{slug}/documents/{first.id}/replace",
                           data={"file": (__import__("io").BytesIO(office(DOCX_PART)), "v2.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    old, new = stored(db)
    assert old.superseded_by_id == new.id and new.is_current
    assert (new.title, new.visibility, new.filename) == (old.title, old.visibility, "v2.docx")
    page = client.get(f"/manage/w/{slug}/documents").get_data(as_text=True)
    assert "v1.pdf" in page and "v2.docx" in page and "Superseded" in page
    log = client.get(f"/manage/w/{slug}/audit").get_data(as_text=True)
    assert "Document uploaded" in log and "Document replaced by a new version" in log
    # The public sees the current version only; the team may still fetch the old one.
    assert client.get(f"/w/{slug}/documents/{old.id}/v1.pdf").status_code == 404
    assert client.get(f"/w/{slug}/documents/{new.id}/v2.docx").status_code == 200
    assert client.get(f"/manage/w/{slug}/documents/{old.id}/file").status_code == 200
    # A superseded version cannot be replaced again.
    assert client.post(f"/manage/w/{slug}/documents/{old.id}/replace",
                       data={"file": (__import__("io").BytesIO(pdf()), "v3.pdf")},
                       content_type="multipart/form-data").status_code == 404


def test_a_refused_replacement_keeps_the_current_version(client, db, organizer_workshop):
    slug = organizer_workshop.slug
    client.post(f"/manage/w/{slug}/documents/new", data=upload_data(pdf(), "v1.pdf"),
                content_type="multipart/form-data")
    [first] = stored(db)
    response = client.post(f"/manage/w/{slug}/documents/{first.id}/replace",
                           data={"file": (__import__("io").BytesIO(HTML), "v2.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    db.session.expire_all()
    assert [(d.filename, d.is_current) for d in stored(db)] == [("v1.pdf", True)]


def test_removing_removes_every_version(client, db, organizer_workshop):
    from workshop.documents import service

    slug = organizer_workshop.slug
    first = service.upload(organizer_workshop, filename="a.pdf", data=pdf(), title="Paper", description="",
                           language="en", kind="other", visibility="public", agenda_item_id=None)
    service.replace(first, filename="b.pdf", data=pdf("b"), by=None)
    db.session.commit()
    current = [d for d in stored(db) if d.is_current][0]
    assert client.post(f"/manage/w/{slug}/documents/{current.id}/remove").status_code == 302
    db.session.expire_all()
    assert stored(db) == []


def test_a_document_on_a_session_of_another_workshop_is_refused(client, db, organizer_workshop, make_workshop):
    elsewhere = add_item(make_workshop(), title="Someone else's session")
    response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/new",
                           data=upload_data(pdf(), "a.pdf", agenda_item_id=str(elsewhere.id)),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert stored(db) == []


def test_editing_changes_every_version(client, db, organizer_workshop):
    from workshop.documents import service

    item = add_item(organizer_workshop, title="Opening plenary")
    first = service.upload(organizer_workshop, filename="a.pdf", data=pdf(), title="Paper", description="",
                           language="en", kind="other", visibility="public", agenda_item_id=None)
    newer = service.replace(first, filename="b.pdf", data=pdf("b"))
    db.session.commit()
    data = upload_data(b"", "", title="Renamed paper", visibility="team", agenda_item_id=str(item.id),
                       language="fr")
    del data["file"]
    response = client.post(f"/manage/w/{organizer_workshop.slug}/documents/{newer.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert {(d.title, d.visibility, d.agenda_item_id, d.language) for d in stored(db)} == {
        ("Renamed paper", "team", item.id, "fr")}


@pytest.mark.parametrize("name", ["C:\\Users\\paper.pdf", "..", "a/b.pdf", " ", "tab\there.pdf", "nul\x00.pdf",
                                  "paper\r\nSet-Cookie: x=1.pdf"])
def test_names_with_folders_or_control_characters_are_refused(name):
    # The test client drops backslashes and line breaks from multipart names: checked here.
    from workshop.documents.files import checked_name
    from workshop.platform.errors import UserError

    with pytest.raises(UserError):
        checked_name(name)


def test_plain_names_in_any_script_are_kept():
    from workshop.documents.files import checked_name

    for name in ("مذكرة مفاهيمية.pdf", "概念说明.docx", "Концепция.odt", "note (v2) – final.pdf"):
        assert checked_name(name) == name
