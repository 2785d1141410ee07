"""The message of text and HTML written straight to bytes (``mail/mime.py``) is the message
``EmailMessage`` writes: the same bytes but for the boundary (and the Date, which must read as
the same instant), or, where a name is encoded another way or a header is refused, the same
headers and parts for a reader. And it arrives as written, read back by aiosmtpd."""

import re
from email import policy
from email.parser import BytesParser
from email.utils import make_msgid, parsedate_to_datetime

import pytest

from tests.support.smtp import deliver_outbox, smtp_server  # noqa: F401  (fixture)
from workshop.platform.mail import mime, outbox
from workshop.platform.mail.models import OutboxMessage
from workshop.platform.mail.outbox import Letter

BOUNDARY = re.compile(rb"={15}\d{19}==")
DATE = re.compile(rb"^Date: [^\r]*\r\n", re.MULTILINE)
LONG_LINK = "https://workshop.test/unsubscribe/" + "A1b2C3d4E5" * 9 + ".sig-" + "x" * 43

TEXTS = {
    "ascii": "Dear Ama,\n\nSee you in Accra.\n\n\n\nThe team\n",
    "long ascii lines": "Dear Ama,\n\n" + "word " * 40 + "\n" + "x" * 120 + "\n",
    "accents, few lines": "Chère Zoë,\n\nÀ bientôt à Genève — 10–11 mars.\n",
    "accents, many lines": "".join(f"Ligne {n} : réunion à Genève\n" for n in range(25)),
    "mostly not latin": "".join(f"亲爱的 {n}，我们期待在日内瓦见到您。\n" for n in range(14)),
    "arabic, long lines": "عزيزي " * 60 + "\n\nمع أطيب التحيات\n",
    "no final newline": "Dear Ama,\n\nSee you.",
    "dots and equals": ".\n=?utf-8?q?x?=\nFrom the team\n===============\n",
    "empty": "",
}
HTML = "<p>Dear Ama — <a href=\"https://workshop.test/r/abc\">your registration</a></p>\n"
PEOPLE = {
    "bare": "ama@example.org",
    "plain name": "Ama Mensah <ama@example.org>",
    "name with a comma": "Mensah, Ama <ama@example.org>",
    "name with a dot and quote": '"Dr. A. \\"Ama\\" Mensah" <ama@example.org>',
    "accented name": "Zoë Ünal <zoe@example.org>",
    "chinese name": "王小明 <wang@example.org>",
    "long name": "Ama Kwaku Mensah-Owusu of the Ministry of Foreign Affairs and Regional Integration <a@b.org>",
}


def _both(letter: Letter) -> tuple[bytes | None, bytes]:
    """(the direct bytes or None when it declines, the EmailMessage bytes) of one letter."""
    message_id = make_msgid(domain="workshop.test")
    recipients, sender = outbox._checked(letter.to, letter.subject)
    reply_to = outbox._address(letter.reply_to, "reply_to") if letter.reply_to else None
    text, html = letter.parts
    text = outbox._BLANK_LINES.sub("\n\n", text)
    direct = outbox._build_alternative(letter, message_id, recipients, sender, reply_to, text, html)
    usual = outbox._build_email_message(letter, message_id, recipients, sender, reply_to, text, html)
    return direct, usual


def _same_instant(first: bytes, second: bytes) -> None:
    dates = [parsedate_to_datetime(DATE.search(raw).group().decode()[6:].strip()) for raw in (first, second)]
    assert abs((dates[0] - dates[1]).total_seconds()) < 2


def _normal(raw: bytes) -> bytes:
    """The boundaries (random) and the Date line (the second it was written) taken out."""
    return DATE.sub(b"", BOUNDARY.sub(b"<boundary>", raw))


def _read(raw: bytes):
    message = BytesParser(policy=policy.default).parsebytes(raw)
    parts = [(part.get_content_type(), part["Content-Transfer-Encoding"], part.get_content())
             for part in message.iter_parts()]
    return message, parts


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_the_direct_message_is_byte_for_byte_what_email_message_writes(app, text):
    letter = Letter("Ama Mensah <ama@example.org>", "composed_message", "Practical details — Genève",
                    {}, reply_to="team@example.org", parts=(text, HTML))
    with app.app_context():
        direct, usual = _both(letter)

    assert direct is not None
    assert direct.isascii()
    assert _normal(direct) == _normal(usual)
    _same_instant(direct, usual)


