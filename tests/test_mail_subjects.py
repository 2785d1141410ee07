"""Every subject reads back exactly as written, whatever decoder the recipient's client uses.

Subjects go through the app's real message building (``queue_mail``) and come back out of the
stored bytes through two decoders that share no code with the building side: the standard
library's compat32 ``decode_header`` + ``make_header``, and a strict RFC 2047 decoder written
here (encoded words decoded one by one; whitespace dropped only between two adjacent encoded
words, RFC 2047 section 6.2). Both must return the original, character for character.
"""

import base64
import binascii
import email
import random
import re
from email import policy
from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa

from workshop.platform.mail.models import OutboxMessage
from workshop.platform.mail.outbox import queue_mail

REPORTED = "Session cancelled: Coopération régionale — Côte d’Ivoire"

HAND_PICKED = [
    REPORTED,
    "Session changed: Coopération régionale — Côte d’Ivoire",
    "Registration confirmed: Atelier régional sur la responsabilité de protéger — Abidjan, Côte d’Ivoire, juin 2030",
    "Invitation: “Prevention” and ‘early warning’ — a workshop",
    "Session cancelled: Prévention des atrocités — débat « ouvert » avec Nguyễn Thị Minh Khai et Zoë Ørsted-Ångström",
    "A seat is yours: 🌍 Global Focal Points 🤝 — 2030",
    "Family 👨‍👩‍👧‍👦 and flags 🇨🇮 🇸🇳 🇫🇷 in one subject",
    "ورشة عمل إقليمية حول منع الفظائع الجماعية — الدار البيضاء",
    "关于预防暴行的区域研讨会 — 日内瓦 2030 年 6 月",
    "Региональный семинар по предотвращению массовых злодеяний — Женева",
    "Mixed: Genève — Женева — جنيف — 日内瓦 — Geneva 🇨🇭",
    " leading and trailing spaces ",
    "two  spaces   and    more — é",
    "tab\tinside — é",
    "Literal =?utf-8?q?not_an_encoded_word?= in a subject",
    "Question? Equals = underscore _ and ?= — é",
    "Plain ASCII subject that is long enough to be folded at least once by any mail composer out there",
    "x" * 120,
    "é" * 90,
    "Registration withdrawn: " + "Coopération régionale — Côte d’Ivoire " * 6,
    "",
    "—",
    "a — b",
]

WORDS = [
    "Coopération", "régionale", "—", "Côte", "d’Ivoire", "“quoted”", "‘single’", "Zoë", "Ørsted",
    "Ångström", "Nguyễn", "Thị", "Đặng", "Müller-Lüdenscheidt", "façade", "naïve", "São", "Paulo",
    "🌍", "🤝", "👩🏽‍💻", "🇨🇮", "✅", "ورشة", "عمل", "إقليمية", "منع", "الفظائع", "研讨会", "预防",
    "暴行", "日内瓦", "семинар", "предотвращению", "Женева", "злодеяний", "workshop", "session",
    "Session", "cancelled:", "changed:", "Geneva", "2030", "R2P", "focal", "points", "a", "of",
    "–", "…", "«", "»", "€", "Ω", "x" * 40, "Kraków-Wrocław-Gdańsk-Szczecin-Bydgoszcz",
]


def generated_subjects(count: int, seed: int = 20300601) -> list[str]:
    rng = random.Random(seed)
    subjects = []
    for _ in range(count):
        target = rng.choice([20, 50, 75, 90, 120, 160, 210, 260])
        words = []
        while len(" ".join(words)) < target:
            words.append(rng.choice(WORDS))
        subject = " ".join(words)
        if rng.random() < 0.1:  # now and then several spaces, wherever a fold may fall
            subject = subject.replace(" ", "  ", rng.randint(1, 3))
        subjects.append(subject)
    return subjects


# The strict decoder ---------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?*\s]+)(?:\*[^?\s]*)?\?([QqBb])\?([!->@-~]*)\?=")


def unfold(value: str) -> str:
    """RFC 5322 section 2.2.3: unfolding removes a CRLF that is followed by white space."""
    return re.sub(r"\r?\n(?=[ \t])", "", value)


