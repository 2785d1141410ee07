"""Every hostile input through every form of the foundation: a field error or inert output, never a 500.

Each test walks the whole corpus (``tests/support/hostile.py``) and reports every value that
misbehaved at once. New forms add a test here after merging, following the same pattern.
"""

from email import policy
from email.parser import BytesParser
from urllib.parse import urlsplit

import pytest

from tests.support.hostile import HOSTILE, Findings, active_markup, form_body, path_segment, risky_markup
from tests.support.pdfs import fetch_pdf
from tests.support.registration import body
from workshop.workshops import service
from workshop.workshops.models import WorkshopStatus

FORM = "application/x-www-form-urlencoded"
SINGLE_LINE = ("title", "theme", "network", "prepares_meeting", "conference", "venue", "city")
MULTI_LINE = ("description", "conveners", "co_organizers")
VALID_WORKSHOP = {"timezone": "Europe/London", "start_date": "2030-01-01", "end_date": "2030-01-02"}


@pytest.fixture
def app_config(app_config):
    # The corpus sends hundreds of sign-ins from one address: the limits are tested elsewhere.
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def organizer(make_user, login_as):
    user = make_user(email="hostile-organizer@example.org", can_create_workshops=True)
    login_as(user)
    return user


def post(client, url, fields):
    return client.post(url, data=form_body(fields), content_type=FORM)


def test_workshop_form(client, organizer):
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        attempts = {
            "every text field": {**{f: value for f in SINGLE_LINE + MULTI_LINE}, **VALID_WORKSHOP},
            "multi-line fields": {"title": f"Plain {n}", **{f: value for f in MULTI_LINE}, **VALID_WORKSHOP},
        }
        for kind, fields in attempts.items():
            slug = f"hostile-{n}-{len(kind)}"
            response = findings.check(post(client, "/manage/workshops/new", {**fields, "slug": slug}),
                                      label, value, f"new workshop ({kind})")
            if response.status_code != 302:
                continue
            for page in (f"/manage/w/{slug}/", f"/manage/w/{slug}/edit", f"/manage/w/{slug}/audit", "/manage/"):
                findings.check(client.get(page), label, value, page, allowed=(200,))
            workshop = service.get_public_workshop(slug) or next(
                w for w in service.workshops_for(organizer) if w.slug == slug)
            service.set_status(workshop, WorkshopStatus.PUBLISHED)
            for page in (f"/w/{slug}/", "/"):
                findings.check(client.get(page), label, value, page, allowed=(200,))
        identifiers = {"title": "Plain", "slug": value, "timezone": value,
                       "start_date": value, "end_date": value}
        findings.check(post(client, "/manage/workshops/new", identifiers), label, value,
                       "new workshop (slug, time zone, dates)", allowed=(422,))
    assert findings == []


def test_login_form_and_its_next_parameter(client, make_user):
    user = make_user(email="hostile-login@example.org")
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(client, "/login", {"email": value, "password": value}), label, value,
                       "login", allowed=(422,))
        response = client.get(f"/login?next={path_segment(value)}")
        findings.check(response, label, value, "login?next=", allowed=(200, 400))
        if response.status_code != 200:
            continue
        response = post(client, f"/login?next={path_segment(value)}",
                        {"email": user.email, "password": "correct horse battery staple"})
        location = response.headers.get("Location", "")
        parts = urlsplit(location)
        if response.status_code != 302 or parts.scheme or parts.netloc or location.startswith(("//", "/\\")) \
                or "\\" in location.split("?")[0]:
            findings.append(f"{label!r}: sign-in sent the browser to {location!r}")
        client.post("/logout")
    assert findings == []


def test_team_form(client, organizer, make_workshop):
    workshop = make_workshop(organizer)
    url = f"/manage/w/{workshop.slug}/team"
    findings = Findings()
    # Two entries of the corpus are real addresses: with no account, they are invited by email.
    deliverable = {"sharp s domain", "email plus tag"}
    for label, value in HOSTILE.items():
        findings.check(post(client, url, {"email": value, "role": "rapporteur"}), label, value,
                       "team email", allowed=(302,) if label in deliverable else (422,))
        findings.check(post(client, url, {"email": organizer.email, "role": value}), label, value,
                       "team role", allowed=(422,))
    findings.check(client.get(url), "team page", "", url, allowed=(200,))
    assert findings == []


