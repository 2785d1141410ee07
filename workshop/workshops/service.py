"""Operations on workshops, their organizations and their teams: the only place they change."""

import difflib
from datetime import date

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import selectinload

from workshop.platform import audit
from workshop.workshops import logos
from workshop.workshops.series import series_named
from workshop.platform.events import announce
from workshop.platform.types import normalize_email
from workshop.auth.models import User
from workshop.platform.collections import sync_ordered_links
from workshop.platform.db import db
from workshop.platform.transaction import lock_workshop
from workshop.workshops.attribution_rules import AttributionRule
from workshop.workshops.models import (
    PUBLIC_STATUSES,
    Organization,
    OrganizerKind,
    Role,
    Workshop,
    WorkshopMember,
    WorkshopOrganization,
    WorkshopStatus,
)
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import LANGUAGES

# Changes a calendar client must not ignore (RFC 5545 SEQUENCE of the workshop's event).
SEQUENCE_FIELDS = ("start_date", "end_date", "venue", "city")
WORKSHOP_FIELDS = (
    "title", "slug", "theme", "network", "prepares_meeting", "conference",
    "venue", "city", "timezone", "start_date", "end_date", "description",
    "default_language", "languages", "contact_email", "attribution_rule", "online_link", "online_details",
)
LOGO_MAX_BYTES = logos.MAX_BYTES


class WorkshopError(UserError):
    pass


# Reading ------------------------------------------------------------------------------------


def public_workshops(today: date | None = None) -> tuple[list[Workshop], list[Workshop]]:
    """Published and archived workshops: upcoming (soonest first), then past (latest first)."""
    today = today or date.today()
    rows = db.session.scalars(
        sa.select(Workshop)
        .where(Workshop.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Workshop.organizations))
        .order_by(Workshop.start_date)
    ).all()
    upcoming = [w for w in rows if w.end_date >= today]
    past = sorted((w for w in rows if w.end_date < today), key=lambda w: w.start_date, reverse=True)
    return upcoming, past


# Every public page starts here; building a select costs more than SQLite takes to run it, so
# this one is built once.
_PUBLIC_WORKSHOP = (
    sa.select(Workshop)
    .where(Workshop.slug == sa.bindparam("slug"))
    .options(selectinload(Workshop.organizations))
)


# The same without the organizations, for pages that do not show them (the registration form
# and its answers, which the opening rush asks for a thousand times a minute).
_PUBLIC_WORKSHOP_ALONE = sa.select(Workshop).where(Workshop.slug == sa.bindparam("slug"))


def get_public_workshop(slug: str, *, organizations: bool = True) -> Workshop | None:
    workshop = db.session.scalar(_PUBLIC_WORKSHOP if organizations else _PUBLIC_WORKSHOP_ALONE, {"slug": slug})
    if workshop is None or not workshop.is_public:
        return None
    return workshop


def get_workshop_for_page(slug: str) -> Workshop | None:
    """The workshop by slug, public or not, with what its pages show."""
    return db.session.scalar(_PUBLIC_WORKSHOP, {"slug": slug})


def workshops_for(user: User) -> list[Workshop]:
    query = sa.select(Workshop).order_by(Workshop.start_date.desc())
    if not user.is_admin:
        query = query.join(WorkshopMember).where(WorkshopMember.user_id == user.id).distinct()
    return list(db.session.scalars(query))


# Workshops ----------------------------------------------------------------------------------


def create_workshop(creator: User, *, conveners=(), co_organizers=(), **fields) -> Workshop:
    """A new draft workshop whose creator is its first organizer."""
    workshop = Workshop(status=WorkshopStatus.DRAFT)
    _apply_fields(workshop, fields)
    db.session.add(workshop)
    db.session.flush()
    db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=creator.id, role=Role.ORGANIZER))
    _set_organizations(workshop, OrganizerKind.CONVENER, conveners)
    _set_organizations(workshop, OrganizerKind.CO_ORGANIZER, co_organizers)
    audit.record("workshop.created", workshop=workshop, actor=creator, target=workshop,
                 slug=workshop.slug, title=workshop.title)
    announce("workshop.created", workshop=workshop)
    db.session.flush()
    return workshop


def update_workshop(workshop: Workshop, *, conveners=None, co_organizers=None, **fields) -> Workshop:
    before = _audit_snapshot(workshop)
    sequence = workshop.sequence
    _apply_fields(workshop, fields)
    if conveners is not None:
        _set_organizations(workshop, OrganizerKind.CONVENER, conveners)
    if co_organizers is not None:
        _set_organizations(workshop, OrganizerKind.CO_ORGANIZER, co_organizers)
    after = _audit_snapshot(workshop)
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if changes:
        audit.record("workshop.updated", workshop=workshop, target=workshop, changes=changes)
    if workshop.sequence != sequence and workshop.status == WorkshopStatus.PUBLISHED:
        announce("workshop.moved", workshop=workshop)
    db.session.flush()
    return workshop


