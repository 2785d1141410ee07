"""The demo of the contract: two workshops, demo accounts, and each feature's demo data.

Idempotent: every record is looked up by a natural key (slug, email, name) before it is made,
and nothing a user entered is changed or removed.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from workshop.auth import service as accounts
from workshop.auth.models import User
from workshop.platform.db import db
from workshop.workshops import service as workshops
from workshop.workshops.models import Role, Workshop, WorkshopMember, WorkshopStatus

R2P_SLUG = "r2p-focal-points-2012"
OPEN_SLUG = "demo-open-workshop"
ORGANIZER_EMAIL = "organizer@demo.example"
RAPPORTEUR_EMAIL = "rapporteur@demo.example"

# Each feature adds a module with ``load(demo: DemoContext)``; run in this order after the
# foundation's records exist.
FEATURE_LOADERS: tuple[str, ...] = (
    "workshop.agenda.demo",
    "workshop.documents.demo",
    "workshop.registration.demo",
    "workshop.questions.demo",
    "workshop.visas.demo",
    "workshop.memos.demo",
    "workshop.followup.demo",
)

R2P_DESCRIPTION = (
    "In advance of the second formal meeting of the R2P Focal Points Network, the Global Centre "
    "for the Responsibility to Protect and the Stanley Center bring together R2P Focal Points and "
    "other national representatives, UN mission ambassadors and experts, UN officials and mass "
    "atrocity specialists to address the challenges faced by individual Focal Points and their "
    "developing global network.\n\n"
    "The Focal Points initiative was launched in September 2010 by the Global Centre with the "
    "governments of Denmark and Ghana; Costa Rica and Australia have since joined as co-organizers.\n\n"
    "Demo note: the venue and city shown here are illustrative; the public memo does not give them."
)


@dataclass
class DemoContext:
    organizer: User
    rapporteur: User
    r2p: Workshop
    open_workshop: Workshop
    today: date
    lines: list[str] = field(default_factory=list)


def _credentials_path() -> Path:
    return Path(current_app.instance_path) / "demo-accounts.txt"


def _ensure_account(email: str, name: str, passwords: dict[str, str]) -> User:
    user = accounts.find_user(email)
    if user is None:
        password = secrets.token_urlsafe(12)
        user = accounts.create_user(email, name, password)
        passwords[email] = password
    return user


def _ensure_accounts() -> tuple[User, User, list[str]]:
    """Demo accounts get random passwords, kept in instance/ (never in the repository)."""
    path = _credentials_path()
    known = _known_passwords()
    created: dict[str, str] = {}
    organizer = _ensure_account(ORGANIZER_EMAIL, "Olga Organizer (demo)", created)
    rapporteur = _ensure_account(RAPPORTEUR_EMAIL, "Rafael Rapporteur (demo)", created)
    # The demo organizer tries every step, creating a workshop of their own included.
    accounts.set_rights(organizer, can_create_workshops=True, by="demo")
    known.update(created)
    if created:
        path.write_text("".join(f"{email} {password}\n" for email, password in known.items()))
        path.chmod(0o600)
    return organizer, rapporteur, _account_lines(known)


def _known_passwords() -> dict[str, str]:
    path = _credentials_path()
    known = {}
    if path.exists():
        for line in path.read_text().splitlines():
            email, _, password = line.partition(" ")
            known[email] = password
    return known


def _account_lines(known: dict[str, str]) -> list[str]:
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    lines = [f"Demo accounts: sign in at {base}/login (kept in {_credentials_path()}):"]
    for role, email in (("organizer", ORGANIZER_EMAIL), ("rapporteur", RAPPORTEUR_EMAIL)):
        password = known.get(email, "(set before this instance kept demo-accounts.txt)")
        lines.append(f"  {role:<10}  {email}  password: {password}")
    lines.append("Participants need no account: register at "
                 f"{base}/w/{OPEN_SLUG}/register. The README's \"First tour\" says what to try.")
    return lines


def account_lines() -> list[str]:
    """The demo accounts as ``flask demo`` prints them, read back from the instance folder."""
    return _account_lines(_known_passwords())


def _ensure_member(workshop: Workshop, user: User, role: str) -> None:
    exists = db.session.scalar(
        sa.select(WorkshopMember.id).where(
            WorkshopMember.workshop_id == workshop.id,
            WorkshopMember.user_id == user.id,
            WorkshopMember.role == role,
        )
    )
    if exists is None:
        db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=user.id, role=role))
        db.session.commit()


def _ensure_workshop(slug: str, organizer: User, **fields) -> tuple[Workshop, bool]:
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is not None:
        return workshop, False
    workshop = workshops.create_workshop(organizer, slug=slug, **fields)
    workshops.set_status(workshop, WorkshopStatus.PUBLISHED)
    return workshop, True


def load_demo(today: date | None = None) -> list[str]:
    today = today or date.today()
    organizer, rapporteur, account_lines = _ensure_accounts()
    r2p, made_r2p = _ensure_workshop(
        R2P_SLUG,
        organizer,
        title="Preparatory Workshop for the Second Meeting of the R2P Focal Points Network",
        theme="Mass Violence and Atrocities",
        network="R2P Focal Points Network",
        prepares_meeting="Second Meeting of the R2P Focal Points Network",
        conference="43rd United Nations Issues Conference",
        venue="Conference centre (illustrative)",
        city="Tarrytown, New York (illustrative)",
        timezone="America/New_York",
        start_date=date(2012, 2, 24),
        end_date=date(2012, 2, 26),
        description=R2P_DESCRIPTION,
        # Held under the Chatham House Rule: the participant list is for participants only.
        attribution_rule="chatham_house",
        conveners=["Global Centre for the Responsibility to Protect", "Stanley Center"],
        contact_email="r2p-focal-points@example.org",
        co_organizers=[
            "Government of Denmark",
            "Government of Ghana",
            "Government of Costa Rica",
            "Government of Australia",
            "Global Centre for the Responsibility to Protect",
        ],
    )
    start = today + timedelta(days=45)
    open_workshop, made_open = _ensure_workshop(
        OPEN_SLUG,
        organizer,
        title="Demo: Preparatory Workshop on Early Warning and National Focal Points",
        theme="Atrocity Prevention in Practice",
        network="R2P Focal Points Network",
        prepares_meeting="Annual Meeting of the R2P Focal Points Network (demo)",
        conference="",
        venue="Demo Conference Centre, Room A",
        city="Accra",
        timezone="Africa/Accra",
        start_date=start,
        end_date=start + timedelta(days=1),
        description=(
            "A demo workshop for trying every step: registration is open, the agenda is set, "
            "and invitations have gone out. Nothing here is real."
        ),
        # On the record, so that a new user sees a public participant list too.
        attribution_rule="on_record",
        conveners=["Global Centre for the Responsibility to Protect"],
        co_organizers=["Government of Ghana", "Government of Denmark"],
        contact_email="early-warning-demo@example.org",
    )
    for workshop in (r2p, open_workshop):
        _ensure_member(workshop, organizer, Role.ORGANIZER)
        _ensure_member(workshop, rapporteur, Role.RAPPORTEUR)

    context = DemoContext(organizer, rapporteur, r2p, open_workshop, today)
    for module_name in FEATURE_LOADERS:
        import_module(module_name).load(context)
    db.session.commit()

    summary = [
        f"Demo workshop {R2P_SLUG}: {'created' if made_r2p else 'already present'}.",
        f"Demo workshop {OPEN_SLUG}: {'created' if made_open else 'already present'}.",
    ]
    return summary + context.lines + account_lines
