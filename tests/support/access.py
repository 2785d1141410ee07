"""The people and records an access-matrix cell is requested with, made fresh for every cell.

Roles (the matrix columns, in order): anonymous, registrant (holds a registration token, no
account), rapporteur of this workshop, organizer of another workshop, organizer of this
workshop, site admin. When a feature adds records a route needs (a registration and its token,
an agenda item, a note...), make them in ``World.__init__`` and add their ids to ``samples``.
"""

import re
from datetime import date
from urllib.parse import quote

from werkzeug.security import generate_password_hash

from tests.support.agenda import add_item
from workshop.auth.models import User
from workshop.platform.db import db
from workshop.workshops import service
from workshop.workshops.models import Role, WorkshopStatus

ROLES = ("anonymous", "registrant", "rapporteur", "other_organizer", "organizer", "admin")

# A whole 1x1 transparent PNG (Pillow 13 refuses one whose pixel data is cut short).
PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)

_PASSWORD_HASH = None


def fast_user(email: str, name: str, *, admin: bool = False, can_create_workshops: bool = False) -> User:
    """An account without paying for a fresh scrypt hash each time (they all share one)."""
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = generate_password_hash("access matrix password", method="scrypt")
    user = User(email=email, name=name, password_hash=_PASSWORD_HASH, is_admin=admin,
                can_create_workshops=can_create_workshops)
    db.session.add(user)
    db.session.flush()
    return user