def set_status(workshop: Workshop, status: str) -> Workshop:
    if status not in set(WorkshopStatus):
        raise WorkshopError(N_("Unknown status %(status)s."), status=repr(status))
    previous = workshop.status
    if previous == WorkshopStatus.CANCELLED and status != previous:
        raise WorkshopError(N_("A cancelled workshop stays cancelled; create a new one for new dates."))
    if status == WorkshopStatus.CANCELLED and previous == WorkshopStatus.DRAFT:
        raise WorkshopError(N_("A draft was never announced: change it or leave it unpublished instead."))
    workshop.status = status
    if previous != status:
        audit.record("workshop.status_changed", workshop=workshop, target=workshop,
                     from_status=previous, to_status=status)
    if status == WorkshopStatus.CANCELLED and previous != status:
        # The feed's copy must outrank every invitation already sent.
        workshop.sequence += 1
        announce("workshop.cancelled", workshop=workshop)
    db.session.flush()
    return workshop


def _audit_snapshot(workshop: Workshop) -> dict:
    values = {name: getattr(workshop, name) for name in WORKSHOP_FIELDS}
    values["conveners"] = ", ".join(o.name for o in workshop.conveners)
    values["co_organizers"] = ", ".join(o.name for o in workshop.co_organizers)
    return values


def _apply_fields(workshop: Workshop, fields: dict) -> None:
    unknown = set(fields) - set(WORKSHOP_FIELDS)
    if unknown:
        raise WorkshopError(N_("Unknown workshop fields: %(names)s"), names=", ".join(sorted(unknown)))
    if "attribution_rule" in fields and fields["attribution_rule"] not in set(AttributionRule):
        raise WorkshopError(N_("Choose an attribution rule from the list."))
    moved = False
    for name, value in fields.items():
        if name == "network":
            # Typed as a name; stored as the series record of that name (made when new).
            workshop.series = series_named(value or "", workshop=workshop if workshop.id else None)
            continue
        if name == "languages" and not isinstance(value, str):
            value = " ".join(code for code in LANGUAGES if code in set(value or ())) or " ".join(LANGUAGES)
        value = value.strip() if isinstance(value, str) else value
        if name in SEQUENCE_FIELDS and workshop.id is not None and getattr(workshop, name) != value:
            moved = True
        setattr(workshop, name, value)
    if moved:
        workshop.sequence = (workshop.sequence or 0) + 1
    if workshop.start_date and workshop.end_date and workshop.end_date < workshop.start_date:
        raise WorkshopError(N_("The last day cannot be before the first day."))
    if fields.get("contact_email"):
        # It goes into Reply-To headers and calendar files: one plain address, nothing else.
        try:
            validate_email(workshop.contact_email, check_deliverability=False, allow_smtputf8=False)
        except EmailNotValidError:
            raise WorkshopError(N_("Enter a valid email address, like name@example.org.")) from None
    if "default_language" in fields or "languages" in fields:
        if (workshop.default_language or "en") not in (workshop.languages or " ".join(LANGUAGES)).split():
            raise WorkshopError(N_("The default language must be one of the languages offered."))


# Organizations ------------------------------------------------------------------------------


def find_or_create_organization(name: str) -> Organization:
    name = " ".join(name.split())
    organization = db.session.scalar(
        sa.select(Organization).where(sa.func.lower(Organization.name) == name.lower())
    )
    if organization is None:
        organization = Organization(name=name)
        db.session.add(organization)
        db.session.flush()
    return organization


def _set_organizations(workshop: Workshop, kind: str, names) -> None:
    """Make the workshop's list of ``kind`` exactly ``names``, in that order."""
    wanted = list({o.id: o for o in (find_or_create_organization(name) for name in names)}.values())
    sync_ordered_links(
        workshop.organizations, [link for link in workshop.organizations if link.kind == kind], wanted,
        key=lambda organization: organization.id, key_of_link=lambda link: link.organization_id,
        make=lambda organization: WorkshopOrganization(organization=organization, kind=kind))


def _comparable(name: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in name.casefold()).split()
    return " ".join(w for w in words if w not in ("the", "of", "for", "and"))


