"""Organizers create, edit, publish and archive workshops; the public sees only what is published."""

import struct
import zlib
from io import BytesIO
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from workshop.workshops import service
from workshop.workshops.models import Organization, Workshop, WorkshopStatus

VALID = {
    "title": "Preparatory Workshop for the Second Meeting of the R2P Focal Points Network",
    "slug": "r2p-2012",
    "theme": "Mass Violence and Atrocities",
    "network": "R2P Focal Points Network",
    "prepares_meeting": "Second Meeting of the R2P Focal Points Network",
    "conference": "43rd United Nations Issues Conference",
    "conveners": "Global Centre for the Responsibility to Protect\nStanley Center",
    "co_organizers": "Government of Denmark\nGovernment of Ghana\n\ngovernment of denmark\nGovernment of Costa Rica",
    "venue": "Conference centre",
    "city": "New York",
    "timezone": "America/New_York",
    "start_date": "2012-02-24",
    "end_date": "2012-02-26",
    "description": "Focal points, ambassadors and experts.",
}


@pytest.fixture
def organizer(make_user, login_as):
    user = make_user("organizer@example.org", "Olga Organizer", can_create_workshops=True)
    login_as(user)
    return user


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_an_organizer_creates_a_draft_workshop_with_ordered_organizations(client, db, organizer):
    response = client.post("/manage/workshops/new", data=VALID)
    assert response.status_code == 302
    workshop = db.session.scalar(sa.select(Workshop))
    assert workshop.status == WorkshopStatus.DRAFT
    assert workshop.theme == "Mass Violence and Atrocities"
    assert [o.name for o in workshop.conveners] == ["Global Centre for the Responsibility to Protect", "Stanley Center"]
    assert [o.name for o in workshop.co_organizers] == ["Government of Denmark", "Government of Ghana", "Government of Costa Rica"]
    assert client.get("/manage/w/r2p-2012/").status_code == 200


def test_organizations_are_reused_across_workshops_and_reordered_on_edit(client, db, organizer):
    client.post("/manage/workshops/new", data=VALID)
    second = dict(VALID, slug="r2p-2013", conveners="stanley center\nGlobal Centre for the Responsibility to Protect", co_organizers="")
    client.post("/manage/workshops/new", data=second)
    assert count(db, Organization) == 5
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "r2p-2013"))
    assert [o.name for o in workshop.conveners] == ["Stanley Center", "Global Centre for the Responsibility to Protect"]
    edited = dict(VALID, conveners="Stanley Center", co_organizers="Government of Ghana\nGovernment of Denmark")
    client.post("/manage/w/r2p-2012/edit", data=edited)
    db.session.expire_all()
    first = db.session.scalar(sa.select(Workshop).where(Workshop.slug == "r2p-2012"))
    assert [o.name for o in first.conveners] == ["Stanley Center"]
    assert [o.name for o in first.co_organizers] == ["Government of Ghana", "Government of Denmark"]


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"slug": "Not A Slug!"}, "Use only lower-case letters, digits and single hyphens"),
        ({"slug": "a--b"}, "Use only lower-case letters, digits and single hyphens"),
        ({"slug": "ab"}, "Use 3 to 80 characters."),
        ({"slug": "../etc"}, "Use only lower-case letters, digits and single hyphens"),
        ({"timezone": "Mars/Olympus_Mons"}, "is not a known time zone"),
        ({"timezone": "<script>alert(1)</script>"}, "&#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; is not a known time zone"),
        ({"end_date": "2012-02-20"}, "The last day cannot be before the first day."),
        ({"start_date": "24/02/2012"}, "Enter the first day as a date."),
        ({"title": ""}, "Enter the workshop&#39;s title."),
        ({"title": "x" * 301}, "Field cannot be longer than 300 characters."),
    ],
)
def test_invalid_workshop_forms_show_field_errors_and_save_nothing(client, db, organizer, changes, field_error):
    response = client.post("/manage/workshops/new", data=dict(VALID, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error in html
    assert 'role="alert"' in html
    assert count(db, Workshop) == 0


def test_a_duplicate_slug_is_refused_with_a_field_error(client, db, organizer):
    client.post("/manage/workshops/new", data=VALID)
    response = client.post("/manage/workshops/new", data=dict(VALID, title="Another"))
    assert response.status_code == 422
    assert "Another workshop already uses this address." in response.get_data(as_text=True)
    assert count(db, Workshop) == 1


def test_editing_keeps_its_own_slug(client, db, organizer):
    client.post("/manage/workshops/new", data=VALID)
    response = client.post("/manage/w/r2p-2012/edit", data=dict(VALID, city="Muscatine"))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Workshop.city)) == "Muscatine"