def _decode_word(charset: str, encoding: str, text: str) -> str:
    if encoding.lower() == "b":
        try:
            data = base64.b64decode(text, validate=True)
        except binascii.Error as error:
            raise AssertionError(f"bad base64 in an encoded word: {text!r}") from error
    else:
        assert "=" not in re.sub(r"=[0-9A-F]{2}", "", text), f"bad Q escape in {text!r}"
        data = re.sub(rb"=([0-9A-F]{2})", lambda m: bytes([int(m.group(1), 16)]),
                      text.replace("_", " ").encode("ascii"))
    # Each encoded word must hold whole characters (RFC 2047 section 5): decode it alone.
    return data.decode(charset)


def strict_decode(value: str) -> str:
    """The unfolded field body, leading white space after the colon not included."""
    tokens = re.split(r"([ \t]+)", unfold(value).lstrip(" \t"))
    kinds = []
    for token in tokens:
        if token and token.isspace():
            kinds.append(("space", token))
        elif (word := _ENCODED_WORD.fullmatch(token)):
            kinds.append(("encoded", _decode_word(*word.groups())))
        else:
            assert "=?" not in token or not _ENCODED_WORD.search(token), \
                f"an encoded word not delimited by white space: {token!r}"
            kinds.append(("text", token))
    out = []
    for index, (kind, text) in enumerate(kinds):
        if (kind == "space" and 0 < index < len(kinds) - 1
                and kinds[index - 1][0] == "encoded" and kinds[index + 1][0] == "encoded"):
            continue
        out.append(text)
    return "".join(out)


def test_the_strict_decoder_drops_only_space_between_encoded_words():
    assert strict_decode("=?utf-8?q?a?= =?utf-8?q?b?=") == "ab"
    assert strict_decode("=?utf-8?q?a?=\r\n =?utf-8?b?w6k=?=") == "aé"
    assert strict_decode("a =?utf-8?q?=C3=A9?= b") == "a é b"
    assert strict_decode("=?utf-8?q?a_?= =?utf-8?q?b?=") == "a b"


# Through the app --------------------------------------------------------------------------------


def subject_field(raw: bytes) -> tuple[str, list[bytes]]:
    """The Subject field body and its physical lines, read straight from the bytes."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    for index, line in enumerate(head):
        if line.lower().startswith(b"subject:"):
            lines = [line]
            for following in head[index + 1:]:
                if following[:1] not in (b" ", b"\t"):
                    break
                lines.append(following)
            return b"\r\n".join(lines)[len(b"subject:"):].decode("ascii"), lines
    raise AssertionError("no Subject header")


def built(db, subjects: list[str]) -> list[bytes]:
    ids = [queue_mail("ama@example.org", "test_message", subject=subject,
                      context={"name": "Ama", "slug": "r2p"}).message_id for subject in subjects]
    db.session.flush()
    stored = dict(db.session.execute(
        sa.select(OutboxMessage.message_id, OutboxMessage.raw).where(OutboxMessage.message_id.in_(ids))
    ).all())
    return [stored[message_id] for message_id in ids]


@pytest.mark.parametrize("source", ["hand-picked", "generated"])
def test_every_subject_decodes_to_itself(app, db, source):
    subjects = HAND_PICKED if source == "hand-picked" else generated_subjects(600)
    wrong = []
    for subject, raw in zip(subjects, built(db, subjects)):
        value, lines = subject_field(raw)
        assert raw.isascii()
        too_long = [line for line in lines if len(line) > 78]
        too_long += [w for w in re.findall(r"=\?\S*?\?[QqBb]\?\S*?\?=", value) if len(w) > 75]
        if too_long:
            wrong.append(("length", subject, too_long, value))
        compat32 = email.message_from_bytes(raw)["Subject"]
        decoded = {
            "compat32": str(make_header(decode_header(unfold(compat32)))),
            "strict RFC 2047": strict_decode(value),
            "policy.default": str(email.message_from_bytes(raw, policy=policy.default)["Subject"]),
        }
        for decoder, text in decoded.items():
            if text != subject:
                wrong.append((decoder, subject, text, value))
    assert not wrong, "\n".join(f"{d}: {s!r} came back as {t!r} from {v!r}" for d, s, t, v in wrong[:10])


def test_the_reported_subject_keeps_the_space_before_cote(app, db):
    [raw] = built(db, [REPORTED])
    value, _ = subject_field(raw)
    assert strict_decode(value) == REPORTED
    assert "— Côte" in str(make_header(decode_header(unfold(email.message_from_bytes(raw)["Subject"]))))
