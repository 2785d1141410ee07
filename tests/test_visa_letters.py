"""Letters of invitation for visas: written from the template and the participant's answers,
numbered, logged, mailed with the PDF by the worker, downloaded again exactly as issued."""

import io
from email import policy
from email.parser import BytesParser

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from tests.support.registration import form_data, link_from_outbox, outbox, taking_registrations  # noqa: F401


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def letter_workshop(app, db, make_user, taking_registrations):
    from workshop.visas import service as visas
    from workshop.questions import service
    from workshop.workshops import service as workshops
    from workshop.workshops.models import Role

    organizer = make_user()
    workshop = taking_registrations()
    workshops.add_member(workshop, organizer.email, Role.ORGANIZER)

    def add(label, kind, stage="follow_up", condition="", sensitive=False):
        return service.save_question(workshop, {"label": label, "kind": kind, "stage": stage, "required": False,
                                                "sensitive": sensitive, "help_text": "", "choices": [],
                                                "category_ids": [], "condition": condition})
    visa = add("Visa?", "yes_no", "registration")
    passport = add("Passport", "short_text", condition=f"{visa.id}:yes", sensitive=True)
    nationality = add("Nationality", "country", condition=f"{visa.id}:yes", sensitive=True)
    embassy = add("Embassy", "short_text", condition=f"{visa.id}:yes")
    visas.save_template(workshop, {
        "body": "{embassy}\n\nWe invite **{name}**, of {nationality}, passport {passport_number}, to {workshop_title}.",
        "letterhead": "Global Centre for Letters\n1 Example Plaza", "signatory_name": "Dr. Signa Tory",
        "signatory_title": "Executive Director", "visa_question_id": visa.id, "passport_question_id": passport.id,
        "nationality_question_id": nationality.id, "embassy_question_id": embassy.id})
    db.session.commit()
    return workshop, organizer, {"visa": visa.id, "passport": passport.id, "nationality": nationality.id,
                                 "embassy": embassy.id}


def test_a_participant_requests_a_letter_that_is_mailed_and_downloads_the_same(client, db, letter_workshop):
    from workshop.visas.models import VisaLetter
    from workshop.platform.audit.models import AuditEntry

    workshop, _organizer, q = letter_workshop
    client.post(f"/w/{workshop.slug}/register", data=form_data("ama@example.org", **{f"q{q['visa']}": "yes"}))
    link = link_from_outbox(db, "ama@example.org")
    client.post(f"{link}/follow-up", data={f"q{q['passport']}": "G1234567", f"q{q['nationality']}": "GH",
                                           f"q{q['embassy']}": "Embassy of Ruritania, <b>Accra</b>"})
    page = client.get(link).get_data(as_text=True)
    assert "Request a letter of invitation" in page
    assert client.post(f"{link}/visa-letters").status_code == 302
    letter = db.session.scalar(sa.select(VisaLetter))
    assert letter.number == 1 and letter.reference.endswith("/001")
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "visa_letter.issued")) is not None
    rows = outbox(db)
    message = BytesParser(policy=policy.default).parsebytes(rows[-1].raw)
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = _text(attachment.get_content())
    for words in ("Global Centre for Letters", "Ama Mensah", "G1234567", "Ghana", "Embassy of Ruritania",
                  "Dr. Signa Tory", letter.reference):
        assert words in text, words
    assert "<b>" in text  # the participant's text printed as written, not as markup
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "G1234567" not in body  # the passport number travels only in the letter itself
    # The template changes; the issued letter does not.
    from workshop.visas import service as visas
    visas.save_template(workshop, {"body": "Something else entirely {name}"})
    db.session.commit()
    db.session.expire_all()
    letter = db.session.scalar(sa.select(VisaLetter))
    page = client.get(link).get_data(as_text=True)
    download = client.get(f"{link}/visa-letters/{letter.id}.pdf")
    assert download.status_code == 200 and download.data == attachment.get_content()
    assert "Something else" not in _text(download.data)
    # Asking again gives no second letter.
    client.post(f"{link}/visa-letters")
    assert db.session.scalar(sa.select(sa.func.count(VisaLetter.id))) == 1


