"""The hostile corpus through registration, invitations, contacts, categories, settings and the memo,
and through every output they reach: pages, email headers and bodies, .ics, CSV/XLSX, PDF.

Each value is refused with a field error or comes out inert; the app never answers 500.
"""

import csv
import html as html_module
import io
import re
from datetime import date
from email import policy
from email.parser import BytesParser

import pytest
import sqlalchemy as sa

from tests.support.hostile import HOSTILE, active_markup, as_bytes, form_body, risky_markup
from tests.support.pdfs import fetch_pdf
from tests.support.registration import form_data, links_in
from tests.test_security_hostile_input import FORM, Findings, post

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def app_config(app_config):
    # Hundreds of submissions from one test client: the limits are tested elsewhere.
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def organizer(make_user):
    return make_user(email="hostile-registration-organizer@example.org")


@pytest.fixture
def workshop(organizer, make_workshop):
    from workshop.registration import service

    workshop = make_workshop(organizer, attribution_rule="on_record")
    service.update_settings(workshop, mode="open", participants_published=True)
    return workshop


def text(value) -> str:
    return value if isinstance(value, str) else as_bytes(value).decode("utf-8", "replace")


def outbox_messages(db):
    from tests.support.registration import outbox

    # Those the mail worker writes later are written here, as it would first.
    for row in outbox(db):
        yield row, BytesParser(policy=policy.default).parsebytes(row.raw)


def check_mail(findings, db, seen: set):
    """Every queued message: one recipient, no injected header, an inert HTML part, a calendar
    attachment whose events carry no injected property."""
    from icalendar import Calendar

    for row, message in outbox_messages(db):
        if row.id in seen:
            continue
        seen.add(row.id)
        where = f"mail {row.id} ({row.subject[:40]!r})"
        if len(message.get_all("To", [])) != 1 or len(message["To"].addresses) != 1:
            findings.append(f"{where}: To is {message.get_all('To')!r}")
        for forged in ("Bcc", "Cc", "Set-Cookie"):
            if message[forged] is not None:
                findings.append(f"{where}: injected {forged} header")
        for part in message.walk():
            if part.get_content_type() == "text/html":
                html = part.get_content()
                for piece in active_markup(html):
                    findings.append(f"{where}: active markup {piece!r} in the HTML body")
                for label, value in HOSTILE.items():
                    if risky_markup(value) and value in html:
                        findings.append(f"{where}: {label!r} unescaped in the HTML body")
            if part.get_content_type() == "text/calendar":
                calendar = Calendar.from_ical(part.get_payload(decode=True))
                check_events(findings, calendar, where)


def check_events(findings, calendar, where):
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees] if attendees else []
        if len(attendees) > 1 or any("evil@example.org" in str(a) for a in attendees):
            findings.append(f"{where}: injected ATTENDEE {attendees!r}")
        if "evil.example" in str(event.get("ORGANIZER", "")):
            findings.append(f"{where}: injected ORGANIZER")


def check_personal_calendar(findings, client, link, label):
    import vobject
    from icalendar import Calendar

    response = client.get(f"{link}/calendar.ics")
    if response.status_code == 404:
        return  # not confirmed (moderation or waitlist): no calendar, as designed
    if response.status_code != 200:
        findings.append(f"{label!r}: personal calendar status {response.status_code}")
        return
    check_events(findings, Calendar.from_ical(response.data), f"{label!r} personal calendar")
    parsed = vobject.readOne(response.get_data(as_text=True))
    for event in parsed.contents.get("vevent", []):
        if len(event.contents.get("attendee", [])) > 1:
            findings.append(f"{label!r}: vobject reads several attendees")


