"""An edited letter written for many people one after another (bulk invitations, reminders by
the worker) is rendered once per version and language and filled in per person
(``placeholders.render_one_of_many``): what each person gets must be, byte for byte, what
rendering their letter on its own gives, whatever their name, honorific and language."""

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.support.registration import taking_registrations  # noqa: F401
from tests.test_messages_rendering import BODIES, NAMES, _random_names
from workshop.messages import placeholders
from workshop.people import honorifics
from workshop.platform.i18n import in_language

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")
WORKSHOP = SimpleNamespace(title="Early Warning (2031) *draft*", start_date=date(2031, 6, 2),
                           end_date=date(2031, 6, 3), venue="Palais des Nations", city="Geneva")
LINK = "http://workshop.test/invitations/Ab_c-9_Zq"
POSITIONS = ("", "Ambassador", "Permanent Representative", "Director [acting]", "*Head*")


def _people(count_random: int = 40) -> list[dict]:
    codes = ("",) + honorifics.CODES + ("unknown",)
    names = NAMES + _random_names(count_random)
    return [{"name": name, "position": POSITIONS[n % len(POSITIONS)], "honorific": codes[n % len(codes)],
             "link": (LINK, "", "http://workshop.test/invitations/_ab")[n % 3], "waitlist_place": n % 4 or None}
            for n, name in enumerate(names)]


def _row(subject: str, body: str, **formal) -> SimpleNamespace:
    return SimpleNamespace(id=7, subject=subject, body=body, signatory_name=formal.get("name", ""),
                           signatory_title=formal.get("title", ""), reply_by=formal.get("reply_by"))


def _both_ways(monkeypatch, rows, people):
    """Each person's letter from each row, the new way and the one-person-at-a-time way."""
    from workshop.letters import service as letters

    fast = [letters.write(WORKSHOP, row, person) for row in rows for person in people]
    with monkeypatch.context() as patched:
        patched.setattr(placeholders, "render_one_of_many", placeholders.render)
        alone = [letters.write(WORKSHOP, row, person) for row in rows for person in people]
    return fast, alone


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_default_letter_reads_as_it_would_written_alone_in_every_language(app, monkeypatch, language):
    from workshop.letters import service as letters

    with app.test_request_context(), in_language(language):
        rows = [_row(letters.default_subject(kind), letters.default_body(kind),
                     name="Olga Ivanova", title="Director", reply_by=date(2031, 5, 1)) for kind in letters.KINDS]
        fast, alone = _both_ways(monkeypatch, rows, _people())
    assert fast == alone
    assert len({letter.text for letter in fast}) > len(rows)  # each person's own values in it


def test_edited_letters_read_as_they_would_written_alone(app, monkeypatch):
    bodies = BODIES + ["{salutation}\n\nPlease answer by {reply_by}: you are number {waitlist_place}.\n\n"
                       "[Answer]({self_service_link})", "Dear {full_name} ({waitlist_place})"]
    with app.test_request_context(), in_language("en"):
        rows = [_row("About {workshop_title}, {first_name}", body, reply_by=date(2031, 5, 1)) for body in bodies]
        fast, alone = _both_ways(monkeypatch, rows, _people(20))
    assert fast == alone
    ama = next(letter for letter in fast if letter.subject == "About Early Warning (2031) *draft*, Ama")
    assert "Ama" in ama.text and "Ama" in ama.html


def test_bulk_invitations_from_an_edited_letter_are_the_same_bytes_as_each_written_alone(
        app, db, taking_registrations, monkeypatch):
    from workshop.letters import service as letters
    from workshop.people.models import Contact
    from workshop.platform.mail.models import OutboxMessage
    from workshop.platform.mail.outbox import render_parts
    from workshop.registration import invitations, notify

    workshop = taking_registrations()
    letters.save(workshop, "invitation", "en", subject="An invitation to {workshop_title}",
                 body="{salutation}\n\nI have the honour to invite you, {full_name}, to **{workshop_title}**, "
                      "{dates}. Please answer by {reply_by}: [answer here]({self_service_link}).",
                 signatory_name="Olga Ivanova", signatory_title="Director", reply_by=date(2031, 5, 1))
    codes = ("",) + honorifics.CODES
    contacts = [Contact(name=name, email=f"person{n}@example.org", position=POSITIONS[n % len(POSITIONS)],
                        honorific=codes[n % len(codes)]) for n, name in enumerate(NAMES[:40])]
    db.session.add_all(contacts)
    db.session.flush()
    assert invitations.invite_many(workshop, contacts) == len(contacts)
    db.session.commit()
    pending = [row.pending["args"] for row in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.pending.is_not(None)).order_by(OutboxMessage.id))]
    assert len(pending) == len(contacts)

    def written(args):
        letter = notify.write_invitation(args)
        with in_language(letter.language):
            return letter.subject, letter.context["letter"], render_parts(letter.template, letter.context,
                                                                          letter.subject)

    placeholders._prepared.cache_clear()
    with app.test_request_context():
        fast = [written(args) for args in pending]
        prepared = placeholders._prepared.cache_info()
        with monkeypatch.context() as patched:
            patched.setattr(placeholders, "render_one_of_many", placeholders.render)
            alone = [written(args) for args in pending]
    assert fast == alone
    assert prepared.misses == 1 and prepared.hits == len(pending) - 1  # rendered once, for everyone
    assert all(letter.version_id is not None for _, letter, _ in fast)
    assert "I have the honour to invite you, Ama Mensah, to" in fast[0][2][0]
