"""queue_mail builds the whole message at queue time and only adds it to the session."""

from email.utils import formataddr

import pytest
import sqlalchemy as sa

from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)
from workshop.platform.mail.models import OutboxMessage, OutboxStatus
from workshop.platform.mail.outbox import Attachment, queue_mail

INVITE = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//workshop//tests//EN\r\n"
    "METHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:session-1@workshop.test\r\n"
    "DTSTAMP:20300101T000000Z\r\n"
    "DTSTART:20300601T090000Z\r\n"
    "DTEND:20300601T103000Z\r\n"
    "SUMMARY:Opening session – prévention des atrocités\r\n"
    "ORGANIZER:mailto:workshop@workshop.test\r\n"
    "ATTENDEE;RSVP=TRUE:mailto:ama@example.org\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
).encode("utf-8")


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


def queue_test_message(to="ama@example.org", **options):
    options.setdefault("subject", "Test message")
    context = options.pop("context", {"name": "Ama", "slug": "r2p-focal-points-2012"})
    return queue_mail(to, "test_message", context=context, **options)


def outbox_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_delivered_message_has_text_and_html_parts_from_the_templates(app, db, smtp_server):
    queue_test_message(["Ama Mensah <ama@example.org>", "kofi@example.org"],
                       subject="Your registration")
    db.session.commit()

    report = deliver_outbox(app)

    assert report.sent == 1
    [received] = smtp_server.received
    assert received.mail_from == "workshop@workshop.test"
    assert sorted(received.rcpt_tos) == ["ama@example.org", "kofi@example.org"]
    message = received.message
    assert message["From"] == "workshop@workshop.test"
    assert [a.addr_spec for a in message["To"].addresses] == ["ama@example.org",
                                                               "kofi@example.org"]
    assert message["To"].addresses[0].display_name == "Ama Mensah"
    assert message["Subject"] == "Your registration"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert "Hello Ama," in text.get_content()
    assert "http://workshop.test/w/r2p-focal-points-2012/" in text.get_content()
    assert html.get_content_type() == "text/html"
    assert '<a href="http://workshop.test/w/r2p-focal-points-2012/">' in html.get_content()
    assert "sent automatically" in html.get_content()  # the shared layout


def test_html_part_escapes_the_context_and_text_part_does_not(app, db, smtp_server):
    queue_test_message(context={"name": "<b>Ama & Kofi</b>", "slug": "x"})
    db.session.commit()
    deliver_outbox(app)

    text, html = smtp_server.messages[0].iter_parts()
    assert "Hello <b>Ama & Kofi</b>," in text.get_content()
    assert "&lt;b&gt;Ama &amp; Kofi&lt;/b&gt;" in html.get_content()


def test_calendar_goes_in_as_alternative_part_and_as_invite_attachment(app, db, smtp_server):
    agenda = Attachment("agenda.pdf", "application/pdf", b"%PDF-1.7 not really")
    queue_test_message(calendar=INVITE, calendar_method="REQUEST", attachments=[agenda])
    db.session.commit()
    deliver_outbox(app)

    message = smtp_server.messages[0]
    assert message.get_content_type() == "multipart/mixed"
    alternative, invite, pdf = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    text, html, calendar = alternative.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST"
    assert calendar.get_content_charset() == "utf-8"
    assert calendar.get_content().splitlines() == INVITE.decode("utf-8").splitlines()
    assert invite.get_filename() == "invite.ics"
    assert invite.get_content_disposition() == "attachment"
    assert invite.get_content_type() == "application/ics"
    assert invite.get_content() == INVITE
    assert pdf.get_filename() == "agenda.pdf"
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == b"%PDF-1.7 not really"