def test_organization_form(client, organizer, make_workshop):
    make_workshop(organizer)  # organizations are managed by organizers of some workshop
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        for kind, fields in {
            "name": {"name": value, "short_name": "", "url": ""},
            "short name": {"name": f"Organization {n}", "short_name": value, "url": ""},
            "website": {"name": f"Website holder {n}", "short_name": "", "url": value},
        }.items():
            response = findings.check(post(client, "/manage/organizations/new", fields), label, value,
                                      f"new organization ({kind})")
            if response.status_code == 302:
                findings.check(client.get("/manage/organizations/"), label, value,
                               "organizations list", allowed=(200,))
    listing = client.get("/manage/organizations/").get_data(as_text=True)
    assert 'href="javascript:' not in listing and 'href="data:' not in listing
    assert findings == []


def test_hostile_addresses_answer_404_not_500(client, organizer):
    findings = Findings()
    for label, value in HOSTILE.items():
        segment = path_segment(value)
        for url in (f"/w/{segment}/", f"/manage/w/{segment}/", f"/manage/w/{segment}/audit",
                    f"/manage/w/{segment}/team", f"/organizations/{segment}/logo"):
            response = client.get(url)
            if response.status_code not in (404, 308):
                findings.append(f"{label!r} at {url}: status {response.status_code}")
    assert findings == []


def test_nul_in_a_text_field_is_a_field_error_in_words(client, organizer):
    response = post(client, "/manage/workshops/new", {
        "title": "Null\x00byte", "slug": "nul-byte", "description": "fine\x00", **VALID_WORKSHOP})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count("Remove the invisible control characters from this text.") >= 2


def test_line_breaks_are_refused_in_single_line_fields_and_kept_in_multi_line_ones(client, organizer):
    response = post(client, "/manage/workshops/new", {
        "title": "Delegate\r\nBcc: all@example.org", "slug": "crlf", **VALID_WORKSHOP})
    assert response.status_code == 422
    assert "Use a single line here" in response.get_data(as_text=True)
    response = post(client, "/manage/workshops/new", {
        "title": "Fine", "slug": "crlf", "description": "First paragraph.\r\n\r\nSecond.", **VALID_WORKSHOP})
    assert response.status_code == 302
    assert service.get_public_workshop("crlf") is None  # a draft; its text is kept:
    workshop = next(w for w in service.workshops_for(organizer) if w.slug == "crlf")
    assert "\n" in workshop.description


def test_every_form_in_the_app_is_a_safe_form():
    """A new form that subclasses FlaskForm directly would let NUL reach PostgreSQL."""
    import importlib
    import pkgutil

    import workshop
    from flask_wtf import FlaskForm

    from workshop.platform.forms import SafeForm

    for module in pkgutil.walk_packages(workshop.__path__, "workshop."):
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    unsafe = [f"{c.__module__}.{c.__qualname__}" for c in subclasses(FlaskForm)
              if c.__module__.startswith("workshop.") and not issubclass(c, SafeForm)]
    assert unsafe == []


# Forms and outputs of the agenda and the notes ---------------------------------------------------

AGENDA_TIMES = {"starts_at": "2030-06-01T09:00", "ends_at": "2030-06-01T10:00", "kind": "plenary"}


def test_agenda_item_form_and_every_agenda_output(client, organizer, make_workshop):
    import io

    from icalendar import Calendar
    from pypdf import PdfReader

    workshop = make_workshop(organizer)  # published, 1-3 June 2030, Europe/London
    slug = workshop.slug
    findings = Findings()
    accepted = 0
    for n, (label, value) in enumerate(HOSTILE.items()):
        attempts = {
            "every text field": {**AGENDA_TIMES, "title": value, "room": value, "description": value,
                                 "guiding_questions": value},
            "multi-line fields": {**AGENDA_TIMES, "title": f"Plain {n}", "description": value,
                                  "guiding_questions": value},
            "new chairs": {**AGENDA_TIMES, "title": f"Chaired {n}", "new_chairs": value},
            "tell participants": {**AGENDA_TIMES, "title": f"Told {n}", "tell_participants": value},
        }
        for kind, fields in attempts.items():
            response = findings.check(post(client, f"/manage/w/{slug}/agenda/new", fields), label, value,
                                      f"new agenda item ({kind})")
            if response.status_code != 302:
                continue
            accepted += 1
            for page in (f"/manage/w/{slug}/agenda", f"/w/{slug}/agenda", f"/manage/w/{slug}/notes/"):
                findings.check(client.get(page), label, value, page, allowed=(200,))
            feed = client.get(f"/w/{slug}/calendar.ics")
            if feed.status_code != 200:
                findings.append(f"{label!r}: calendar.ics status {feed.status_code}")
                continue
            calendar = Calendar.from_ical(feed.data)
            for event in calendar.walk("VEVENT"):
                if event.get("ATTENDEE") or "evil.example" in str(event.get("ORGANIZER", "")):
                    findings.append(f"{label!r}: injected a property into calendar.ics")
            if client.get(f"/w/{slug}/agenda.json").status_code != 200:
                findings.append(f"{label!r}: agenda.json failed")
    assert accepted > 0
    pdf = fetch_pdf(client, f"/w/{slug}/agenda.pdf")  # after the worker has rendered it
    assert pdf.status_code == 200
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) >= 1
    assert findings == []