def test_no_letter_for_a_no_and_organizers_issue_for_everyone_who_needs_one(app, client, db, login_as, letter_workshop):
    from tests.support.smtp import deliver_outbox
    from workshop.visas.models import VisaLetter

    workshop, organizer, q = letter_workshop
    client.post(f"/w/{workshop.slug}/register", data=form_data("no@example.org", **{f"q{q['visa']}": "no"}))
    client.post(f"/w/{workshop.slug}/register", data=form_data("yes@example.org", name="Yao Asante",
                                                               **{f"q{q['visa']}": "yes"}))
    link = link_from_outbox(db, "no@example.org")
    assert "Request a letter" not in client.get(link).get_data(as_text=True)
    client.post(f"{link}/visa-letters")
    assert db.session.scalar(sa.select(sa.func.count(VisaLetter.id))) == 0
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/visa-letters").get_data(as_text=True)
    assert "1 confirmed participant needs a letter" in page
    client.post(f"/manage/w/{workshop.slug}/visa-letters/issue")
    letter = db.session.scalar(sa.select(VisaLetter))
    assert letter.registration.email == "yes@example.org"
    deliver_outbox(app)  # the worker writes the PDF
    pdf = client.get(f"/manage/w/{workshop.slug}/visa-letters/{letter.id}.pdf")
    assert pdf.status_code == 200 and "Yao Asante" in _text(pdf.data)


def test_an_unknown_placeholder_is_refused_in_words(client, db, login_as, letter_workshop):
    workshop, organizer, _q = letter_workshop
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/visa-letters", data={"body": "Dear {nmae}", "letterhead": "X"})
    assert response.status_code == 422 and "Unknown placeholder {nmae}" in response.get_data(as_text=True)


def test_hostile_answers_print_as_plain_text_in_the_letter(app):
    from tests.support.hostile import HOSTILE, active_markup
    from workshop.visas import service as visas
    from workshop.platform.markup import render_markdown

    for label, value in HOSTILE.items():
        try:
            value = value.encode("utf-8").decode("utf-8") if isinstance(value, str) else value.decode("utf-8")
        except UnicodeError:
            continue  # never reaches an answer: the form refuses what is not UTF-8
        html = render_markdown(visas.fill("To {embassy}: [ok](https://example.org)", {"embassy": value}))
        assert not active_markup(html.replace('<a href="https://example.org" rel="nofollow noopener">ok</a>', "")), label


def test_a_hostile_letter_renders_without_fetching_anything(app, db, client, letter_workshop):
    from workshop.visas.models import VisaLetter
    from workshop.platform.pdf import StaticOnlyFetcher, render_pdf
    from workshop.visas import service as visas

    workshop, _organizer, q = letter_workshop
    client.post(f"/w/{workshop.slug}/register", data=form_data("h@example.org", **{f"q{q['visa']}": "yes"}))
    link = link_from_outbox(db, "h@example.org")
    client.post(f"{link}/follow-up", data={f"q{q['passport']}": '<img src="http://evil.example/x.png">',
                                           f"q{q['embassy']}": "![x](http://evil.example/y.png) <iframe src=//evil.example>"})
    client.post(f"{link}/visa-letters")
    letter = db.session.scalar(sa.select(VisaLetter))
    with app.test_request_context():
        fetcher = StaticOnlyFetcher()
        pdf = render_pdf(visas.letter_html(letter), fetcher=fetcher)
    assert not fetcher.refused
    assert "evil.example" in _text(pdf)  # printed as the words typed, never fetched


def test_the_memo_check_flags_a_confidential_answer(app, db, client, letter_workshop):
    from workshop.memos import service as memos

    workshop, organizer, q = letter_workshop
    client.post(f"/w/{workshop.slug}/register", data=form_data("m@example.org", **{f"q{q['visa']}": "yes"}))
    link = link_from_outbox(db, "m@example.org")
    client.post(f"{link}/follow-up", data={f"q{q['passport']}": "ZX9981234"})
    memo = memos.memo_for(workshop)
    memos.save(memo, "One participant (passport ZX9981234) raised early warning.", organizer, None)
    db.session.commit()
    hits = memos.attribution_hits(memo)
    assert any(hit.matched == "ZX9981234" and hit.kind == "personal_data" for hit in hits)


