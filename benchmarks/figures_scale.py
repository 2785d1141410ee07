"""Figure 8: the organizer's lists at the size of a whole network.

A database of its own (``.work/scale/scale.sqlite3``, migrated by ``flask db upgrade``) holds
200 workshops, 100,000 contacts and 30,000 registrations, 3,000 of them in one workshop (with
4,000 invitations, 100 sent messages and 3,000 activity-log entries) and 30 in a small one (the
same rows a hundred times fewer). The rows go in with one Core ``executemany`` insert per
table (seconds, where the services would take many minutes); the two measured workshops, their
organizer and their question are made through the services first, as an organizer makes them.

Then, through the test client in this process, signed in as the organizer of both workshops (a
site admin for the whole directory): each organizer list's server CPU per request
(``time.process_time``, the median of 20 after a warm-up, the big and the small workshop's page
taking turns) and its SQL statements at both (flat means the same number), and the registration
CSV export streamed whole, with its Python memory peak (``tracemalloc``) while the rows are read
out, against the same export of the small workshop.
"""

import csv
import io
import re
import statistics
import time
import tracemalloc
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from benchmarks import data
from benchmarks.context import Bench
from benchmarks.pages import count_queries, has_route
from benchmarks.report import Row, skipped

BIG_SLUG, SMALL_SLUG = "scale-big", "scale-small"
TIME_TARGET_MS = 50
LIST_TARGET = f"< {TIME_TARGET_MS} ms, same queries at 1x"
EXPORT_TARGET = "every row; peak within 2x of the 30-row export's"
EXPORT_BATCH = 500  # rows exports.csv_chunks reads at a time
ADMIN_EMAIL = "scale-admin@bench.example"
NETWORK_EMAIL = "scale-network@bench.example"
QUESTION = "Need a visa letter?"


@dataclass(frozen=True)
class Size:
    workshops: int
    contacts: int
    registrations: int  # in the whole network
    big: int  # registrations in the big workshop
    small: int  # and in the small one
    repeats: int  # timed requests per list, after the warm-up

    @property
    def label(self) -> str:
        return f"{self.big:,} registrations, {self.contacts:,} contacts"

    @property
    def ratio(self) -> int:
        return self.big // self.small


FULL = Size(workshops=200, contacts=100_000, registrations=30_000, big=3_000, small=30, repeats=20)
QUICK = Size(workshops=20, contacts=5_000, registrations=1_500, big=300, small=30, repeats=5)


def size_for(bench: Bench) -> Size:
    return QUICK if bench.settings.quick else FULL


@dataclass(frozen=True)
class OrganizerList:
    name: str
    path: str  # at the big workshop, with {slug} and {question}
    small_path: str | None  # at the small one, when not the same path
    total: int | None  # the rows the big workshop's page says it has (None: it shows no count)
    next_page: bool  # whether the big workshop's page links to a next one

    def url(self, slug: str, question: int, *, small: bool = False) -> str:
        return ((self.small_path if small and self.small_path else self.path)
                .format(slug=slug, question=question))