def check_exports(findings, client, slug):
    from openpyxl import load_workbook

    response = client.post(f"/manage/w/{slug}/registrations.csv")
    if response.status_code != 200:
        findings.append(f"CSV export status {response.status_code}")
    else:
        for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig"))):
            for cell in row:
                if cell.startswith(FORMULA_START):
                    findings.append(f"CSV cell would run as a formula: {cell[:40]!r}")
    response = client.post(f"/manage/w/{slug}/registrations.xlsx")
    if response.status_code != 200:
        findings.append(f"XLSX export status {response.status_code}")
        return 0
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = 0
    for row in sheet.iter_rows():
        for cell in row:
            cells += 1
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)):
                findings.append(f"XLSX cell {cell.coordinate} would run as a formula: {str(cell.value)[:40]!r}")
    return sheet.max_row


def test_registration_form_self_service_and_every_output(client, db, login_as, organizer, workshop):
    slug = workshop.slug
    findings = Findings()
    accepted = []
    for n, (label, value) in enumerate(HOSTILE.items()):
        attempts = {
            "every text field": {"name": value, "position": value, "organization": value,
                                 "dietary_needs": value, "accessibility_needs": value},
            "needs only": {"name": f"Plain {n}", "dietary_needs": value, "accessibility_needs": value},
            "choices and dates": {"name": f"Chooser {n}", "country": value, "consent": value,
                                  "category_id": value, "arrival_date": value, "departure_date": value,
                                  "mail_language": value},
        }
        for kind, fields in attempts.items():
            email = f"hostile-{n}-{len(kind)}@example.org"
            response = findings.check(post(client, f"/w/{slug}/register", form_data(email, **fields)),
                                      label, value, f"register ({kind})", allowed=(200, 422))
            if response.status_code == 200:
                accepted.append((label, value, email))
        findings.check(post(client, f"/w/{slug}/register", form_data(value)), label, value,
                       "register (email)", allowed=(200, 422))
    assert len(accepted) > len(HOSTILE), "most attempts were accepted and shown inert"

    links = {}
    for row, message in outbox_messages(db):
        body = message.get_body(preferencelist=("plain",)).get_content()
        for link in links_in(body):
            if link.startswith("/registrations/"):
                links.setdefault(row.recipients, link)
    for label, value, email in accepted[::3]:
        link = links[email]
        findings.check(client.get(link), label, value, "unconfirmed request's page", allowed=(200,))
        # Open registration asks for the address first: confirmed through the link, then seated.
        findings.check(client.post(f"{link}/confirm", data={}), label, value, "confirm", allowed=(302,))
        for page in (link, f"{link}/edit", f"{link}/participants", f"{link}/withdraw"):
            findings.check(client.get(page), label, value, page, allowed=(200,))
        check_personal_calendar(findings, client, link, label)
    # Self-service edit with the corpus, on one registration.
    link = links[accepted[0][2]]
    for label, value in HOSTILE.items():
        fields = {"name": value, "position": value, "organization": value, "dietary_needs": value,
                  "accessibility_needs": value, "country": "", "category_id": "None", "consent": "public",
                  "arrival_date": "", "departure_date": ""}
        findings.check(post(client, f"{link}/edit", fields), label, value, "self-service edit")
        findings.check(client.get(link), label, value, "self-service page", allowed=(200,))
    findings.check(client.get(f"/w/{slug}/participants"), "list", "", "public participants", allowed=(200,))
    check_mail(findings, db, set())

    login_as(organizer)
    for page in (f"/manage/w/{slug}/registrations", f"/manage/w/{slug}/registrations?q=%3Cscript%3E",
                 f"/manage/w/{slug}/audit"):
        findings.check(client.get(page), "dashboard", "", page, allowed=(200,))
    from workshop.registration.models import Registration

    for registration in db.session.scalars(sa.select(Registration).where(Registration.workshop_id == workshop.id)):
        findings.check(client.get(f"/manage/w/{slug}/registrations/{registration.id}"), registration.name[:30],
                       registration.name, "registration page", allowed=(200,))
    rows = check_exports(findings, client, slug)
    assert rows == 1 + db.session.scalar(sa.select(sa.func.count(Registration.id)))  # header + each
    assert findings == []


