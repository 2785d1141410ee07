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
from workshop.extensions import db
from workshop.workshops import service
from workshop.workshops.models import Role, WorkshopStatus

ROLES = ("anonymous", "registrant", "rapporteur", "other_organizer", "organizer", "admin")

PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

_PASSWORD_HASH = None


def fast_user(email: str, name: str, *, admin: bool = False) -> User:
    """An account without paying for a fresh scrypt hash each time (they all share one)."""
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = generate_password_hash("access matrix password", method="scrypt")
    user = User(email=email, name=name, password_hash=_PASSWORD_HASH, is_admin=admin)
    db.session.add(user)
    db.session.flush()
    return user


class World:
    def __init__(self):
        self.organizer = fast_user("organizer@matrix.test", "Organizer of this workshop")
        self.rapporteur = fast_user("rapporteur@matrix.test", "Rapporteur of this workshop")
        self.other_organizer = fast_user("other@matrix.test", "Organizer of another workshop")
        self.admin = fast_user("admin@matrix.test", "Site admin", admin=True)
        self.workshop = service.create_workshop(
            self.organizer, title="Matrix workshop", slug="matrix-workshop",
            start_date=date(2030, 5, 1), end_date=date(2030, 5, 2), conveners=["Matrix Centre"])
        service.set_status(self.workshop, WorkshopStatus.PUBLISHED)
        self.rapporteur_membership = service.add_member(self.workshop, self.rapporteur.email, Role.RAPPORTEUR)
        self.other_workshop = service.create_workshop(
            self.other_organizer, title="Another workshop", slug="another-workshop",
            start_date=date(2030, 6, 1), end_date=date(2030, 6, 2))
        self.organization = service.save_organization(None, name="Logo Holder", logo=PNG_1x1)
        self.item = add_item(self.workshop, title="Opening plenary")
        from workshop.memos import service as memos
        from workshop.notes import service as notes

        note = notes.note_for(self.item)
        notes.save(note, "First draft of the session notes.", self.rapporteur, None)
        memo = memos.memo_for(self.workshop)
        memos.save(memo, "## Key takeaways\n\nA first draft.", self.rapporteur, None)
        self.registrant_token = None  # the registration feature sets a real token here
        db.session.commit()

    def samples(self, role: str) -> dict:
        """Values for the variable parts of every rule, by name."""
        values = {
            "slug": self.workshop.slug,
            "member_id": self.rapporteur_membership.id,
            "organization_id": self.organization.id,
            "action": "publish",
            "item_id": self.item.id,
            "number": 1,
            "token": self.registrant_token or "no-registration-yet",
        }
        if role != "registrant":
            # Everyone but the registrant tries the route with a token that is not theirs.
            values["token"] = "not-a-real-token"
        return values

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
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