def lists(size: Size) -> list[OrganizerList]:
    """Every organizer list, with what the big workshop's page must say. The contacts directory
    is not a workshop's: its "1x" is the same directory searched down to the small workshop's
    people (a search is a WHERE, not another statement)."""
    invitations = size.big + size.big // 3
    per_page = 50
    last = -(-size.big // per_page)
    organizer_contacts = invitations + size.small + size.small // 3
    confirmed_yes = -(-size.big // 6)  # every third is confirmed, every second said yes
    return [
        OrganizerList("registration list", "/manage/w/{slug}/registrations", None, size.big, True),
        OrganizerList("registration list, last page", f"/manage/w/{{slug}}/registrations?page={last}",
                      "/manage/w/{slug}/registrations?page=1", size.big, False),
        OrganizerList("registrations filtered by state and answer",
                      "/manage/w/{slug}/registrations?state=confirmed&answer={question}:yes", None, confirmed_yes,
                      confirmed_yes > per_page),
        OrganizerList("registrations searched by name", "/manage/w/{slug}/registrations?q=delegate+00", None,
                      size.big, True),
        OrganizerList("invitations", "/manage/w/{slug}/invitations", None, invitations, True),
        OrganizerList("directory picker (every contact)", "/manage/w/{slug}/invitations/directory", None,
                      size.contacts, True),
        OrganizerList("message history", "/manage/w/{slug}/messages", None, size.big // 30,
                      size.big // 30 > per_page),
        # A hundred entries at a time, by an "older" link (no count).
        OrganizerList("activity log", "/manage/w/{slug}/audit", None, None, True),
        OrganizerList("documents", "/manage/w/{slug}/documents", None, None, False),
        OrganizerList("contacts directory (organizer)", "/manage/contacts/", "/manage/contacts/?q=small.bench",
                      organizer_contacts, True),
        OrganizerList("contacts directory (site admin: every contact)", "/manage/contacts/",
                      "/manage/contacts/?q=small.bench", size.contacts, True),
        # Searching the whole directory: a LIKE over every contact, whatever the workshop's size.
        OrganizerList("contacts directory searched (site admin: every contact)",
                      "/manage/contacts/?q=big.bench", "/manage/contacts/?q=small.bench", invitations, True),
    ]


# Building ---------------------------------------------------------------------------------------


def prepare(bench: Bench, size: Size):
    """The database, migrated, and the app on it (CSRF off: the client posts the export)."""
    folder = bench.work / "scale"
    instance = folder / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'scale.sqlite3'}"
    data.migrate(url, instance)
    return data.make_app(url, instance, WTF_CSRF_ENABLED=False)


def build(size: Size) -> dict:
    """Needs an app context. Returns the two question ids (by slug) and the rows counted."""
    from workshop.auth import service as accounts
    from workshop.messages.models import ComposedMessage, MessageRecipient
    from workshop.people.models import Contact
    from workshop.platform.audit.models import AuditEntry
    from workshop.platform.db import db
    from workshop.platform.types import utcnow
    from workshop.questions import service as questions
    from workshop.questions.models import Answer
    from workshop.registration import service as registration
    from workshop.registration.models import Invitation, Registration, State
    from workshop.workshops import service as workshops
    from workshop.workshops.models import Role, Workshop, WorkshopMember, WorkshopStatus

    organizer = data.organizer()
    network = accounts.create_user(NETWORK_EMAIL, "Network Organizer", data.ORGANIZER_PASSWORD)
    accounts.create_user(ADMIN_EMAIL, "Site Admin", data.ORGANIZER_PASSWORD, is_admin=True)
    start = date.today() + timedelta(days=60)
    measured, question = {}, {}
    for slug in (BIG_SLUG, SMALL_SLUG):
        workshop = workshops.create_workshop(
            organizer, slug=slug, title=f"Network scale ({slug})", city="Geneva", timezone=data.TIMEZONE,
            start_date=start, end_date=start + timedelta(days=2))
        workshops.set_status(workshop, WorkshopStatus.PUBLISHED)
        data.open_registration(workshop)
        asked = questions.save_question(workshop, {
            "label": QUESTION, "kind": "yes_no", "stage": "registration", "required": False,
            "sensitive": False, "help_text": "", "choices": [], "category_ids": [], "condition": ""})
        measured[slug], question[slug] = workshop, asked.id
    db.session.commit()
    now = utcnow()

    def insert(model, rows: list[dict]) -> None:
        if rows:
            db.session.execute(sa.insert(model.__table__), rows)  # one executemany

    # The rest of the network: workshops of another organizer (the big one's organizer does not
    # see their people in the contacts directory, as in life).
    others = [f"scale-{n:03d}" for n in range(size.workshops - 2)]
    insert(Workshop, [dict(slug=slug, title=f"Network workshop {slug}", city="Geneva", timezone=data.TIMEZONE,
                           start_date=start, end_date=start + timedelta(days=2), status=WorkshopStatus.PUBLISHED,
                           created_at=now, updated_at=now) for slug in others])
    other_ids = list(db.session.scalars(sa.select(Workshop.id).where(Workshop.slug.in_(others))
                                        .order_by(Workshop.id)))
    insert(WorkshopMember, [dict(workshop_id=w, user_id=network.id, role=Role.ORGANIZER, created_at=now)
                            for w in other_ids])

    # Who goes where: the big workshop's registrants and its invitees who have not answered, the
    # small workshop's the same, then the rest of the network's registrations, one contact each.
    big, small = measured[BIG_SLUG], measured[SMALL_SLUG]
    plan = [(big, size.big, "big"), (small, size.small, "small")]
    invited_only = {big.id: size.big // 3, small.id: size.small // 3}
    rest = size.registrations - size.big - size.small
    countries = ("GH", "DK", "CR", "AU", "CH", "BR", "ID", "KE", "MX", "NO")
    contacts, n = [], 0

    def contact(domain: str) -> dict:
        nonlocal n
        n += 1
        return dict(name=f"Delegate {n:06d}", email=f"delegate{n:06d}@{domain}.bench.example",
                    organization=f"Ministry of Foreign Affairs {countries[n % len(countries)]}",
                    position="Focal Point", country=countries[n % len(countries)], honorific="",
                    keep=False, language="", created_at=now, updated_at=now)

    for workshop, count, domain in plan:
        contacts += [contact(domain) for _ in range(count + invited_only[workshop.id])]
    contacts += [contact("network") for _ in range(rest)]
    contacts += [contact("directory") for _ in range(size.contacts - len(contacts))]
    insert(Contact, contacts)
    contact_ids = dict(db.session.execute(sa.select(Contact.email, Contact.id)).all())

    states = (State.CONFIRMED, State.WAITLISTED, State.PENDING)
    registrations = []
    for workshop, count, domain in plan:
        position = 0
        categories = [c.id for c in registration.categories_for(workshop)]
        people = [c for c in contacts if c["email"].endswith(f"@{domain}.bench.example")]
        insert(Invitation, [dict(workshop_id=workshop.id, contact_id=contact_ids[c["email"]], email=c["email"],
                                 name=c["name"], category_id=categories[i % len(categories)],
                                 state="accepted" if i < count else "pending", created_at=now, sent_at=now,
                                 reminders_sent=0, decline_message="", invited_by_id=organizer.id)
                            for i, c in enumerate(people)])
        invitation_ids = dict(db.session.execute(sa.select(Invitation.email, Invitation.id)
                                                 .where(Invitation.workshop_id == workshop.id)).all())
        for i, c in enumerate(people[:count]):
            state = states[i % 3]
            position += state == State.WAITLISTED
            registrations.append(dict(
                workshop_id=workshop.id, invitation_id=invitation_ids[c["email"]], contact_id=contact_ids[c["email"]],
                category_id=categories[i % len(categories)], **_person(c), state=state,
                waitlist_position=position if state == State.WAITLISTED else None))
    network_people = [c for c in contacts if c["email"].endswith("@network.bench.example")]
    for i, c in enumerate(network_people):
        registrations.append(dict(workshop_id=other_ids[i % len(other_ids)], invitation_id=None,
                                  contact_id=contact_ids[c["email"]], category_id=None, **_person(c),
                                  state=State.CONFIRMED, waitlist_position=None))
    for row in registrations:
        row.update(privacy_accepted_at=now, created_at=now, updated_at=now, consent="public", language="en",
                   dietary_needs="", accessibility_needs="")
    insert(Registration, registrations)

    for workshop, count, _domain in plan:
        ids = list(db.session.scalars(sa.select(Registration.id).where(Registration.workshop_id == workshop.id)
                                      .order_by(Registration.id)))
        insert(Answer, [dict(registration_id=r, question_id=question[workshop.slug], value=["yes", "no"][i % 2],
                             updated_at=now) for i, r in enumerate(ids)])
        # A message for every 30 registrants, each to a fifth of them: 100 messages and 60,000
        # recipient rows at the big workshop, 1 and 6 at the small one.
        messages = count // 30
        insert(ComposedMessage, [dict(workshop_id=workshop.id, sent_by_id=organizer.id, sender_name=organizer.name,
                                      subject=f"Note {m}", body="Hello {first_name}", audience="confirmed",
                                      idempotency_key=f"{workshop.slug}-{m}", created_at=now)
                                 for m in range(messages)])
        message_ids = list(db.session.scalars(sa.select(ComposedMessage.id)
                                              .where(ComposedMessage.workshop_id == workshop.id)))
        people = dict(db.session.execute(sa.select(Registration.id, Registration.email)
                                         .where(Registration.id.in_(ids[:count // 5]))).all())
        insert(MessageRecipient, [dict(message_id=m, registration_id=r, email=email, name="", unsubscribed=False)
                                  for m in message_ids for r, email in people.items()])
        insert(AuditEntry, [dict(workshop_id=workshop.id, actor_user_id=organizer.id, actor_label=organizer.email,
                                 action="registration.exported", object_type="workshop", object_id=workshop.id,
                                 detail={"format": "csv", "rows": i, "filters": ""}, created_at=now)
                            for i in range(count)])
    db.session.commit()
    counted = {name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
               for name, model in (("workshops", Workshop), ("contacts", Contact), ("registrations", Registration),
                                   ("invitations", Invitation), ("messages", ComposedMessage),
                                   ("recipients", MessageRecipient), ("audit entries", AuditEntry))}
    return {"question": question, "counted": counted}


def _person(contact: dict) -> dict:
    return {key: contact[key] for key in ("email", "name", "organization", "position", "country", "honorific")}


# Measuring --------------------------------------------------------------------------------------


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": data.ORGANIZER_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"{email} could not sign in: {response.status_code}")


SUMMARY = re.compile(r"Showing ([\d,]+)–([\d,]+) of ([\d,]+)")


def measure_lists(client, engine, urls: tuple[str, ...], repeats: int) -> list[dict]:
    """For each URL: warm-up, then the median CPU of ``repeats`` GETs, the statements of one,
    what it showed. The URLs take turns, so a change in what else runs on the machine hits all
    of them alike."""
    results = []
    for url in urls:
        for _ in range(3):
            response = client.get(url)
        results.append({"status": response.status_code, "times": []})
    if any(result["status"] != 200 for result in results):
        return results
    for _ in range(repeats):
        for url, result in zip(urls, results):
            started = time.process_time()
            client.get(url)
            result["times"].append((time.process_time() - started) * 1000)
    for url, result in zip(urls, results):
        with count_queries(engine) as counter:
            response = client.get(url)
        html = response.get_data(as_text=True)
        shown = SUMMARY.search(html)
        result.update(status=response.status_code, ms=statistics.median(result["times"]),
                      max_ms=max(result["times"]), queries=counter.count, statements=counter.statements,
                      bytes=len(html), summary=shown.group(0) if shown else "",
                      more='rel="next"' in html or "before=" in html)
    return results


def list_row(size: Size, listed: OrganizerList, big: dict, small: dict, small_url: str) -> Row:
    figure = f"8. scale: {listed.name} ({size.label})"
    if big.get("status") != 200 or small.get("status") != 200:
        return skipped(figure, LIST_TARGET, f"answered {big.get('status')} at {size.ratio}x, "
                                            f"{small.get('status')} at 1x")
    flat = big["queries"] == small["queries"]
    fast = big["ms"] < TIME_TARGET_MS
    total = SUMMARY.search(big["summary"]).group(3).replace(",", "") if big["summary"] else None
    pages_ok = big["more"] == listed.next_page and total == (None if listed.total is None else str(listed.total))
    note = (f"median of {size.repeats} GETs after 3, taking turns with the 1x page (slowest {big['max_ms']:.1f} ms), {big['bytes'] // 1024} KB of "
            f"HTML; {big['summary'] or 'no count shown'}{', with a link to the next page' if big['more'] else ''}; "
            f"at 1x{f' ({small_url})' if listed.small_path else ''} {small['ms']:.1f} ms"
            f"{', ' + small['summary'] if small['summary'] else ''}")
    if not pages_ok:
        note += (f"; **expected {listed.total or 'no count'} rows and "
                 f"{'a' if listed.next_page else 'no'} next-page link**")
    if not flat:
        note += "; statements at 1x: " + "; ".join(s.split(" FROM ")[-1][:60] for s in small["statements"][:15])
    return Row(figure=figure, measured=f"{big['ms']:.1f} ms server CPU, {big['queries']} queries "
                                       f"({small['queries']} at 1x)",
               target=LIST_TARGET, met=flat and fast and pages_ok, note=note)


def export_stream(app, client, slug: str, *, traced: bool, session_kept: bool) -> dict:
    """POST the CSV export of the whole list and read it to the end, as a server does: the
    request's context (and its database session) ends when the view returns, and the rows are
    read inside ``stream_with_context``. ``session_kept``: inside an app context held around the
    request, as the test suite runs it, so the view's session lives on while the body is read.
    ``traced``: the Python memory peak above what was held when the first chunk was asked for,
    without keeping the chunks (only their size and line count)."""
    if session_kept:
        with app.app_context():
            return export_stream(app, client, slug, traced=traced, session_kept=False)
    response = client.post(f"/manage/w/{slug}/registrations.csv", buffered=False)
    if response.status_code != 200 or not response.is_streamed:
        return {"status": response.status_code, "streamed": response.is_streamed}
    lines = size = 0
    if traced:
        tracemalloc.start()
        tracemalloc.reset_peak()
        held = tracemalloc.get_traced_memory()[0]
    started = time.process_time()
    body, error = [], ""
    try:
        for chunk in response.response:
            size += len(chunk)
            lines += chunk.count(b"\r\n")
            if not traced:
                body.append(chunk)
    except Exception as failure:  # noqa: BLE001 - what a client would see: the file cut short
        # Without SQLAlchemy's link and the object's address, so the row reads the same each run.
        error = f"{type(failure).__name__}: " + re.sub(r" at 0x[0-9a-f]+", "", str(failure).split(" (Background")[0])
    cpu = (time.process_time() - started) * 1000
    peak = None
    if traced:
        peak = tracemalloc.get_traced_memory()[1] - held
        tracemalloc.stop()
    response.close()
    return {"status": 200, "streamed": True, "bytes": size, "lines": lines, "peak": peak, "cpu_ms": cpu,
            "body": b"".join(body), "error": error}


def read_export(app, client, slug: str, expected: set[str], *, session_kept: bool) -> dict:
    export_stream(app, client, slug, traced=False, session_kept=session_kept)  # warm: imports, SQL
    whole = export_stream(app, client, slug, traced=False, session_kept=session_kept)
    if whole["status"] != 200 or not whole["streamed"]:
        return {"error": f"answered {whole['status']}, streamed: {whole['streamed']}"}
    if whole["error"]:
        return {"error": f"cut short after {whole['bytes']:,} bytes ({whole['lines']} lines): {whole['error']}"}
    rows = list(csv.reader(io.StringIO(whole["body"].decode("utf-8-sig"))))
    emails = [row[1] for row in rows[1:]]
    peaks = [export_stream(app, client, slug, traced=True, session_kept=session_kept)["peak"] for _ in range(3)]
    return {"error": "", "rows": len(rows) - 1, "peak": statistics.median(peaks), "bytes": whole["bytes"],
            "cpu_ms": whole["cpu_ms"],
            "every": set(emails) == expected and len(emails) == len(expected) and rows[0][-1] == QUESTION}


def export_rows(size: Size, app, client, expected: dict[str, set[str]]) -> list[Row]:
    """Two rows: the export as a server runs it (does every row arrive?), and its memory."""
    served = f"8. scale: registration CSV export as a server streams it ({size.label})"
    memory = f"8. scale: registration CSV export, memory while streaming ({size.label})"
    rows = []
    as_served = read_export(app, client, BIG_SLUG, expected[BIG_SLUG], session_kept=False)
    if as_served["error"]:
        rows.append(Row(figure=served, measured=f"**fails**: {as_served['error']}", target="every row", met=False,
                        note=("the view's request context ends when it returns its streamed response, and "
                              "the database session with it; the question's column reads the workshop "
                              "object loaded in that session (`questions/parts.py` `export_columns`), "
                              "which is then detached. The test suite holds an app context around its "
                              "requests, which keeps that session open, so it does not see this. The "
                              "memory row below is taken that way (an app context held around the request)")))
        kept = {slug: read_export(app, client, slug, expected[slug], session_kept=True)
                for slug in (BIG_SLUG, SMALL_SLUG)}
        how = "an app context held around the request (the session kept, as in the test suite)"
    else:
        rows.append(Row(figure=served, measured=f"{as_served['rows']:,} rows" + (
                        ", every one" if as_served["every"] else " (**rows missing or extra**)"),
                        target="every row", met=as_served["every"],
                        note="the request's context ended when the view returned, as in a server"))
        kept = {BIG_SLUG: as_served,
                SMALL_SLUG: read_export(app, client, SMALL_SLUG, expected[SMALL_SLUG], session_kept=False)}
        how = "the request's context ended when the view returned, as in a server"
    big, small = kept[BIG_SLUG], kept[SMALL_SLUG]
    if big["error"] or small["error"]:
        rows.append(skipped(memory, EXPORT_TARGET, big["error"] or small["error"]))
        rows.append(by_length_row(size, app))
        return rows
    within = big["peak"] <= 2 * small["peak"]
    rows.append(Row(
        figure=memory,
        measured=(f"{big['rows']:,} rows ({'every one' if big['every'] else '**rows missing or extra**'}), "
                  f"peak {big['peak'] / 1024:.0f} KiB while streaming {big['bytes'] / 1024:.0f} KiB"),
        baseline=f"{small['rows']} rows: peak {small['peak'] / 1024:.0f} KiB",
        ratio=big["peak"] / small["peak"], target=EXPORT_TARGET, met=big["every"] and small["every"] and within,
        note=(f"tracemalloc peak above what was held when the first chunk was asked for, median of 3 "
              f"exports, the chunks counted and dropped as they come (the rows are read 500 at a time); "
              f"{how}; reading the whole file took {big['cpu_ms']:.0f} ms CPU ({small['cpu_ms']:.1f} ms "
              f"for {small['rows']} rows); every address of the workshop once, checked against the "
              f"database")))
    rows.append(by_length_row(size, app))
    return rows


def chunks_peak(app, slug: str, limit: int | None, *, question_column: bool) -> tuple[float, int]:
    """(peak bytes, CSV bytes) of ``exports.csv_chunks`` read to the end in a request context
    of its own: the streaming alone, with or without the question's column."""
    from workshop.platform.db import db
    from workshop.questions import parts
    from workshop.registration import dashboard, exports
    from workshop.workshops.models import Workshop

    def read() -> tuple[float, int]:
        workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
        statement = dashboard.registrations_query(workshop)
        statement = statement.limit(limit) if limit else statement
        extra = (parts.export_columns(workshop, False) or ()) if question_column else ()
        tracemalloc.start()
        tracemalloc.reset_peak()
        held = tracemalloc.get_traced_memory()[0]
        sent = sum(len(chunk) for chunk in exports.csv_chunks(statement, extra))
        peak = tracemalloc.get_traced_memory()[1] - held
        tracemalloc.stop()
        return peak, sent

    with app.test_request_context():
        read()  # warm: imports, compiled SQL
        return read()


def by_length_row(size: Size, app) -> Row:
    """Is the memory constant past one batch? The first 1/3, 2/3 and all of the big workshop's
    rows through ``csv_chunks`` alone; and what the question's column adds."""
    figure = f"8. scale: CSV rows streamed by csv_chunks alone, memory by length ({size.label})"
    lengths = [size.big // 3, 2 * size.big // 3, size.big]
    peaks = [chunks_peak(app, BIG_SLUG, n, question_column=False)[0] for n in lengths]
    with_question = chunks_peak(app, BIG_SLUG, None, question_column=True)[0]
    small_question = chunks_peak(app, SMALL_SLUG, None, question_column=True)[0]
    # Under two batches (the quick run) the peak cannot stop growing yet: reported only.
    flat = peaks[-1] <= 1.25 * peaks[0] if lengths[0] >= EXPORT_BATCH else None
    return Row(
        figure=figure,
        measured=", ".join(f"{n:,} rows {peak / 1024:.0f} KiB" for n, peak in zip(lengths, peaks)),
        target=f"flat past a batch: {lengths[-1]:,} rows within 1.25x of {lengths[0]:,}", met=flat,
        note=(f"the big workshop's first rows in the list's order, no question column, in a request context "
              f"of its own (no HTTP), tracemalloc peak; rows are read 500 at a time, so the peak grows up to "
              f"one batch and then should not. With the question's column the whole list peaks at "
              f"{with_question / 1024:.0f} KiB ({small_question / 1024:.0f} KiB at 1x): the column reads "
              f"every answer of the workshop at once (`questions.service.answers_for_workshop`)"))


def figure_scale(bench: Bench) -> None:
    size = size_for(bench)
    name = f"8. scale ({size.label})"
    started = time.monotonic()
    app = prepare(bench, size)
    if not has_route(app, f"/manage/w/{BIG_SLUG}/registrations"):
        bench.add(skipped(name, LIST_TARGET, "the organizer's registration list is not on this build"))
        return
    with app.app_context():
        from workshop.platform.db import db
        from workshop.registration.models import Registration

        built = build(size)
        bench.log(f"8. scale: built {built['counted']} in {time.monotonic() - started:.1f} s")
        question = built["question"]
        engine = db.engine
        from workshop.workshops.models import Workshop

        expected = {slug: set(db.session.scalars(sa.select(Registration.email).join(
            Workshop, Workshop.id == Registration.workshop_id).where(Workshop.slug == slug)))
            for slug in (BIG_SLUG, SMALL_SLUG)}
    # No app context held around the requests: each request gets its own, and with it a fresh
    # database session, as in a server.
    client, admin = app.test_client(), app.test_client()
    sign_in(client, data.ORGANIZER_EMAIL)
    sign_in(admin, ADMIN_EMAIL)
    for listed in lists(size):
        who = admin if "site admin" in listed.name else client
        small_url = listed.url(SMALL_SLUG, question[SMALL_SLUG], small=True)
        big, small = measure_lists(who, engine, (listed.url(BIG_SLUG, question[BIG_SLUG]), small_url), size.repeats)
        bench.add(list_row(size, listed, big, small, small_url))
    for row in export_rows(size, app, client, expected):
        bench.add(row)
    bench.log(f"8. scale: measured in {time.monotonic() - started:.1f} s in all")
