"""The hostile corpus through what feeds a briefing pack (document titles, a participant's name)
and through the two new boxes (a document's "confidential", compose's "attach the pack")."""

import pytest
import sqlalchemy as sa

from tests.support.agenda import add_item
from tests.support.hostile import HOSTILE, Findings, form_body
from tests.support.registration import details, taking_registrations  # noqa: F401
from tests.test_briefing_pack import paper, upload
from tests.test_documents_hostile import multipart
from workshop.briefing.assemble import outline_titles


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


# What can reach the services as text: the forms refuse invalid UTF-8, lone surrogates and NUL
# (tests/test_documents_hostile.py sends those through the form).
TEXTS = {label: value for label, value in HOSTILE.items() if isinstance(value, str) and value.strip()
         and "\ud800" not in value and "\udfff" not in value and "\x00" not in value}


def test_hostile_titles_and_names_go_into_a_pack_as_plain_text(app, db, taking_registrations):
    from workshop.briefing import service
    from workshop.platform import pdf
    from workshop.registration import service as registration
    from workshop.registration.models import Registration

    workshop = taking_registrations()
    item = add_item(workshop, title=TEXTS["title breakout"])
    for n, value in enumerate(TEXTS.values()):
        upload(workshop, value, paper(f"paper {n}"), item=item if n % 2 else None, confidential=n % 3 == 0)
    registration.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    db.session.commit()
    ama = db.session.scalar(sa.select(Registration))
    refused = []
    original = pdf.StaticOnlyFetcher.fetch

    def watching(self, url, headers=None):
        try:
            return original(self, url, headers)
        except pdf.RefusedURL:
            refused.append(url)
            raise

    pdf.StaticOnlyFetcher.fetch = watching
    try:
        findings = Findings()
        for label, value in list(TEXTS.items())[::4]:  # a name from each part of the corpus
            ama.name = value[:200]
            pack = service.build_briefing_pack(ama.id)
            db.session.commit()
            titles = [title for _, title in outline_titles(pack.content)]
            if len(titles) != 2 + len(TEXTS) + 1:  # cover, agenda, every paper, the one session
                findings.append(f"{label!r}: {len(titles)} bookmarks")
            for document_title in TEXTS.values():
                if document_title[:300].strip() not in [t.strip() for t in titles]:
                    findings.append(f"{label!r}: bookmark {document_title[:30]!r} missing")
                    break
    finally:
        pdf.StaticOnlyFetcher.fetch = original
    assert refused == []  # no title or name made the renderer fetch anything
    assert findings == []


def test_hostile_values_for_the_two_boxes(app, db, client, taking_registrations, login_as):
    from workshop.auth.models import User
    from workshop.registration import service as registration
    from workshop.workshops.models import WorkshopMember

    workshop = taking_registrations()
    document = upload(workshop, "A paper", paper("A paper"))
    registration.register(workshop, details(email="ama@example.org", name="Ama Mensah"))
    db.session.commit()
    member = db.session.scalar(sa.select(WorkshopMember).where(WorkshopMember.workshop_id == workshop.id))
    login_as(db.session.get(User, member.user_id))
    slug = workshop.slug
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        fields = {"title": "A paper", "description": "", "kind": "background_paper", "language": "en",
                  "visibility": "participants", "agenda_item_id": "", "confidential": value}
        body, content_type = multipart(fields, None)
        findings.check(client.post(f"/manage/w/{slug}/documents/{document.id}/edit", data=body,
                                   content_type=content_type), label, value, "document edit (confidential)")
        compose = {"audience": "registrants", "states": "confirmed", "category": "None", "country": "",
                   "subject": "Papers", "body": "See attached", "key": f"hostile-briefing-key-{n:04d}",
                   "briefing_pack": value, "send": "Send"}
        findings.check(client.post(f"/manage/w/{slug}/messages/new", data=form_body(compose),
                                   content_type="application/x-www-form-urlencoded"),
                       label, value, "compose (briefing_pack)")
    assert findings == []