def test_a_name_with_a_line_break_never_reaches_an_email_header(client, db, workshop):
    from workshop.platform.mail.models import OutboxMessage

    for name in ("Delegate\r\nBcc: everyone@example.org", "Delegate\nTo: other@example.org", "A\rB"):
        response = post(client, f"/w/{workshop.slug}/register", form_data("crlf@example.org", name=name))
        assert response.status_code == 422
        assert "Use a single line here" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
    # The person's name, when accepted, is one encoded display name in To:.
    assert post(client, f"/w/{workshop.slug}/register",
                form_data("quoted@example.org", name='Ana "Bcc: x@example.org" <y@example.org>, z')).status_code == 200
    row, message = next(outbox_messages(db))
    assert row.recipients == "quoted@example.org"
    assert [a.addr_spec for a in message["To"].addresses] == ["quoted@example.org"]


def test_invitation_decline_message_and_the_invitations_page(client, db, login_as, organizer, workshop):
    from workshop.people import service as people
    from workshop.registration import invitations

    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        contact = people.save_contact(None, name=f"Invitee {n}", email=f"invitee-{n}@example.org")
        invitations.invite(workshop, contact)
        link = next(link for row, message in reversed(list(outbox_messages(db)))
                    if row.recipients == contact.email
                    for link in links_in(message.get_body(preferencelist=("plain",)).get_content()))
        findings.check(client.get(link), label, value, "invitation page", allowed=(200,))
        findings.check(post(client, f"{link}/decline", {"message": value}), label, value, "decline",
                       allowed=(200, 422))
    check_mail(findings, db, set())
    login_as(organizer)
    findings.check(client.get(f"/manage/w/{workshop.slug}/invitations"), "invitations", "", "invitations page",
                   allowed=(200,))
    assert findings == []


def test_contact_form_csv_import_and_categories(client, db, login_as, organizer, workshop):
    login_as(organizer)
    findings = Findings()
    slug = workshop.slug
    for n, (label, value) in enumerate(HOSTILE.items()):
        for kind, fields in {
            "every text field": {"name": value, "email": f"contact-{n}@example.org", "position": value,
                                 "organization": value, "country": ""},
            "email and country": {"name": f"Contact {n}", "email": value, "country": value},
        }.items():
            findings.check(post(client, "/manage/contacts/new", fields), label, value, f"new contact ({kind})")
        findings.check(post(client, f"/manage/w/{slug}/categories", {"name": value}), label, value, "new category")
        findings.check(post(client, "/manage/contacts/import", {"confirm-csv_text": value, "confirm-submit": "1"}),
                       label, value, "import confirm (forged text)", allowed=(302, 422))

        # A CSV file carrying the value in every column, quoted as a spreadsheet would write it.
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["name", "email", "position", "organization", "country", "category", "honorific"],
                                      [text(value), f"imported-{n}@example.org", text(value), text(value), "FR",
                                       text(value), text(value)]])
        for where, url in (("directory import", "/manage/contacts/import"),
                           ("workshop import", f"/manage/w/{slug}/invitations/import")):
            upload = client.post(url, data={"upload-file": (io.BytesIO(buffer.getvalue().encode("utf-8", "surrogatepass")), "c.csv"),
                                            "upload-submit": "1"}, content_type="multipart/form-data")
            findings.check(upload, label, value, where, allowed=(200, 422))
            if upload.status_code == 200:
                match = re.search(r'name="confirm-csv_text" type="hidden" value="([^"]*)"', upload.get_data(as_text=True))
                if match is None:
                    findings.append(f"{label!r}: no confirm step after a clean preview")
                    continue
                confirm = {"confirm-csv_text": html_module.unescape(match.group(1)), "confirm-submit": "1"}
                findings.check(client.post(url, data=form_body(confirm), content_type=FORM), label, value,
                               f"{where} confirm")
        raw = as_bytes(value) + b"\r\n"
        upload = client.post("/manage/contacts/import", data={
            "upload-file": (io.BytesIO(b"name,email\r\n" + raw.replace(b",", b";") + b"," + raw), "raw.csv"),
            "upload-submit": "1"}, content_type="multipart/form-data")
        findings.check(upload, label, value, "raw bytes import", allowed=(200, 422))
    for page in ("/manage/contacts/", f"/manage/w/{slug}/categories", f"/manage/w/{slug}/invitations",
                 "/manage/contacts/?q=%3Cscript%3E"):
        findings.check(client.get(page), "listing", "", page, allowed=(200,))
    from workshop.people.models import Contact

    for contact in db.session.scalars(sa.select(Contact)):
        findings.check(client.get(f"/manage/contacts/{contact.id}/edit"), contact.name[:30], contact.name,
                       "contact edit page", allowed=(200,))
    from workshop.registration import service

    for category in service.categories_for(workshop):
        findings.check(client.get(f"/manage/w/{slug}/categories/{category.id}/edit"), category.name[:30],
                       category.name, "category edit page", allowed=(200,))
    assert findings == []


