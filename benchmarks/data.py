"""The benchmark's own data, in its own database, built through the app's services.

A workshop with 3 days and 36 agenda items, 300 registrations and a 6-page published memo (1x);
the same at 10x for the query-count figure. Each part is built through the feature's service
when the feature is on this build, and is skipped (with the reason recorded) when it is not.
"""

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks import pdfwork

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "benchmark-only-secret-key"
ORGANIZER_EMAIL = "organizer@bench.example"
ORGANIZER_PASSWORD = "benchmark organizer password"
DAYS = 3
ITEMS_PER_DAY = 12
REGISTRATIONS = 300
TIMEZONE = "Europe/Zurich"


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def app_env(database_url: str, instance_path: Path, mail_url: str | None = None) -> dict:
    """Environment for ``flask`` commands and gunicorn: the contract's settings only."""
    return {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "MAIL_URL": mail_url or f"file://{instance_path / 'outbox'}",
        "BASE_URL": "http://127.0.0.1:5000",
        "BENCH_INSTANCE_PATH": str(instance_path),
        # The checkout first; a PYTHONPATH the run was started with (packages kept outside the
        # virtualenv) stays after it.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
    }


def flask_command(args: list[str], env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "workshop", *args],
        cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout,
        check=True,
    )


def migrate(database_url: str, instance_path: Path) -> None:
    """The schema the way the contract makes it: ``flask db upgrade``."""
    flask_command(["db", "upgrade"], app_env(database_url, instance_path))


def make_app(database_url: str, instance_path: Path, **overrides):
    from workshop import create_app

    config = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "MAIL_URL": f"file://{instance_path / 'outbox'}",
        "WTF_CSRF_ENABLED": True,
        **overrides,
    }
    return create_app(config, instance_path=str(instance_path))


@dataclass
class BuiltWorkshop:
    slug: str
    scale: int
    agenda_items: int = 0
    registrations: int = 0
    memo_pages: int | None = None
    skipped: dict[str, str] = field(default_factory=dict)


def organizer():
    """The benchmark's organizer account (made once per database)."""
    from workshop.auth import service as accounts

    user = accounts.find_user(ORGANIZER_EMAIL)
    if user is None:
        user = accounts.create_user(ORGANIZER_EMAIL, "Bench Organizer", ORGANIZER_PASSWORD)
    return user


def build_workshop(slug: str, *, scale: int = 1, memo: bool = True, registration_mode: str = "open",
                   capacity: int | None = None, registrations: int | None = None) -> BuiltWorkshop:
    """Needs an app context. ``scale`` multiplies agenda items and registrations."""
    from workshop.workshops import service as workshops
    from workshop.workshops.models import WorkshopStatus

    user = organizer()
    start = date.today() + timedelta(days=60)
    workshop = workshops.create_workshop(
        user, slug=slug, title=f"Benchmark Workshop ({scale}x data)",
        theme="Mass Violence and Atrocities", network="R2P Focal Points Network",
        prepares_meeting="Third Meeting of the R2P Focal Points Network",
        conference="Benchmark Conference", venue="Palais des Nations, Room XX", city="Geneva",
        timezone=TIMEZONE, start_date=start, end_date=start + timedelta(days=DAYS - 1),
        description="\n\n".join(pdfwork.SEED_PARAGRAPHS),
        conveners=["Global Centre for the Responsibility to Protect", "Stanley Center"],
        co_organizers=["Government of Denmark", "Government of Ghana",
                       "Government of Costa Rica", "Government of Australia"],
    )
    workshops.set_status(workshop, WorkshopStatus.PUBLISHED)
    built = BuiltWorkshop(slug=slug, scale=scale)
    built.agenda_items = add_agenda(workshop, scale)
    wanted = REGISTRATIONS * scale if registrations is None else registrations
    if has_module("workshop.registration.service"):
        # The service locks and queues an email per registration: right for 300, minutes for
        # 3,000. Past the first 300 the copies go in through the models, in bulk.
        through_service = min(wanted, REGISTRATIONS)
        built.registrations = add_registrations(workshop, through_service, registration_mode, capacity)
        built.registrations += bulk_registrations(workshop, through_service, wanted)
    else:
        built.skipped["registrations"] = "registration feature not on this build yet"
    if memo:
        if has_module("workshop.memos.service"):
            built.memo_pages = publish_memo(workshop, user)
        else:
            built.skipped["memo"] = "memo feature not on this build yet"
    from workshop.platform.db import db

    db.session.commit()  # services only flush: the builder commits, as a command does
    return built