class World:
    def __init__(self):
        self.organizer = fast_user("organizer@matrix.test", "Organizer of this workshop", can_create_workshops=True)
        self.rapporteur = fast_user("rapporteur@matrix.test", "Rapporteur of this workshop")
        self.other_organizer = fast_user("other@matrix.test", "Organizer of another workshop",
                                         can_create_workshops=True)
        self.admin = fast_user("admin@matrix.test", "Site admin", admin=True)
        self.workshop = service.create_workshop(
            self.organizer, title="Matrix workshop", slug="matrix-workshop",
            start_date=date(2030, 5, 1), end_date=date(2030, 5, 2), conveners=["Matrix Centre"])
        service.set_status(self.workshop, WorkshopStatus.PUBLISHED)
        self.rapporteur_membership = service.add_member(self.workshop, self.rapporteur.email, Role.RAPPORTEUR)
        self.other_workshop = service.create_workshop(
            self.other_organizer, title="Another workshop", slug="another-workshop",
            start_date=date(2030, 6, 1), end_date=date(2030, 6, 2))
        # A convener of this workshop only: its organizer may change it, nobody else's may.
        self.organization = service.save_organization(self.workshop.conveners[0], name="Matrix Centre", logo=PNG_1x1)
        self.item = add_item(self.workshop, title="Opening plenary")
        from workshop.memos import service as memos
        from workshop.notes import service as notes

        note = notes.note_for(self.item)
        notes.save(note, "First draft of the session notes.", self.rapporteur, None)
        memo = memos.memo_for(self.workshop)
        memos.save(memo, "## Key takeaways\n\nA first draft.", self.rapporteur, None)
        french = memos.add_translation(memo, "fr")
        memos.save(french, "## Principaux enseignements\n\nUn premier projet.", self.rapporteur, None)
        self._registration_records()
        from workshop.workshops import team

        _outcome, self.team_invitation = team.invite(self.workshop, "joining@matrix.test", Role.RAPPORTEUR,
                                                     by=self.organizer)
        self._documents()
        self._message()
        self._questions_and_letter()
        self._review_and_followup(french)
        self._reminder()
        db.session.commit()

    def _registration_records(self):
        """Open registration with a published participant list; a confirmed registrant holding a
        registration link and a pending invitee holding an invitation link (the registrant role
        holds both: their token fits whichever kind of link the route takes)."""
        from workshop.people.models import Contact
        from workshop.registration import service as registration
        from workshop.registration.models import (
            AccessToken, Consent, Invitation, InvitationState, Registration, State)
        from workshop.registration.tokens import hash_token
        from workshop.platform.types import utcnow

        registration.update_settings(self.workshop, mode="open", participants_published=True)
        self.category = registration.categories_for(self.workshop)[0]
        self.contact = Contact(name="Invited Delegate", email="invitee@matrix.example.org", country="GH")
        db.session.add(self.contact)
        db.session.flush()
        self.invitation = Invitation(
            workshop_id=self.workshop.id, contact_id=self.contact.id, email=self.contact.email,
            name=self.contact.name, state=InvitationState.PENDING, created_at=utcnow(), sent_at=utcnow())
        self.registration = Registration(
            workshop_id=self.workshop.id, email="registrant@matrix.example.org", name="Registered Delegate",
            consent=Consent.PARTICIPANTS, privacy_accepted_at=utcnow(), state=State.CONFIRMED)
        db.session.add_all([self.invitation, self.registration])
        db.session.flush()
        self.registrant_token = "matrix-registration-token"
        self.invitation_token = "matrix-invitation-token"
        db.session.add_all([
            AccessToken(token_hash=hash_token(self.registrant_token), registration_id=self.registration.id),
            AccessToken(token_hash=hash_token(self.invitation_token), invitation_id=self.invitation.id),
        ])

    def _documents(self):
        """One document of each visibility, on the sample session; routes take the one for
        confirmed participants unless their row says otherwise."""
        from tests.support.documents import pdf
        from workshop.documents import service as documents

        self.documents = {
            visibility: documents.upload(
                self.workshop, filename="paper.pdf", data=pdf(), title=f"A {visibility} paper", description="",
                language="en", kind="background_paper", visibility=visibility, agenda_item_id=self.item.id)
            for visibility in ("public", "participants", "team")
        }

    def _message(self):
        """A message the organizer wrote to the confirmed registrant."""
        from workshop.messages.service import Audience, send

        self.message, _ = send(self.workshop, by=self.organizer, subject="Matrix message", body="Hello {first_name}",
                               audience=Audience(states=("confirmed",)), audience_label="Registrants: confirmed",
                               key="matrix-message-key-0000")

    def _questions_and_letter(self):
        """A visa question the registrant answered yes, a follow-up question it brings, the
        workshop's letter and the registrant's letter issued from it."""
        from workshop.visas import service as visas
        from workshop.questions import service as questions

        def add(label, kind, stage, condition=""):
            return questions.save_question(self.workshop, {
                "label": label, "kind": kind, "stage": stage, "required": True, "sensitive": stage == "follow_up",
                "help_text": "", "choices": [], "category_ids": [], "condition": condition})
        visa = add("Visa letter?", "yes_no", "registration")
        self.question = add("Passport number", "short_text", "follow_up", f"{visa.id}:yes")
        questions.save_answers(self.registration, {visa.id: "yes"})
        visas.save_template(self.workshop, {"body": "We invite {name}.", "letterhead": "Matrix Centre",
                                              "visa_question_id": visa.id, "passport_question_id": self.question.id})
        self.letter = visas.issue(self.registration)
    def _review_and_followup(self, memo):
        """A review of the French memo's draft (so the original memo's approval, which other
        tests of the sample world make, is not held back by it), open, with the registrant as reviewer (their registration
        token is their review link too) and one comment; recommendation 1; a frozen internal
        record and read-out (their PDF bytes stand in: rendering one per cell is slow); a series."""
        from datetime import timedelta

        from workshop.followup.models import Recommendation, RecordVersion
        from workshop.platform.stored_pdfs import StoredPdf
        from workshop.platform.types import utcnow
        from workshop.registration.tokens import hash_token
        from workshop.reviews.models import MemoReview, ReviewComment, Reviewer
        from workshop.workshops.models import Series

        now = utcnow()
        self.review = MemoReview(workshop_id=self.workshop.id, memo_id=memo.id, revision_number=1,
                                 source=memo.current.source, deadline=now + timedelta(days=3), state="open",
                                 opened_at=now)
        db.session.add(self.review)
        db.session.flush()
        reviewer = Reviewer(review_id=self.review.id, registration_id=self.registration.id,
                            name=self.registration.name, email=self.registration.email, language="en",
                            token_hash=hash_token(self.registrant_token), objection="")
        db.session.add(reviewer)
        db.session.flush()
        self.review_comment = ReviewComment(review_id=self.review.id, reviewer_id=reviewer.id, paragraph=1,
                                            text="A comment.", state="pending", reason="", created_at=now)
        db.session.add(self.review_comment)
        db.session.add(Recommendation(workshop_id=self.workshop.id, number=1, text="Do it.", in_memo=True,
                                      first_version=1, last_version=1, owner="", meant_for="", status="open",
                                      status_changed_at=now))
        for kind in ("internal", "readout"):
            record = RecordVersion(workshop_id=self.workshop.id, kind=kind, number=1, title=kind,
                                   html="<p>Frozen.</p>", frozen_at=now)
            db.session.add(record)
            db.session.flush()
            db.session.add(StoredPdf(key=f"record:{record.id}", kind="record", args={"record_id": record.id,
                                     "lang": "en"}, workshop_id=self.workshop.id, wanted="frozen",
                                     rendered="frozen", pdf=b"%PDF-1.7 stand-in", pdf_sha256="0" * 64))
        series = Series(slug="matrix-series", name="Matrix series", description="")
        db.session.add(series)
        self.workshop.series = series
        db.session.flush()
    def _reminder(self):
        """A reminder rule of this workshop, a week before it starts; version 1 of its French
        confirmation letter."""
        from workshop.reminders.service import add_rule

        from workshop.letters.service import save

        save(self.workshop, "confirmation", "fr", subject="Matrix letter", body="{salutation}")
        self.reminder = add_rule(self.workshop, kind="before_start", days=7, hour=9, subject="Matrix reminder",
                                 body="Hello {first_name}")

    def samples(self, role: str) -> dict:
        """Values for the variable parts of every rule, by name."""
        values = {
            "slug": self.workshop.slug,
            "member_id": self.rapporteur_membership.id,
            "organization_id": self.organization.id,
            "action": "publish",
            "item_id": self.item.id,
            "number": 1,
            "token": self.registrant_token,
            "invitation_token": self.invitation_token,
            "unsubscribe_token": self.unsubscribe_token(),
            "registration_id": self.registration.id,
            "invitation_id": self.invitation.id,
            "category_id": self.category.id,
            "contact_id": self.contact.id,
            "fmt": "csv",
            "language": "fr",
            "user_id": self.rapporteur.id,
            "team_invitation_id": self.team_invitation.id,
            "document_id": self.documents["participants"].id,
            "filename": "paper.pdf",
            "message_id": self.message.id,
            "question_id": self.question.id,
            "direction": "up",
            "what": "send",
            "stage": "registration",
            "letter_id": self.letter.id,
            "review_id": self.review.id,
            "comment_id": self.review_comment.id,
            "paragraph": 1,
            "rule_id": self.reminder.id,
            "kind": "confirmation",  # a letter; the outputs' rules name theirs in URL_OVERRIDES
        }
        if role != "registrant":
            # Everyone but the registrant tries the route with a token that is not theirs.
            values["token"] = values["invitation_token"] = values["unsubscribe_token"] = "not-a-real-token"
        return values

    def unsubscribe_token(self) -> str:
        """The signed token of the invitee's one-click unsubscribe link."""
        from workshop.registration.unsubscribe import unsubscribe_token

        return unsubscribe_token(self.workshop, self.invitation.email)

    def user_for(self, role: str) -> User | None:
        return {
            "rapporteur": self.rapporteur,
            "other_organizer": self.other_organizer,
            "organizer": self.organizer,
            "admin": self.admin,
        }.get(role)


def build_url(rule: str, samples: dict) -> str:
    """``/manage/w/<slug>/team/<int:member_id>/remove`` with the sample values put in."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(str(samples[m.group(1)]), safe=""), rule)


def sign_in(client, user: User | None) -> None:
    if user is None:
        return
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