def test_cancel_and_reinstate_confirmations(client, organizer, make_workshop):
    from tests.support.agenda import add_item

    workshop = make_workshop(organizer)
    item = add_item(workshop)
    findings = Findings()
    for label, value in HOSTILE.items():
        for action in ("cancel", "reinstate"):
            url = f"/manage/w/{workshop.slug}/agenda/{item.id}/{action}"
            findings.check(post(client, url, {"tell_participants": value}), label, value,
                           f"{action} confirmation", allowed=(302, 400))
    assert not findings, "\n".join(findings)


def test_notes_editor(client, make_user, make_workshop, login_as):
    import re

    from tests.support.agenda import add_item

    organizer, rapporteur = make_user(), make_user()
    workshop = make_workshop(organizer)
    service.add_member(workshop, rapporteur.email, "rapporteur")
    item = add_item(workshop)
    login_as(rapporteur)
    url = f"/manage/w/{workshop.slug}/notes/{item.id}"
    findings = Findings()
    for label, value in HOSTILE.items():
        page = client.get(url).get_data(as_text=True)
        base = re.search(r'name="base_number" type="hidden" value="(\d*)"', page) or \
            re.search(r'id="base_number" name="base_number" type="hidden" value="(\d*)"', page)
        response = findings.check(post(client, url, {"source": value, "base_number": base.group(1) if base else ""}),
                                  label, value, "notes editor")
        if response.status_code == 302:
            for page_url in (url, f"{url}/history", f"/manage/w/{workshop.slug}/notes/"):
                findings.check(client.get(page_url), label, value, page_url, allowed=(200,))
    assert findings == []


def test_the_inertness_checks_would_catch_injected_markup():
    assert active_markup('<p>x</p><img src=x onerror=alert(1)>')
    assert active_markup('<input value="" autofocus onfocus="alert(1)">')
    assert active_markup("<script>alert(1)</script>")
    assert active_markup('<a href="javascript:alert(1)">x</a>')
    assert not active_markup('<script src="/static/agenda.js"></script><p>onfocus="alert(1)" as text</p>'
                             '<input value="&lt;img src=x onerror=alert(1)&gt;">')
    assert risky_markup("<b>") and not risky_markup("&lt;b&gt;")


def test_account_rights_form_and_the_contact_audit(client, db, make_user, make_workshop, login_as):
    """The admin's rights form takes only yes/no; a contact's hostile name reaches the audit log
    of the workshop that uses it inert."""
    from workshop.people import service as people
    from workshop.registration import invitations

    person = make_user(email="hostile-rights@example.org")
    admin = make_user(email="hostile-admin@example.org", admin=True)
    workshop = make_workshop(admin, slug="hostile-audit")
    contact = people.save_contact(None, name="Plain Contact", email="hostile-contact@example.org")
    invitations.invite(workshop, contact)
    db.session.commit()
    login_as(admin)
    findings = Findings()
    for label, value in HOSTILE.items():
        fields = {f"u{person.id}-can_create_workshops": value, f"u{person.id}-sees_all_contacts": value}
        findings.check(post(client, f"/manage/accounts/{person.id}", fields), label, value, "rights form",
                       allowed=(302,))
        findings.check(client.post(f"/manage/accounts/{path_segment(value)}", data={}), label, value,
                       "rights form address", allowed=(404,))
        if isinstance(value, str):
            response = post(client, f"/manage/contacts/{contact.id}/edit",
                            {"name": value, "email": "hostile-contact@example.org"})
            findings.check(response, label, value, "contact form")
    findings.check(client.get("/manage/accounts/"), "-", "-", "accounts page", allowed=(200,))
    for label, value in HOSTILE.items():
        if risky_markup(value):
            break
    findings.check(client.get(f"/manage/w/{workshop.slug}/audit"), label, value, "audit log", allowed=(200,))
    assert findings == []