def add_agenda(workshop, scale: int, *, through_service: bool = True) -> int:
    """Agenda items through the agenda service (as an organizer makes them), or with
    ``through_service=False`` the same items through the models (tests); one commit.

    ``scale`` parallel rooms, each with 12 items a day; each item has a chair and two speakers."""
    from workshop.agenda import service as agenda
    from workshop.agenda.models import AgendaItem, AgendaItemPerson, ItemKind, PersonRole
    from workshop.platform.db import db
    from workshop.people.models import Contact

    zone = ZoneInfo(workshop.timezone)
    kinds = [ItemKind.PLENARY, ItemKind.WORKING_SESSION, ItemKind.BREAKOUT, ItemKind.BREAK]
    contacts = [
        Contact(name=f"Speaker {workshop.id}-{n}", email=f"speaker{n}.w{workshop.id}@bench.example",
                position="Ambassador", organization="Permanent Mission", country="DK")
        for n in range(30 * scale)
    ]
    db.session.add_all(contacts)
    db.session.commit()
    count = 0
    for day in range(DAYS):
        local_day = workshop.start_date + timedelta(days=day)
        for room in range(scale):
            for slot in range(ITEMS_PER_DAY):
                starts = datetime.combine(local_day, time(8, 0), tzinfo=zone) + timedelta(minutes=45 * slot)
                fields = dict(
                    kind=kinds[slot % len(kinds)],
                    title=f"Session {day + 1}.{slot + 1}: operationalizing R2P at the national level",
                    description=pdfwork.SEED_PARAGRAPHS[slot % len(pdfwork.SEED_PARAGRAPHS)],
                    guiding_questions="What works?\nWhat does the network need?",
                    starts_at=starts.astimezone(timezone.utc),
                    ends_at=(starts + timedelta(minutes=40)).astimezone(timezone.utc),
                    room=f"Room {room + 1}",
                )
                chairs = [contacts[count % len(contacts)]]
                speakers = [contacts[(count + 1) % len(contacts)], contacts[(count + 2) % len(contacts)]]
                if through_service:
                    agenda.create_item(workshop, chairs=chairs, speakers=speakers, **fields)
                else:
                    item = AgendaItem(workshop_id=workshop.id, **fields)
                    item.people = [AgendaItemPerson(contact=c, role=role, position=p) for role, people in
                                   ((PersonRole.CHAIR, chairs), (PersonRole.SPEAKER, speakers))
                                   for p, c in enumerate(people)]
                    db.session.add(item)
                count += 1
    db.session.commit()
    return count


def registration_fields(n: int, workshop_id: int) -> dict:
    return {
        "name": f"Participant {n}", "email": f"participant{n}.w{workshop_id}@bench.example",
        "organization": "Ministry of Foreign Affairs", "position": "Focal Point",
        "country": ["DK", "GH", "CR", "AU", "CH"][n % 5], "consent": "public",
    }


def open_registration(workshop, mode: str = "open", capacity: int | None = None) -> None:
    from workshop.registration import service as registrations

    registrations.update_settings(workshop, mode=mode, capacity=capacity, participants_published=True)


def add_registrations(workshop, count: int, mode: str, capacity: int | None) -> int:
    """Through ``registration.service.register`` (hook for feature/registration)."""
    from workshop.registration import service as registrations

    open_registration(workshop, mode, capacity)
    for n in range(count):
        registrations.register(workshop, registration_fields(n, workshop.id))
    return count


def bulk_registrations(workshop, start: int, stop: int) -> int:
    """Confirmed registrations ``start``..``stop`` straight through the models, in one commit."""
    if stop <= start:
        return 0
    from workshop.platform.db import db
    from workshop.registration.models import Registration, State
    from workshop.platform.types import utcnow

    now = utcnow()
    rows = []
    for n in range(start, stop):
        fields = registration_fields(n, workshop.id)
        rows.append(Registration(
            workshop_id=workshop.id, email=fields["email"], name=fields["name"],
            organization=fields["organization"], position=fields["position"],
            country=fields["country"], consent=fields["consent"], state=State.CONFIRMED,
            privacy_accepted_at=now,
        ))
    db.session.add_all(rows)
    db.session.commit()
    return len(rows)


def publish_memo(workshop, user) -> int:
    """Write, approve and publish a six-page memo through the memo service; returns its pages."""
    import io

    from pypdf import PdfReader

    from workshop.memos import service as memos

    memo = memos.memo_for(workshop)
    memos.save(memo, pdfwork.memo_source(), user, None)
    memos.submit_for_review(memo)
    try:
        memos.approve(memo)
    except memos.AttributionUnresolved as unresolved:
        memos.approve(memo, accepted=unresolved.names)
    version = memos.publish(memo, user)
    return len(PdfReader(io.BytesIO(version.pdf)).pages)