def test_registration_settings_form(client, db, login_as, organizer, workshop):
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/registration-settings"
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(client, url, {"mode": "open", "privacy_notice": value}), label, value, "privacy notice")
        findings.check(client.get(f"/w/{workshop.slug}/register"), label, value, "register page", allowed=(200,))
        findings.check(post(client, url, {"mode": value, "capacity": value, "opens_at": value, "closes_at": value,
                                          "edit_deadline": value, "retention_days": value}),
                       label, value, "settings (numbers, times, mode)", allowed=(422,))
    findings.check(client.get(url), "settings", "", url, allowed=(200,))
    assert findings == []


def test_memo_settings_text_and_pdf(client, db, login_as, organizer, make_user, workshop):
    from pypdf import PdfReader

    from tests.support.agenda import add_item
    from workshop.memos import service as memos
    from workshop.memos.document import MemoDocument, render_memo_pdf
    from workshop.platform.pdf import STATIC_DIR, StaticOnlyFetcher

    add_item(workshop, title="Opening plenary")
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/memo/settings"
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(post(client, url, {"disclaimer": value, "credit": value, "dated": "2030-06-03",
                                          "language": "en"}),
                       label, value, "memo settings")
        findings.check(post(client, url, {"disclaimer": "Plain", "credit": "Plain", "dated": value, "language": "en"}),
                       label, value, "memo settings (date)", allowed=(422,))
        findings.check(post(client, url, {"disclaimer": "Plain", "credit": "Plain", "language": value,
                                          "translation_of_id": value}),
                       label, value, "memo settings (language, translation of)", allowed=(302, 422))
        findings.check(post(client, f"/manage/w/{workshop.slug}/memo/translations", {"language": value}),
                       label, value, "memo translation (language)", allowed=(302,))
    findings.check(client.get(url), "memo settings", "", url, allowed=(200,))
    # The whole corpus in the memo text, one value per paragraph, plus markup that tries to fetch.
    # (Lone surrogates and NUL cannot arrive over HTTP: Werkzeug decodes them away, SafeForm refuses NUL.)
    source = "\n\n".join(v.replace("\x00", "") for v in HOSTILE.values()
                         if isinstance(v, str) and not re.search("[\ud800-\udfff]", v))
    source += ('\n\n![leak](http://169.254.169.254/latest) <img src="file:///etc/passwd">'
               '\n\n<link rel="stylesheet" href="https://evil.example/x.css">')
    memo = memos.memo_for(workshop)
    memos.save(memo, source, organizer, None)
    response = fetch_pdf(client, f"/manage/w/{workshop.slug}/memo/preview.pdf")  # once the worker has rendered it
    assert response.status_code == 200
    # (pypdf reads some runs of this font back with NULs between the letters: dropped here.)
    pages = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages).replace("\x00", "")
    assert "' OR '1'='1" in pages and "{{ 7*7 }}" in pages, "the text is printed as text"
    head = memo.current
    document = MemoDocument.from_memo(workshop, memos.memo_title(workshop), head.source, head.html,
                                      memo.disclaimer, memo.credit, memo.dated or date(2030, 6, 3), draft=True)
    fetcher = StaticOnlyFetcher()
    render_memo_pdf(document, fetcher)
    static = STATIC_DIR.resolve().as_uri() + "/"
    for record in fetcher.log:
        if record.allowed and not record.url.startswith((static, "data:")):
            findings.append(f"the PDF renderer fetched {record.url}")
    assert findings == []