def test_the_workshops_contact_address(client, organizer):
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        fields = {"title": f"Contact {n}", "slug": f"contact-{n}", "contact_email": value, **VALID_WORKSHOP}
        response = findings.check(post(client, "/manage/workshops/new", fields), label, value, "contact address")
        if response.status_code == 302:
            workshop = next(w for w in service.workshops_for(organizer) if w.slug == f"contact-{n}")
            # Kept only when it is one address a mail header can carry.
            if workshop.contact_email:
                from workshop.platform.mail.outbox import _address

                _address(workshop.contact_email, "contact address")
    assert findings == []


def test_hostile_and_huge_unsubscribe_tokens_answer_404_not_500(app, client, make_workshop):
    from workshop.registration.unsubscribe import unsubscribe_token

    genuine = unsubscribe_token(make_workshop(), "ama@example.org")
    tokens = {label: path_segment(value) for label, value in HOSTILE.items()}
    tokens.update({"huge": "A" * 100_000, "tampered": genuine[:-2] + ("AA" if genuine[-2:] != "AA" else "BB"),
                   "other workshop": genuine.replace(genuine.split(".")[0], "WzIsIngiXQ", 1)})
    findings = []
    for label, token in tokens.items():
        for method in ("GET", "POST"):
            response = client.open(f"/unsubscribe/{token}", method=method)
            if response.status_code not in (404, 308):
                findings.append(f"{label!r} {method}: status {response.status_code}")


def test_attribution_rule_fields_and_the_non_attribution_check(client, organizer, make_workshop):
    """The rule is a choice: any other value is a field error. Every hostile value as memo text,
    as a registrant's name, organization or position, goes through the check and its page inert."""
    from tests.support.agenda import add_item
    from workshop.memos import service as memos
    from workshop.memos.attribution import COUNTRY, ORGANIZATION, PERSON, POSITION, Candidate, find_attributions
    from workshop.platform.db import db

    workshop = make_workshop(organizer)
    item = add_item(workshop)
    findings = Findings()
    for label, value in HOSTILE.items():
        fields = {"title": "Plain", "slug": workshop.slug, **VALID_WORKSHOP, "attribution_rule": value}
        findings.check(post(client, f"/manage/w/{workshop.slug}/edit", fields), label, value,
                       "workshop attribution rule", allowed=(422,))
        fields = {**AGENDA_TIMES, "title": "Plain", "attribution_rule": value}
        findings.check(post(client, f"/manage/w/{workshop.slug}/agenda/{item.id}/edit", fields), label, value,
                       "session attribution rule", allowed=(422,))
        text = value if isinstance(value, str) else value.decode("utf-8", "replace")
        candidates = [Candidate(text, kind) for kind in (PERSON, ORGANIZATION, COUNTRY, POSITION)]
        try:
            find_attributions({"body": text + " said the Ambassador.", "credit": text}, candidates)
        except Exception as error:  # noqa: BLE001 (the finding names what broke)
            findings.append(f"{label!r}: the check raised {error!r}")
    source = "\n\n".join(v.replace("\x00", "") for v in HOSTILE.values()
                         if isinstance(v, str) and not any("\ud800" <= c <= "\udfff" for c in v))
    memo = memos.memo_for(workshop)
    memos.save(memo, source + "\n\nThe Special Adviser said so.", organizer, None)
    db.session.commit()
    findings.check(client.get(f"/manage/w/{workshop.slug}/memo/"), "memo check page", source,
                   "memo check page", allowed=(200,))
    assert findings == []


def test_hostile_category_names_in_the_participation_paragraph(client, organizer, make_workshop):
    """Category names are typed by organizers: through the drafted paragraph into the memo, its
    editor and its check page, they stay text."""
    from tests.support.registration import details
    from workshop.memos import service as memos
    from workshop.platform.db import db
    from workshop.registration import service as registration
    from workshop.registration.models import Category

    workshop = make_workshop(organizer)
    registration.update_settings(workshop, mode="open", confirm_email=False, capacity=None)
    findings = Findings()
    strings = [v for v in HOSTILE.values() if isinstance(v, str) and "\x00" not in v
               and not any("\ud800" <= c <= "\udfff" for c in v)]
    for n, value in enumerate(strings):
        category = Category(workshop_id=workshop.id, name=f"{n} {value}"[:120], position=100 + n)
        db.session.add(category)
        db.session.flush()
        registration.register(workshop, details(email=f"hostile-{n}@example.org", category_id=category.id))
    db.session.commit()
    drafted = memos.participation_paragraph(workshop)
    assert drafted.startswith("The workshop brought together")
    url = f"/manage/w/{workshop.slug}/memo/edit"
    findings.check(client.get(url), "participation preview", drafted, url, allowed=(200,))
    findings.check(post(client, url, {"source": "## Context\n\nPlain.", "base_number": "", "insert": "participation"}),
                   "participation insert", drafted, url, allowed=(302,))
    findings.check(client.get(f"/manage/w/{workshop.slug}/memo/"), "memo page", drafted, "memo page", allowed=(200,))
    assert findings == []


