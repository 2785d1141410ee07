"""Three outputs from one record: the internal record (team only, may attribute), the
participants' read-out (through their links) and the public memo, each frozen and numbered with
a page and a PDF read back; and the free-text networks of existing workshops becoming series."""

import io
from datetime import date, timedelta, timezone, datetime

import pypdf
import pytest
import sqlalchemy as sa

from tests.support.memo import add_item, approved_note
from tests.support.registration import link_from_outbox, taking_registrations  # noqa: F401
from tests.support.review import reviewed  # noqa: F401
from workshop.agenda.models import PersonRole
from workshop.followup import outputs
from workshop.followup.models import RecordKind
from workshop.platform.db import db
from workshop.reviews import service as reviews


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def recorded(reviewed):
    setting = reviewed()
    item = add_item(setting.workshop, "Early warning", people=[("Kofi Speaker", "Mission of Ghana", PersonRole.SPEAKER)])
    approved_note(item, "Kofi Speaker said the gap is in moving information to someone who can act.",
                  setting.organizer)
    now = datetime.now(timezone.utc)
    review = reviews.open_review(setting.memo, deadline=now + timedelta(days=2), by=setting.organizer, now=now)
    reviews.add_comment(review.reviewers[0], 2, "Name the second meeting.", now=now)
    db.session.commit()
    return setting


def test_the_internal_record_may_attribute_and_stays_with_the_team(recorded, client, login_as, make_user):
    setting = recorded
    internal = outputs.freeze(setting.workshop, RecordKind.INTERNAL, by=setting.organizer)
    db.session.commit()
    assert "Kofi Speaker said" in internal.html
    assert "Ama Mensah" in internal.html and "Name the second meeting." in internal.html
    text = _pdf_text(outputs.pdf_of(outputs.version_of(setting.workshop, RecordKind.INTERNAL, 1)))
    assert "Internal record" in text and "Kofi Speaker said" in text
    slug = setting.workshop.slug
    assert client.get(f"/manage/w/{slug}/outputs/internal/1").status_code in (302, 401)  # sign in first
    login_as(setting.rapporteur)
    assert "Kofi Speaker said" in client.get(f"/manage/w/{slug}/outputs/internal/1").get_data(as_text=True)
    response = client.get(f"/manage/w/{slug}/outputs/internal/1.pdf")
    assert response.mimetype == "application/pdf" and response.data == outputs.pdf_of(internal)
    # The participants cannot reach it through their links: there is no such route, and the
    # read-out they can reach has no session notes or review comments in it.
    readout = outputs.freeze(setting.workshop, RecordKind.READOUT, by=setting.organizer)
    db.session.commit()
    assert "Kofi Speaker" in readout.html  # who spoke: participants were in the room
    assert "Kofi Speaker said" not in readout.html and "Name the second meeting." not in readout.html
    assert "Ama Mensah" not in readout.html