def test_memo_compile_and_add_notes_forms(client, db, login_as, organizer, workshop):
    from tests.support.memo import add_item, approved_note
    from workshop.memos import service as memos

    first = add_item(workshop, "Opening plenary", hours=1)
    approved_note(first, "- a point", organizer)
    memo = memos.memo_for(workshop)
    memos.save(memo, "Written by hand.", organizer, None)
    db.session.commit()
    login_as(organizer)
    findings = Findings()
    for label, value in HOSTILE.items():
        for action in ("compile", "compile/new-notes"):
            findings.check(post(client, f"/manage/w/{workshop.slug}/memo/{action}", {"base": value}),
                           label, value, f"memo {action}", allowed=(302,))
    findings.check(client.get(f"/manage/w/{workshop.slug}/memo/compile"), "preview", "", "compile preview",
                   allowed=(200,))
    findings.check(client.get(f"/manage/w/{workshop.slug}/memo/"), "memo", "", "memo page", allowed=(200,))
    db.session.expire_all()
    assert memos.memo_for(workshop).current.source == "Written by hand."  # nothing replaced unasked
    assert findings == []


def test_directory_picker_search_ticks_and_category(client, db, login_as, organizer, workshop):
    from workshop.people import service as people

    contact = people.save_contact(None, name="Picked Person", email="picked@example.org")
    db.session.commit()
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/invitations/directory"
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(client.get(url + "?" + form_body({"q": value}).decode("ascii")), label, value,
                       "directory search", allowed=(200, 400))  # 400: the platform refuses NUL in a URL
        findings.check(post(client, url, {"contact": value, "invite": "1"}), label, value, "ticked ids",
                       allowed=(302, 422))
        findings.check(post(client, url, {"contact": str(contact.id), "category_id": value, "file": "1"}),
                       label, value, "category", allowed=(302, 422))
    findings.check(client.get(url), "directory", "", url, allowed=(200,))
    assert findings == []


def test_hostile_values_through_the_needs_fields_and_the_box_that_removes_them(client, db, workshop):
    """Dietary and accessibility needs on file are never shown behind the link: a hostile new
    value is refused or stored and never printed back; any value in the box ticks it or not."""
    from tests.support.registration import link_from_outbox
    from workshop.registration.models import Registration

    needs = {"dietary_needs": "Coeliac, no gluten", "accessibility_needs": "Wheelchair user"}
    email = "needs@example.org"
    assert post(client, f"/w/{workshop.slug}/register", form_data(email, **needs)).status_code == 200
    link = link_from_outbox(db, email)

    def stored():
        db.session.expire_all()
        registration = db.session.scalar(sa.select(Registration).where(Registration.email == email))
        return {name: getattr(registration, name) for name in needs}

    findings = Findings()
    for label, value in HOSTILE.items():
        fields = {**form_data(email), "dietary_needs": "", "accessibility_needs": "", "dietary_needs_clear": value}
        findings.check(post(client, f"{link}/edit", fields), label, value, "the box removing the dietary needs")
        if stored()["accessibility_needs"] != needs["accessibility_needs"]:
            findings.append(f"{label!r}: the box of one field removed the other's answer")
        fields = {**fields, "dietary_needs": value, "dietary_needs_clear": ""}
        findings.check(post(client, f"{link}/edit", fields), label, value, "a new dietary need")
        for page in (link, f"{link}/edit"):
            response = findings.check(client.get(page), label, value, page, allowed=(200,))
            if isinstance(value, str) and len(value) > 3 and value in response.get_data(as_text=True):
                findings.append(f"{label!r} at {page}: the need on file is shown")
    assert findings == []
    assert stored()["accessibility_needs"] == needs["accessibility_needs"]