def test_drafts_are_invisible_to_the_public_until_published(client, db, organizer):
    client.post("/manage/workshops/new", data=VALID)
    client.post("/logout")
    assert client.get("/w/r2p-2012/").status_code == 404
    assert "R2P" not in client.get("/").get_data(as_text=True)

    from tests.conftest import login

    login(client, organizer)
    assert client.post("/manage/w/r2p-2012/status/publish").status_code == 302
    client.post("/logout")
    page = client.get("/w/r2p-2012/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mass Violence and Atrocities" in html
    assert "24–26 February 2012" in html
    assert "43rd United Nations Issues Conference" in html
    assert "Global Centre for the Responsibility to Protect; Stanley Center" in html


def test_archived_workshops_stay_public_and_back_to_draft_hides_them(client, db, organizer):
    client.post("/manage/workshops/new", data=VALID)
    client.post("/manage/w/r2p-2012/status/publish")
    client.post("/manage/w/r2p-2012/status/archive")
    assert client.get("/w/r2p-2012/").status_code == 200
    assert "archived" in client.get("/w/r2p-2012/").get_data(as_text=True)
    client.post("/manage/w/r2p-2012/status/publish")
    client.post("/manage/w/r2p-2012/status/unpublish")
    assert "Draft preview, not public." in client.get("/w/r2p-2012/").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/w/r2p-2012/").status_code == 404


def test_an_unknown_status_action_is_refused(client, organizer):
    client.post("/manage/workshops/new", data=VALID)
    assert client.post("/manage/w/r2p-2012/status/delete").status_code == 400


def test_the_index_lists_upcoming_soonest_first_then_past_latest_first(client, make_workshop):
    today = date.today()
    make_workshop(title="Later", start_date=today + timedelta(days=60), end_date=today + timedelta(days=61))
    make_workshop(title="Sooner", start_date=today + timedelta(days=5), end_date=today + timedelta(days=6))
    make_workshop(title="Long ago", start_date=date(2012, 2, 24), end_date=date(2012, 2, 26))
    make_workshop(title="Last year", start_date=today - timedelta(days=300), end_date=today - timedelta(days=299))
    make_workshop(title="Hidden draft", status=WorkshopStatus.DRAFT)
    html = client.get("/").get_data(as_text=True)
    positions = [html.index(t) for t in ("Sooner", "Later", "Last year", "Long ago")]
    assert positions == sorted(positions)
    assert html.index("Upcoming") < positions[0] < positions[1] < html.index("Past") < positions[2]
    assert "Hidden draft" not in html


# Access ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, make_workshop):
    workshop = make_workshop()
    for url in ("/manage/", f"/manage/w/{workshop.slug}/", f"/manage/w/{workshop.slug}/edit", "/manage/workshops/new"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_an_organizer_of_one_workshop_cannot_touch_another(client, make_user, make_workshop, login_as):
    alice, bob = make_user(), make_user()
    workshop_a = make_workshop(alice, status=WorkshopStatus.DRAFT)
    workshop_b = make_workshop(bob, status=WorkshopStatus.DRAFT)
    login_as(alice)
    assert client.get(f"/manage/w/{workshop_a.slug}/edit").status_code == 200
    # Another team's draft: not found, as if the slug did not exist.
    assert client.get(f"/manage/w/{workshop_b.slug}/").status_code == 404
    assert client.get(f"/manage/w/{workshop_b.slug}/edit").status_code == 404
    assert client.post(f"/manage/w/{workshop_b.slug}/edit", data=dict(VALID, slug=workshop_b.slug)).status_code == 404
    assert client.post(f"/manage/w/{workshop_b.slug}/status/publish").status_code == 404
    assert client.get(f"/manage/w/{workshop_b.slug}/team").status_code == 404
    assert workshop_b.title != VALID["title"]
    # Once published the slug is public: refused in words.
    published = make_workshop(bob, status=WorkshopStatus.PUBLISHED)
    assert client.get(f"/manage/w/{published.slug}/edit").status_code == 403
    dashboard = client.get("/manage/").get_data(as_text=True)
    assert workshop_a.title in dashboard and workshop_b.title not in dashboard


def test_a_rapporteur_cannot_edit_the_workshop(client, make_user, make_workshop, login_as):
    from workshop.workshops import service

    organizer, rapporteur = make_user(), make_user()
    workshop = make_workshop(organizer)
    service.add_member(workshop, rapporteur.email, "rapporteur")
    login_as(rapporteur)
    assert client.get(f"/manage/w/{workshop.slug}/edit").status_code == 403


def test_a_rapporteur_reaches_notes_and_memo_from_the_workshop_overview(client, make_user, make_workshop, login_as):
    from workshop.workshops import service

    organizer, rapporteur = make_user(), make_user()
    workshop = make_workshop(organizer)
    service.add_member(workshop, rapporteur.email, "rapporteur")
    login_as(rapporteur)
    dashboard = client.get("/manage/").get_data(as_text=True)
    assert f"/manage/w/{workshop.slug}/" in dashboard
    overview = client.get(f"/manage/w/{workshop.slug}/")
    html = overview.get_data(as_text=True)
    assert overview.status_code == 200
    assert f"/manage/w/{workshop.slug}/notes/" in html and f"/manage/w/{workshop.slug}/memo/" in html
    assert "Edit details" not in html and "Publish" not in html and "/team" not in html


def test_a_site_admin_can_manage_every_workshop(client, make_user, make_workshop, login_as):
    workshop = make_workshop(make_user())
    login_as(make_user(admin=True))
    assert client.get(f"/manage/w/{workshop.slug}/edit").status_code == 200


def test_unknown_workshops_are_404_for_everyone(client, make_user, login_as):
    assert client.get("/w/no-such-workshop/").status_code == 404
    login_as(make_user(admin=True))
    assert client.get("/manage/w/no-such-workshop/").status_code == 404


# Team ------------------------------------------------------------------------------------


def test_organizers_add_organizers_and_rapporteurs_by_account_email(client, make_user, make_workshop, login_as):
    organizer = make_user()
    workshop = make_workshop(organizer)
    colleague = make_user("colleague@example.org", "Colin")
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/team", data={"email": "Colleague@example.org", "role": "rapporteur"})
    assert response.status_code == 302
    from workshop.workshops.access import roles_of

    assert roles_of(colleague, workshop) == {"rapporteur"}
    # An address without an account is invited by email (tests/test_accounts_team_invitations.py).
    missing = client.post(f"/manage/w/{workshop.slug}/team", data={"email": "nobody@example.org", "role": "organizer"},
                          follow_redirects=True)
    assert "No account uses nobody@example.org yet: an invitation" in missing.get_data(as_text=True)
    bad_role = client.post(f"/manage/w/{workshop.slug}/team", data={"email": "colleague@example.org", "role": "owner"})
    assert bad_role.status_code == 422
    assert "Not a valid choice" in bad_role.get_data(as_text=True)


def test_the_last_organizer_cannot_be_removed(client, db, make_user, make_workshop, login_as):
    organizer = make_user()
    workshop = make_workshop(organizer)
    login_as(organizer)
    member = workshop.members[0]
    response = client.post(f"/manage/w/{workshop.slug}/team/{member.id}/remove", follow_redirects=True)
    assert "A workshop needs at least one organizer." in response.get_data(as_text=True)
    assert len(workshop.members) == 1


# Organizations -----------------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def an_organizer(make_user, make_workshop):
    """Organizations are shared by workshops: organizers of some workshop manage them."""
    user = make_user()
    make_workshop(user)
    return user


def test_an_organization_gets_a_logo_that_the_public_page_shows(client, db, make_user, login_as, make_workshop):
    from io import BytesIO

    login_as(an_organizer(make_user, make_workshop))
    response = client.post("/manage/organizations/new", data={
        "name": "Stanley Center", "short_name": "SC", "url": "https://stanleycenter.org",
        "logo": (BytesIO(PNG), "logo.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    organization = db.session.scalar(sa.select(Organization))
    logo = client.get(f"/organizations/{organization.id}/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert Image.open(BytesIO(logo.data)).size == (1, 1)


def _png(width: int, height: int, *, extra_chunk: bytes = b"") -> bytes:
    """A black 1-bit PNG of any size, built by hand: zeros compress to almost nothing, which is
    what makes a small file a huge image."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)
    pixels = zlib.compressobj(9)
    body = b"".join(pixels.compress(row) for _ in range(height)) + pixels.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + extra_chunk + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def _upload_logo(client, data: bytes, name: str = "Big Logo Centre"):
    from io import BytesIO

    return client.post("/manage/organizations/new", data={"name": name, "logo": (BytesIO(data), "logo.png")},
                       content_type="multipart/form-data")


def test_a_small_file_of_too_many_pixels_is_refused_in_words(client, db, make_user, login_as, make_workshop):
    login_as(an_organizer(make_user, make_workshop))
    huge = _png(13000, 13000)
    assert len(huge) < service.LOGO_MAX_BYTES  # small enough to pass the byte limit
    response = _upload_logo(client, huge)
    assert response.status_code == 422
    assert "The logo must be at most 2000 by 2000 pixels." in response.get_data(as_text=True)
    assert count(db, Organization) == 0


def test_a_decompression_bomb_is_refused_before_it_is_decoded(client, db, make_user, login_as, make_workshop, monkeypatch):
    from PIL import Image as PillowImage

    # Past twice MAX_IMAGE_PIXELS Pillow refuses at open(); between once and twice it only warns.
    monkeypatch.setattr(PillowImage, "MAX_IMAGE_PIXELS", 1000)
    login_as(an_organizer(make_user, make_workshop))
    for side in (40, 100):  # 1,600 pixels: a warning; 10,000: DecompressionBombError
        response = _upload_logo(client, _png(side, side), name=f"Bomb {side}")
        assert response.status_code == 422
        assert "The logo must be at most 2000 by 2000 pixels." in response.get_data(as_text=True)
    assert count(db, Organization) == 0


def test_a_logo_is_stored_re_encoded_without_its_extra_chunks(client, db, make_user, login_as, make_workshop):
    login_as(an_organizer(make_user, make_workshop))
    payload = b"<script>alert(1)</script>"
    text = b"Comment\x00" + payload
    upload = _png(32, 16, extra_chunk=struct.pack(">I", len(text)) + b"tEXt" + text
                  + struct.pack(">I", zlib.crc32(b"tEXt" + text)))
    assert _upload_logo(client, upload).status_code == 302
    stored = db.session.scalar(sa.select(Organization)).logo
    assert payload not in stored and stored != upload
    assert Image.open(BytesIO(stored)).size == (32, 16)


def test_a_png_signature_on_other_bytes_is_refused_in_words(client, db, make_user, login_as, make_workshop):
    login_as(an_organizer(make_user, make_workshop))
    response = _upload_logo(client, b"\x89PNG\r\n\x1a\n" + b"<svg onload=alert(1)>" * 4)
    assert response.status_code == 422
    assert "The logo could not be read as an image." in response.get_data(as_text=True)


def test_a_logo_that_is_not_an_image_is_refused(client, db, make_user, login_as, make_workshop):
    from io import BytesIO

    login_as(an_organizer(make_user, make_workshop))
    response = client.post("/manage/organizations/new", data={
        "name": "Trojan", "logo": (BytesIO(b"<svg onload=alert(1)>"), "logo.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "The logo must be a PNG or JPEG image." in response.get_data(as_text=True)
    assert count(db, Organization) == 0


def test_organization_names_are_unique_regardless_of_case(client, db, make_user, login_as, make_workshop):
    login_as(an_organizer(make_user, make_workshop))
    client.post("/manage/organizations/new", data={"name": "Stanley Center"})
    response = client.post("/manage/organizations/new", data={"name": "STANLEY CENTER"})
    assert response.status_code == 422
    assert "Another organization already has this name." in response.get_data(as_text=True)


def test_an_organization_on_other_organizers_workshops_is_changed_by_a_site_admin_only(
        client, db, make_user, login_as, make_workshop):
    """Anyone may name an existing organization as a convener of a workshop they create; that
    must not let them rename it or replace its logo on everybody else's pages."""
    make_workshop(make_user(), conveners=["Stanley Center"])
    centre = db.session.scalar(sa.select(Organization).filter_by(name="Stanley Center"))
    newcomer = make_user()
    make_workshop(newcomer, conveners=["Stanley Center", "Own Institute"])
    login_as(newcomer)
    listing = client.get("/manage/organizations/").get_data(as_text=True)
    assert f"/manage/organizations/{centre.id}/edit" not in listing
    assert client.get(f"/manage/organizations/{centre.id}/edit").status_code == 403
    response = client.post(f"/manage/organizations/{centre.id}/edit", data={"name": "Hijacked"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Organization, centre.id).name == "Stanley Center"
    own = db.session.scalar(sa.select(Organization).filter_by(name="Own Institute"))
    assert client.post(f"/manage/organizations/{own.id}/edit", data={"name": "Own Institute of Peace"}).status_code == 302
    client.post("/logout")
    login_as(make_user(admin=True))
    assert client.post(f"/manage/organizations/{centre.id}/edit", data={"name": "Stanley Center for Peace"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, centre.id).name == "Stanley Center for Peace"
    assert db.session.get(Organization, own.id).name == "Own Institute of Peace"


def test_the_contact_address_is_edited_in_the_workshop_settings_and_checked(client, db, organizer):
    client.post("/manage/workshops/new", data=VALID)
    for typed in ("not an address", "a@b@example.org", "Team <team@example.org>", "team@example.org, x@example.org"):
        response = client.post("/manage/w/r2p-2012/edit", data=dict(VALID, contact_email=typed))
        assert response.status_code == 422, typed
        assert "Enter a valid email address" in response.get_data(as_text=True)
    response = client.post("/manage/w/r2p-2012/edit", data=dict(VALID, contact_email="  focal.points@example.org "))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Workshop.contact_email)) == "focal.points@example.org"
    assert 'value="focal.points@example.org"' in client.get("/manage/w/r2p-2012/edit").get_data(as_text=True)
    client.post("/manage/w/r2p-2012/edit", data=dict(VALID, contact_email=""))
    assert db.session.scalar(sa.select(Workshop.contact_email)) == ""


def test_the_service_refuses_a_contact_address_that_is_not_one(db, organizer):
    workshop = service.create_workshop(organizer, **{k: v for k, v in VALID.items() if k not in ("conveners", "co_organizers")
                                                     and not k.endswith("_date")},
                                       start_date=date(2012, 2, 24), end_date=date(2012, 2, 26))
    with pytest.raises(service.WorkshopError):
        service.update_workshop(workshop, contact_email="x@example.org\r\nBcc: all@example.org")