def test_calendar_method_is_read_from_the_calendar_when_not_given(app, db, smtp_server):
    queue_test_message(calendar=INVITE.replace(b"METHOD:REQUEST", b"METHOD:CANCEL"))
    db.session.commit()
    deliver_outbox(app)

    alternative = next(smtp_server.messages[0].iter_parts())
    [calendar] = [p for p in alternative.iter_parts() if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "CANCEL"


def test_a_calendar_method_that_contradicts_the_file_is_refused(app, db):
    with pytest.raises(ValueError, match="METHOD:REQUEST"):
        queue_test_message(calendar=INVITE, calendar_method="CANCEL")


def test_attachment_content_type_parameters_are_kept(app, db, smtp_server):
    queue_test_message(attachments=[Attachment(
        "workshop.ics", "text/calendar; method=PUBLISH; charset=utf-8", INVITE)])
    db.session.commit()
    deliver_outbox(app)

    _, attachment = smtp_server.messages[0].iter_parts()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == "workshop.ics"
    assert attachment.get_content_disposition() == "attachment"


def test_non_ascii_names_and_subject_are_encoded_and_read_back(app, db, smtp_server):
    queue_test_message("Søren Ærø Ñúñez <soren@example.org>",
                       subject="Confirmation : atelier préparatoire – 24–26 février")
    db.session.commit()
    deliver_outbox(app)

    [received] = smtp_server.received
    assert received.raw.isascii()  # 7-bit on the wire: encoded words and QP/base64 bodies
    assert b"=?utf-8?" in received.raw.split(b"\r\n\r\n", 1)[0]
    message = received.message
    assert message["Subject"] == "Confirmation : atelier préparatoire – 24–26 février"
    assert message["To"].addresses[0].display_name == "Søren Ærø Ñúñez"
    assert received.rcpt_tos == ("soren@example.org",)


@pytest.mark.parametrize("to", [
    "Mensah, Ama <ama@example.org>",
    '"Mensah, Ama" <ama@example.org>',
    formataddr(("Mensah, Ama", "ama@example.org")),
])
def test_a_display_name_with_a_comma_is_one_recipient(app, db, smtp_server, to):
    queue_test_message([to, "ama@example.org"])
    db.session.commit()
    deliver_outbox(app)

    [received] = smtp_server.received
    assert received.rcpt_tos == ("ama@example.org",)  # listed twice, sent once
    assert received.message["To"].addresses[0].display_name == "Mensah, Ama"


def test_formataddr_encoded_names_are_decoded_once(app, db, smtp_server):
    queue_test_message(formataddr(("Zoë Ñúñez", "zoe@example.org")))
    db.session.commit()
    deliver_outbox(app)

    assert smtp_server.messages[0]["To"].addresses[0].display_name == "Zoë Ñúñez"


def test_message_id_is_fixed_at_queue_time(app, db, smtp_server):
    queued = queue_test_message()
    db.session.commit()
    deliver_outbox(app)

    assert queued.message_id.endswith("@workshop.test>")
    assert smtp_server.messages[0]["Message-ID"] == queued.message_id


@pytest.mark.parametrize("field, value", [
    ("to", "ama@example.org\r\nBcc: victim@example.org"),
    ("to", "ama@example.org\nBcc: victim@example.org"),
    ("subject", "Hello\r\nBcc: victim@example.org"),
    ("subject", "Hello\rX-Injected: yes"),
    ("reply_to", "ama@example.org\nBcc: victim@example.org"),
])
def test_line_breaks_in_headers_are_rejected(app, db, field, value):
    options = {"to": "ama@example.org", "subject": "Hello", field: value}
    with pytest.raises(ValueError):
        queue_test_message(options.pop("to"), **options)
    assert outbox_count(db) == 0


@pytest.mark.parametrize("to", ["not an address", "a@example.org, b@example.org",
                                "a@example.org b@example.org", "Ama <a@exa_mple.org>",
                                "a@-example.org", "", []])
def test_anything_but_one_address_per_recipient_is_rejected(app, db, to):
    with pytest.raises(ValueError):
        queue_test_message(to)


def test_attachment_file_name_with_a_path_or_line_break_is_rejected(app, db):
    for name in ("../secret.txt", "a\r\nContent-Type: text/html"):
        with pytest.raises(ValueError):
            queue_test_message(attachments=[Attachment(name, "text/plain", b"x")])


def test_queue_mail_neither_commits_nor_sends(app, db, smtp_server):
    queue_test_message("kept@example.org")
    db.session.commit()

    queued = queue_test_message("rolled-back@example.org")
    assert queued in db.session.new  # only added to the session
    db.session.rollback()
    assert smtp_server.received == []

    report = deliver_outbox(app)

    assert report.sent == 1
    assert [r.rcpt_tos for r in smtp_server.received] == [("kept@example.org",)]
    assert db.session.scalars(sa.select(OutboxMessage.recipients)).all() == ["kept@example.org"]


def test_queued_message_waits_in_the_outbox_until_the_worker_runs(app, db, smtp_server):
    queued = queue_test_message()
    db.session.commit()

    assert smtp_server.received == []
    assert queued.status == OutboxStatus.QUEUED
    assert queued.attempts == 0
    assert queued.sent_at is None


def test_international_domain_is_sent_in_its_ascii_form(app, db, smtp_server):
    queue_test_message("Jürgen <juergen@bücher.example>")
    db.session.commit()
    deliver_outbox(app)

    assert smtp_server.received[0].rcpt_tos == ("juergen@xn--bcher-kva.example",)


def test_a_sharp_s_domain_is_mailed_where_the_validator_checked_it(app, db, smtp_server):
    # IDNA 2003 (Python's "idna" codec) maps ß to ss: strasse.example is someone else's domain.
    from email_validator import validate_email

    typed = "anne@straße.example"
    checked = validate_email(typed, check_deliverability=False, allow_smtputf8=False)
    queue_test_message(f"Anne <{typed}>")
    db.session.commit()
    deliver_outbox(app)

    [received] = smtp_server.received
    assert received.rcpt_tos == (checked.ascii_email,) == ("anne@xn--strae-oqa.example",)
    assert "xn--strae-oqa.example" in received.message["To"]


def test_a_domain_idna_2008_refuses_is_not_mailed_under_older_rules(app, db):
    with pytest.raises(ValueError):
        queue_test_message("someone@\u2603.example")  # a snowman: IDNA 2003 only


def test_non_ascii_local_part_is_refused_rather_than_garbled(app, db):
    with pytest.raises(ValueError):
        queue_test_message("jürgen@example.org")