def test_approve_submitted_notes_and_the_editors_second_buttons(client, organizer, make_workshop):
    from tests.support.agenda import add_item
    from workshop.notes import service as notes
    from workshop.notes.models import NoteState
    from workshop.platform.db import db

    workshop = make_workshop(organizer)
    item = add_item(workshop)
    note = notes.note_for(item)
    notes.save(note, "Submitted notes.", organizer, None)
    notes.change_state(note, "submit", organizer)
    db.session.commit()
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(client, f"/manage/w/{workshop.slug}/notes/approve-submitted", {"note_ids": value}),
                       label, value, "approve submitted notes", allowed=(302,))
        findings.check(post(client, f"/manage/w/{workshop.slug}/notes/{item.id}",
                            {"source": "Notes.", "base_number": "1", "then": value}),
                       label, value, "notes editor (then)", allowed=(302, 409, 422))
        findings.check(post(client, f"/manage/w/{workshop.slug}/memo/edit",
                            {"source": "Memo.", "base_number": "", "insert": value}),
                       label, value, "memo editor (insert)", allowed=(302, 409, 422))
    db.session.expire_all()
    assert notes.find_note(item).state == NoteState.SUBMITTED, "no hostile id approved anything"
    findings.check(client.get(f"/manage/w/{workshop.slug}/notes/"), "notes list", "", "notes list", allowed=(200,))
    assert findings == []


def test_composed_messages_subject_and_body(app, db, client, organizer, make_workshop):
    from tests.support.registration import outbox
    from workshop.messages.models import ComposedMessage
    from workshop.registration import service as registration

    workshop = make_workshop(organizer)
    registration.update_settings(workshop, mode="open", confirm_email=False)
    registration.register(workshop, {"name": "Ama Mensah", "email": "ama@example.org", "position": "",
                                     "organization": "Mission", "country": "GH", "consent": "nobody"})
    db.session.commit()
    url = f"/manage/w/{workshop.slug}/messages/new"
    plain = {"audience": "registrants", "states": "confirmed", "category": "None", "country": "",
             "subject": "Plain subject", "body": "Plain body"}
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        for kind, fields in {"subject": {"subject": value}, "body": {"body": value}}.items():
            fields = {**plain, **fields, "key": f"hostile-message-key-{n:04d}-{kind}"}
            findings.check(post(client, url, {**fields, "preview": "Preview"}), label, value,
                           f"message preview ({kind})", allowed=(200, 422))
            response = findings.check(post(client, url, {**fields, "send": "Send"}), label, value,
                                      f"message sent ({kind})")
            if response.status_code == 302:
                findings.check(client.get(response.headers["Location"]), label, value,
                               f"message page ({kind})", allowed=(200,))
        findings.check(post(client, url, {**plain, "key": value, "send": "Send"}), label, value,
                       "message form key", allowed=(302, 422))
    findings.check(client.get(f"/manage/w/{workshop.slug}/messages"), "history", "", "message history",
                   allowed=(200,))
    assert db.session.scalar(db.select(db.func.count()).select_from(ComposedMessage)) > 0
    for row in outbox(db):  # the mail the worker writes from every message that went
        html = body(BytesParser(policy=policy.default).parsebytes(row.raw), "html")
        for piece in active_markup(html):
            findings.append(f"mail {row.subject!r}: active markup {piece!r}")
    assert findings == []


def test_team_notifications_choice(client, organizer, make_workshop):
    workshop = make_workshop(organizer)
    url = f"/manage/w/{workshop.slug}/notifications"
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(client, url, {"how": value}), label, value, "notifications choice", allowed=(422,))
    findings.check(client.get(url), "notifications page", "", url, allowed=(200,))
    assert findings == []