def similar_organizations(name: str, *, limit: int = 3) -> list[Organization]:
    """Existing organizations whose name nearly matches ``name`` but is not the same: one name
    inside the other ("Stanley Center" in "Stanley Center for Peace and Security"), or a close
    spelling. Empty when ``name`` itself exists (then it is that one)."""
    wanted = _comparable(name)
    if not wanted:
        return []
    found = []
    for organization in all_organizations():
        other = _comparable(organization.name)
        if other == wanted and organization.name.casefold() == " ".join(name.split()).casefold():
            return []
        inside = f" {wanted} " in f" {other} " or f" {other} " in f" {wanted} "
        if other == wanted or inside or difflib.SequenceMatcher(None, wanted, other).ratio() >= 0.85:
            found.append(organization)
    return found[:limit]


def merge_organizations(source: Organization, target: Organization) -> Organization:
    """A site admin's merge of a duplicate: every workshop that named ``source`` names
    ``target`` in its place (once), and ``source`` is gone."""
    if source.id == target.id:
        raise WorkshopError(N_("Choose another organization to merge into."))
    links = db.session.scalars(sa.select(WorkshopOrganization).where(
        WorkshopOrganization.organization_id == source.id)).all()
    for link in links:
        duplicate = db.session.scalar(sa.select(WorkshopOrganization.id).where(
            WorkshopOrganization.workshop_id == link.workshop_id, WorkshopOrganization.kind == link.kind,
            WorkshopOrganization.organization_id == target.id))
        if duplicate is not None:
            db.session.delete(link)
        else:
            link.organization_id = target.id
    audit.record("organization.merged", target=target, merged=source.name, into=target.name,
                 workshops=len(links))
    db.session.flush()
    db.session.delete(source)
    db.session.flush()
    return target


def all_organizations() -> list[Organization]:
    return list(db.session.scalars(sa.select(Organization).order_by(Organization.name)))


def prepare_logo(data: bytes) -> tuple[bytes, str]:
    """The logo to store, re-encoded, and its type, from the file's own bytes (never from its
    name or the browser's claim)."""
    try:
        return logos.prepare_logo(data)
    except logos.LogoError as error:
        raise WorkshopError(error.args[0]) from None  # marked N_ in logos.py


def save_organization(organization: Organization | None, *, name: str, short_name: str = "",
                      url: str = "", logo: bytes | None = None) -> Organization:
    name = " ".join(name.split())
    clash = db.session.scalar(
        sa.select(Organization.id).where(sa.func.lower(Organization.name) == name.lower())
    )
    if clash is not None and (organization is None or clash != organization.id):
        raise WorkshopError(N_("Another organization already has this name."))
    logo, mimetype = prepare_logo(logo) if logo else (None, None)
    action = "organization.created" if organization is None else "organization.updated"
    if organization is None:
        organization = Organization(name=name)
        db.session.add(organization)
    organization.name = name
    organization.short_name = short_name.strip()
    organization.url = url.strip()
    if mimetype:
        organization.logo_mimetype = mimetype
        organization.logo = logo
    audit.record(action, target=organization, name=name, logo_replaced=bool(logo))
    db.session.flush()
    return organization


# Teams --------------------------------------------------------------------------------------


def add_member(workshop: Workshop, email: str, role: str) -> WorkshopMember:
    if role not in set(Role):
        raise WorkshopError(N_("Choose organizer or rapporteur."))
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is None:
        # Team invitations (workshops/team.py) deal with addresses that have no account yet.
        raise WorkshopError(N_("No account uses this email."))
    existing = db.session.scalar(
        sa.select(WorkshopMember).where(
            WorkshopMember.workshop_id == workshop.id,
            WorkshopMember.user_id == user.id,
            WorkshopMember.role == role,
        )
    )
    if existing is not None:
        return existing
    member = WorkshopMember(workshop_id=workshop.id, user_id=user.id, role=role)
    db.session.add(member)
    audit.record("team.member_added", workshop=workshop, target=member, email=user.email, role=role)
    db.session.flush()
    return member


def remove_member(workshop: Workshop, member_id: int) -> None:
    # Two organizers removing each other at once would each count two organizers and leave
    # none: the count is read under the workshop's lock, after any other removal has ended.
    lock_workshop(workshop.id)
    member = db.session.get(WorkshopMember, member_id)
    if member is None or member.workshop_id != workshop.id:
        raise WorkshopError(N_("That person is not on this workshop's team."))
    organizers = db.session.scalar(sa.select(sa.func.count(WorkshopMember.id)).where(
        WorkshopMember.workshop_id == workshop.id, WorkshopMember.role == Role.ORGANIZER))
    if member.role == Role.ORGANIZER and organizers <= 1:
        raise WorkshopError(N_("A workshop needs at least one organizer."))
    audit.record("team.member_removed", workshop=workshop, target=member,
                 email=member.user.email, role=member.role)
    db.session.delete(member)
    db.session.flush()