def test_a_sensitive_choice_is_not_flagged_so_the_check_tells_a_rapporteur_nothing_of_it(app, db, client,
                                                                                       letter_workshop):
    """Rapporteurs see the check but not sensitive answers: a word of a sensitive choice
    question flagged would tell them somebody picked it."""
    from workshop.memos import service as memos
    from workshop.questions import service

    workshop, organizer, q = letter_workshop
    needs = service.save_question(workshop, {"label": "Access needs", "kind": "single", "stage": "registration",
                                             "required": False, "sensitive": True, "help_text": "",
                                             "choices": ["Wheelchair access", "Hearing loop"], "category_ids": [],
                                             "condition": ""})
    db.session.commit()
    client.post(f"/w/{workshop.slug}/register", data=form_data("w@example.org", **{f"q{q['visa']}": "yes",
                                                                                 f"q{needs.id}": "Hearing loop"}))
    link = link_from_outbox(db, "w@example.org")
    client.post(f"{link}/follow-up", data={f"q{q['passport']}": "QY7765432"})
    memo = memos.memo_for(workshop)
    memos.save(memo, "The room had a hearing loop. A passport QY7765432 was lost.", organizer, None)
    db.session.commit()
    matched = {hit.matched for hit in memos.attribution_hits(memo) if hit.kind == "personal_data"}
    assert matched == {"QY7765432"}


def test_the_purge_removes_the_letter_details_and_keeps_its_number(app, client, db, letter_workshop):
    from datetime import date, timedelta

    from workshop.visas.models import VisaLetter
    from workshop.registration import retention, service as registrations

    workshop, _organizer, q = letter_workshop
    client.post(f"/w/{workshop.slug}/register", data=form_data("p@example.org", **{f"q{q['visa']}": "yes"}))
    link = link_from_outbox(db, "p@example.org")
    client.post(f"{link}/follow-up", data={f"q{q['passport']}": "PURGE0001"})
    client.post(f"{link}/visa-letters")
    outbox(db)  # the worker writes the letter
    registrations.settings_for(workshop).retention_days = 0
    workshop.start_date = workshop.end_date = date.today() - timedelta(days=2)
    db.session.commit()
    with app.test_request_context():
        retention.purge_expired()
        db.session.commit()
    db.session.expire_all()
    letter = db.session.scalar(sa.select(VisaLetter))
    assert letter.purged_at is not None and letter.pdf is None and "PURGE0001" not in letter.body
    assert letter.reference.endswith("/001")


def test_hostile_letter_templates_are_refused_or_inert(client, db, login_as, letter_workshop):
    from tests.support.hostile import HOSTILE, active_markup, form_body

    workshop, organizer, _q = letter_workshop
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/visa-letters"
    for label, value in HOSTILE.items():
        response = client.post(url, data=form_body({"letterhead": value, "body": value, "signatory_name": value,
                                                    "signatory_title": value, "visa_question_id": value}),
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code in (302, 422), label
        assert not active_markup(response.get_data(as_text=True)), label
    assert not active_markup(client.get(url).get_data(as_text=True))


def test_a_letter_issued_twice_for_one_participant_is_one_letter_and_one_mail(app, client, db, login_as,
                                                                              letter_workshop):
    """Two requests at once (a double click, or an organizer issuing for everyone while the
    participant asks) both reach ``issue``: the second, under the workshop's lock, finds the
    first's letter instead of numbering and mailing another."""
    from workshop.visas import service as visas
    from workshop.visas.models import VisaLetter
    from workshop.registration.models import Registration

    workshop, _organizer, q = letter_workshop
    client.post(f"/w/{workshop.slug}/register", data=form_data("dbl@example.org", **{f"q{q['visa']}": "yes"}))
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == "dbl@example.org"))
    mails_before = len(outbox(db))
    with app.test_request_context():
        first = visas.issue(registration)
        second = visas.issue(registration)
        assert visas.issue_for_everyone(workshop) == 0
        db.session.commit()
    assert first.id == second.id
    assert db.session.scalar(sa.select(sa.func.count(VisaLetter.id))) == 1
    assert len(outbox(db)) == mails_before + 1


