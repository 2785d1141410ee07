"""The hostile corpus through the document form (title, description, file name) and the online
meeting fields: a field error or inert output on every page that shows them, never a 500."""

import pytest
import sqlalchemy as sa

from tests.support.agenda import add_item
from tests.support.documents import pdf
from tests.support.hostile import HOSTILE, Findings, as_bytes
from tests.support.registration import details, link_from_outbox, taking_registrations  # noqa: F401


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


def multipart(fields: dict, file: tuple[bytes, bytes] | None) -> tuple[bytes, str]:
    """A multipart body carrying every value byte for byte, the file name too (the test client
    would drop or re-encode some)."""
    boundary = b"----hostile-boundary-7f3a"
    parts = []
    for name, value in fields.items():
        parts.append(b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                     % (boundary, name.encode(), as_bytes(value)))
    if file is not None:
        filename, data = file
        parts.append(b'--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                     b"Content-Type: text/html\r\n\r\n%s\r\n" % (boundary, filename.replace(b'"', b"%22"), data))
    body = b"".join(parts) + b"--%s--\r\n" % boundary
    return body, f"multipart/form-data; boundary={boundary.decode()}"


def test_titles_descriptions_and_file_names(app, db, client, taking_registrations, login_as):
    from workshop.documents.models import Document
    from workshop.registration import service
    from workshop.workshops.models import WorkshopMember

    workshop = taking_registrations()
    item = add_item(workshop, title="Opening plenary")
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    db.session.commit()
    participant = link_from_outbox(db, "ama@example.org")
    from workshop.auth.models import User
    member = db.session.scalar(sa.select(WorkshopMember).where(WorkshopMember.workshop_id == workshop.id))
    login_as(db.session.get(User, member.user_id))
    slug = workshop.slug
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        for field in ("title", "description", "filename"):
            fields = {"title": f"Paper {n}", "description": "", "kind": "background_paper", "language": "en",
                      "visibility": "public" if n % 2 else "participants", "agenda_item_id": str(item.id)}
            filename = b"paper-%d.pdf" % n
            if field == "filename":
                filename = as_bytes(value)
            else:
                fields[field] = value
            body, content_type = multipart(fields, (filename, pdf()))
            before = db.session.scalar(sa.select(sa.func.count(Document.id)))
            response = findings.check(client.post(f"/manage/w/{slug}/documents/new", data=body,
                                                  content_type=content_type), label, value, f"upload ({field})")
            after = db.session.scalar(sa.select(sa.func.count(Document.id)))
            if response.status_code != 302:
                if after != before:
                    findings.append(f"{label!r} at upload ({field}): refused but stored")
                continue
            document = db.session.scalar(sa.select(Document).order_by(Document.id.desc()).limit(1))
            download = client.get(f"/manage/w/{slug}/documents/{document.id}/file")
            disposition = download.headers.get("Content-Disposition", "")
            if download.status_code != 200 or "\r" in disposition or "\n" in disposition:
                findings.append(f"{label!r} at download ({field}): {download.status_code} {disposition!r}")
    for page in (f"/manage/w/{slug}/documents", f"/w/{slug}/", f"/w/{slug}/agenda", f"/w/{slug}/documents",
                 participant):
        response = client.get(page)
        for label, value in HOSTILE.items():
            findings.check(response, label, value, page, allowed=(200,))
    assert client.get(f"/w/{slug}/agenda.json").status_code == 200
    assert findings == []


def test_online_meeting_fields(app, db, client, taking_registrations, login_as):
    from workshop.auth.models import User
    from workshop.registration import service
    from workshop.workshops.models import WorkshopMember

    workshop = taking_registrations()
    service.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    db.session.commit()
    participant = link_from_outbox(db, "ama@example.org")
    member = db.session.scalar(sa.select(WorkshopMember).where(WorkshopMember.workshop_id == workshop.id))
    login_as(db.session.get(User, member.user_id))
    findings = Findings()
    for label, value in HOSTILE.items():
        for link, access in ((value, "Passcode 1"), ("https://meet.example.org/j/1", value)):
            workshop.online_link, workshop.online_details = "", ""
            db.session.commit()
            body, content_type = multipart({"online_link": link, "online_details": access}, None)
            response = client.post(f"/manage/w/{workshop.slug}/edit", data=body, content_type=content_type)
            # The rest of the form is empty (title required): a field error, never a 500.
            findings.check(response, label, value, "workshop form", allowed=(302, 422))
            # Stored directly (as the CLI or a future form might), the participant page keeps it
            # inert. Invalid UTF-8, NUL (PostgreSQL refuses it in text) and a link past the
            # column's 500 characters never reach a row: the form refuses them above.
            if (isinstance(value, bytes) or any(c in value for c in "\ud800\udfff\x00")
                    or len(link) > 500):
                continue
            workshop.online_link, workshop.online_details = link, access
            db.session.commit()
            findings.check(client.get(participant), label, value, "participant page", allowed=(200,))
    assert findings == []