def test_the_read_out_opens_through_a_confirmed_participants_link(recorded, client):
    setting = recorded
    version = outputs.freeze(setting.workshop, RecordKind.READOUT, by=setting.organizer)
    db.session.commit()
    link = link_from_outbox(db, "ama@example.org")
    own = client.get(link).get_data(as_text=True)
    assert "Read-out for participants" in own and f"{link}/readout/1" in own
    page = client.get(f"{link}/readout/1")
    assert page.status_code == 200 and "Who chaired and spoke" in page.get_data(as_text=True)
    pdf = client.get(f"{link}/readout/1.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data == outputs.pdf_of(version)
    assert "Who chaired and spoke" in _pdf_text(pdf.data)
    assert client.get("/registrations/not-a-token/readout/1").status_code == 404
    assert client.get(f"{link}/readout/2").status_code == 404
    # A participant who withdrew holds no seat and no read-out.
    setting.participants[0].state = "withdrawn"
    db.session.commit()
    assert client.get(f"{link}/readout/1").status_code == 404


def test_each_freeze_is_a_new_numbered_version_and_the_old_one_does_not_change(recorded):
    setting = recorded
    first = outputs.freeze(setting.workshop, RecordKind.READOUT, by=setting.organizer)
    from workshop.memos import service as memos

    memos.save(setting.memo, "## Context\n\nA new text.\n", setting.rapporteur, setting.memo.current.number)
    second = outputs.freeze(setting.workshop, RecordKind.READOUT, by=setting.organizer)
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    assert "A new text." in second.html and "A new text." not in first.html
    assert outputs.pdf_of(first) != outputs.pdf_of(second)


def _old_database(tmp_path):
    """An empty database of this run's kind: a file for SQLite, a scratch database on PostgreSQL."""
    import contextlib
    import os

    from tests.support.databases import scratch_postgresql_database

    url = os.environ.get("WORKSHOP_TEST_DATABASE_URL")
    if url and url.startswith("postgresql"):
        return scratch_postgresql_database(url)
    return contextlib.nullcontext(f"sqlite:///{tmp_path / 'old.sqlite3'}")


def test_network_names_become_series_when_the_migration_runs(tmp_path):
    from flask_migrate import upgrade

    from workshop import create_app

    with _old_database(tmp_path) as url:
        app = create_app({"DATABASE_URL": url if isinstance(url, str) else url.render_as_string(hide_password=False), "SECRET_KEY": "x",
                          "TESTING": True}, instance_path=str(tmp_path))
        with app.app_context():
            upgrade(revision="0022")
            with db.engine.begin() as connection:
                for n, network in ((1, "R2P Focal Points Network"), (2, " r2p focal points  network"), (3, ""),
                                   (4, "Other Series")):
                    connection.execute(sa.text(
                        "INSERT INTO workshops (id, slug, title, theme, network, prepares_meeting, conference, venue, "
                        "city, timezone, start_date, end_date, description, status, sequence, public_version, "
                        "created_at, updated_at) VALUES (:id, :slug, 'W', '', :network, '', '', '', '', 'UTC', "
                        "'2030-01-01', '2030-01-02', '', 'draft', 0, '', '2026-01-01 00:00:00+00', "
                        "'2026-01-01 00:00:00+00')"),
                        {"id": n, "slug": f"w{n}", "network": network})
            upgrade()
            with db.engine.connect() as connection:
                series = connection.execute(sa.text("SELECT id, slug, name FROM series ORDER BY id")).all()
                members = dict(connection.execute(sa.text("SELECT id, series_id FROM workshops")).all())
                columns = {c["name"] for c in sa.inspect(connection).get_columns("workshops")}
            db.engine.dispose()
    assert [(slug, name) for _, slug, name in series] == [("r2p-focal-points-network", "R2P Focal Points Network"),
                                                           ("other-series", "Other Series")]
    assert members == {1: series[0][0], 2: series[0][0], 3: None, 4: series[1][0]}
    assert "network" not in columns


def test_freezing_through_the_web_leaves_the_pdf_to_the_worker(app, recorded, client, login_as):
    from tests.support.smtp import deliver_outbox

    setting = recorded
    slug = setting.workshop.slug
    login_as(setting.organizer)
    assert client.post(f"/manage/w/{slug}/outputs/internal").status_code == 302
    version = outputs.version_of(setting.workshop, RecordKind.INTERNAL, 1)
    assert version is not None and outputs.pdf_of(version) is None  # frozen; its PDF not yet rendered
    waiting = client.get(f"/manage/w/{slug}/outputs/internal/1.pdf")
    assert waiting.status_code == 202 and "The PDF is being prepared" in waiting.get_data(as_text=True)
    assert waiting.headers["Refresh"]

    deliver_outbox(app)
    response = client.get(f"/manage/w/{slug}/outputs/internal/1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Internal record" in _pdf_text(response.data) and "Kofi Speaker said" in _pdf_text(response.data)
    assert client.get(f"/manage/w/{slug}/outputs/internal/1.pdf",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