def test_the_letter_pdf_is_written_by_the_worker_and_the_download_serves_the_stored_bytes(
        app, client, db, login_as, letter_workshop):
    """No web request renders a letter: until the worker has written it the download says so,
    afterwards it serves the stored PDF; regenerating after an edit replaces it."""
    from tests.support.smtp import deliver_outbox
    from workshop.platform.audit.models import AuditEntry
    from workshop.visas import service as visas
    from workshop.visas.models import VisaLetter

    workshop, organizer, q = letter_workshop
    client.post(f"/w/{workshop.slug}/register", data=form_data("kofi@example.org", name="Kofi Boateng",
                                                               **{f"q{q['visa']}": "yes"}))
    link = link_from_outbox(db, "kofi@example.org")
    client.post(f"{link}/follow-up", data={f"q{q['passport']}": "K7777777", f"q{q['embassy']}": "Embassy, Accra"})
    assert client.post(f"{link}/visa-letters").status_code == 302
    letter = db.session.scalar(sa.select(VisaLetter))
    assert letter.pdf is None  # the request that issued it rendered nothing

    for url in (f"{link}/visa-letters/{letter.id}.pdf", f"/manage/w/{workshop.slug}/visa-letters/{letter.id}.pdf"):
        if url.startswith("/manage"):
            login_as(organizer)
        waiting = client.get(url)
        assert waiting.status_code == 202 and waiting.mimetype == "text/html"
        page = waiting.get_data(as_text=True)
        assert "being prepared — reload in a moment" in page and letter.reference in page
        assert waiting.headers["Retry-After"] and "no-store" in waiting.headers["Cache-Control"]
        # The waiting page of every PDF the worker renders: it reloads itself, and leads back.
        assert waiting.headers["Refresh"] and f'href="{url}"' in page
        back = f"/manage/w/{workshop.slug}/visa-letters" if url.startswith("/manage") else link
        assert f'href="{back}"' in page
    db.session.expire_all()
    assert db.session.get(VisaLetter, letter.id).pdf is None  # nor did the downloads

    deliver_outbox(app)  # the worker's round writes the PDF; the mail carries the same bytes
    db.session.expire_all()
    stored = db.session.get(VisaLetter, letter.id).pdf
    assert stored.startswith(b"%PDF") and "K7777777" in _text(stored)
    download = client.get(f"/manage/w/{workshop.slug}/visa-letters/{letter.id}.pdf")
    assert download.status_code == 200 and download.data == stored

    # The participant corrects their passport number; the organizer regenerates the letter.
    client.get("/logout")
    client.post(f"{link}/follow-up", data={f"q{q['passport']}": "K8888888", f"q{q['embassy']}": "Embassy, Accra"})
    login_as(organizer)
    answer = client.post(f"/manage/w/{workshop.slug}/visa-letters/{letter.id}/regenerate")
    assert answer.status_code == 302
    db.session.expire_all()
    letter = db.session.get(VisaLetter, letter.id)
    assert letter.pdf is None and "K8888888" in letter.body and letter.number == 1
    assert client.get(f"/manage/w/{workshop.slug}/visa-letters/{letter.id}.pdf").status_code == 202
    deliver_outbox(app)
    db.session.expire_all()
    fresh = client.get(f"/manage/w/{workshop.slug}/visa-letters/{letter.id}.pdf")
    assert fresh.status_code == 200 and fresh.data != stored
    text = _text(fresh.data)
    assert "K8888888" in text and "K7777777" not in text and letter.reference in text
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "visa_letter.regenerated"))
    assert db.session.scalar(sa.select(sa.func.count(VisaLetter.id))) == 1
    # Another workshop's letter id, or a purged letter, cannot be regenerated.
    assert client.post(f"/manage/w/{workshop.slug}/visa-letters/{letter.id + 100}/regenerate").status_code == 404
    assert visas.letter_pdf(letter) == fresh.data