@pytest.mark.parametrize("to", PEOPLE.values(), ids=PEOPLE.keys())
def test_a_reader_sees_the_same_headers_and_parts_from_either_builder(app, to):
    letter = Letter([to, "second@example.org"], "composed_message", "Rappel : atelier du 24–26 février",
                    {}, reply_to="Équipe, Atelier <team@example.org>", unsubscribe_url=LONG_LINK,
                    parts=(TEXTS["accents, many lines"], HTML))
    with app.app_context():
        app.config["MAIL_FROM"] = "Atelier préparatoire <workshop@workshop.test>"
        direct, usual = _both(letter)
    if direct is None:  # declined (a header line too long to leave unfolded): the usual builder writes it
        assert to == PEOPLE["long name"]
        return
    ours, our_parts = _read(direct)
    theirs, their_parts = _read(usual)
    for name in ("From", "To", "Reply-To", "Subject", "Message-ID", "Auto-Submitted",
                 "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version", "Content-Type"):
        if name == "Content-Type":
            assert ours.get_content_type() == theirs.get_content_type() == "multipart/alternative"
            continue
        assert str(ours[name]) == str(theirs[name]), name
        assert not ours[name].defects, name
    assert [(a.display_name, a.addr_spec) for a in ours["To"].addresses] == \
           [(a.display_name, a.addr_spec) for a in theirs["To"].addresses]
    assert our_parts == their_parts
    assert not ours.defects


def test_the_unsubscribe_link_goes_out_whole_on_one_line(app):
    """A link longer than a header line used to be folded into encoded words by the library: a
    mail client's one-click unsubscribe cannot use that. Both builders now write it whole."""
    for parts, attachments in (((TEXTS["ascii"], HTML), ()),
                               ((TEXTS["ascii"], HTML), (outbox.Attachment("a.txt", "text/plain", b"hello"),))):
        letter = Letter("ama@example.org", "composed_message", "Subject", {}, unsubscribe_url=LONG_LINK,
                        parts=parts, attachments=attachments)
        with app.app_context():
            raw = outbox.build_letter(letter, make_msgid(domain="workshop.test"))
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert f"\r\nList-Unsubscribe: <{LONG_LINK}>\r\n".encode() in head + b"\r\n"
        assert b"=?" not in head
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert str(message["List-Unsubscribe"]) == f"<{LONG_LINK}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_names_that_could_pass_for_encoded_words_or_controls_take_the_usual_builder(app):
    for name in ("=?utf-8?q?Admin?=", "Tab\there"):
        address = outbox.Address(display_name=name, username="a", domain="example.org")
        assert mime.mailbox(address) is None


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_URL": smtp_server.url}


def test_a_composed_shape_message_arrives_as_written_and_reads_back(app, db, smtp_server):
    with app.app_context():
        outbox.queue_mail("Zoë Ünal <zoe@example.org>", "test_message", subject="Réunion — Genève",
                          context={"name": "Zoë", "slug": "atelier"}, reply_to="Mensah, Ama <ama@example.org>",
                          unsubscribe_url=LONG_LINK)
        db.session.commit()
        stored = db.session.query(OutboxMessage).one().raw
    deliver_outbox(app)

    [received] = smtp_server.received
    assert received.raw.replace(b"\r\n", b"\n") == stored.replace(b"\r\n", b"\n")
    message = received.message
    assert message["Subject"] == "Réunion — Genève"
    assert message["To"].addresses[0].display_name == "Zoë Ünal"
    assert message["Reply-To"].addresses[0].display_name == "Mensah, Ama"
    assert received.mail_from == "workshop@workshop.test"
    assert received.rcpt_tos == ("zoe@example.org",)
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert "Zoë" in message.get_body(("plain",)).get_content()
    assert "Zoë" in message.get_body(("html",)).get_content()
    assert not message.defects


@pytest.mark.parametrize("mail_from", [
    "workshop@workshop.test",
    "Workshop Team <workshop@workshop.test>",
    '"Mensah, Ama" <ama@workshop.test>',
    "Atelier préparatoire de la Conférence régionale sur la prévention <atelier@workshop.test>",
])
def test_the_envelope_sender_is_the_address_in_the_from_header(app, mail_from):
    from datetime import datetime, timezone

    from workshop.platform.mail.worker import Claim

    app.config["MAIL_FROM"] = mail_from
    with app.app_context():
        letter = Letter("ama@example.org", "composed_message", "Hi", {}, parts=("x", "<p>x</p>"))
        raw = outbox.build_letter(letter, make_msgid(domain="workshop.test"))
    claim = Claim(id=1, message_id="<x@y>", recipients=["ama@example.org"], raw=raw, attempts=0,
                  lease=datetime.now(timezone.utc))
    expected = BytesParser(policy=policy.default).parsebytes(raw)["From"].addresses[0].addr_spec
    assert claim.sender == expected == outbox._address(mail_from, "MAIL_FROM").addr_spec
