"""The contact directory: add and edit, CSV import with a preview of per-row errors, categories."""

import io

import sqlalchemy as sa

from tests.support.registration import link_from_outbox


def _organizer(make_user, make_workshop):
    organizer = make_user()
    workshop = make_workshop(organizer)
    return organizer, workshop


def test_contacts_are_added_edited_and_kept_unique_by_email(app, db, client, make_user, make_workshop, login_as):
    from workshop.people.models import Contact

    organizer, _ = _organizer(make_user, make_workshop)
    login_as(organizer)
    response = client.post("/manage/contacts/new", data={
        "name": "Lars Holm", "email": "Lars.Holm@Example.org", "position": "Focal Point",
        "organization": "MFA", "country": "DK"})
    assert response.status_code == 302
    contact = db.session.scalar(sa.select(Contact))
    assert (contact.email, contact.country) == ("lars.holm@example.org", "DK")
    assert "Lars Holm" in client.get("/manage/contacts/?q=holm").get_data(as_text=True)
    clash = client.post("/manage/contacts/new", data={"name": "Other", "email": "LARS.HOLM@example.org"})
    assert clash.status_code == 422 and "Another contact already uses this email." in clash.get_data(as_text=True)
    bad = client.post(f"/manage/contacts/{contact.id}/edit", data={"name": "", "email": "x", "country": "ZZ"})
    assert bad.status_code == 422
    assert "Enter the person&#39;s name." in bad.get_data(as_text=True) or "Enter the person's name." in bad.get_data(as_text=True)
    edit = client.post(f"/manage/contacts/{contact.id}/edit", data={
        "name": "Lars Holm", "email": "lars.holm@example.org", "country": "SE"})
    assert edit.status_code == 302
    db.session.refresh(contact)
    assert contact.country == "SE"


def test_people_without_an_organizer_role_cannot_open_the_directory(app, client, make_user, login_as):
    login_as(make_user())
    assert client.get("/manage/contacts/").status_code == 403


CSV_WITH_ERRORS = (
    "Name,Email,Position,Organization,Country\n"
    "Amara Diallo,amara@example.org,Focal Point,MFA,Senegal\n"
    ",nameless@example.org,,,\n"
    "Bad Mail,not-an-email,,,\n"
    "Dup,amara@example.org,,,\n"
    "Nowhere,nowhere@example.org,,,Atlantis\n"
)


def test_csv_preview_shows_each_rows_errors_and_saves_nothing(app, db, client, make_user, make_workshop, login_as):
    from workshop.people.models import Contact

    organizer, _ = _organizer(make_user, make_workshop)
    login_as(organizer)
    response = client.post("/manage/contacts/import", data={
        "upload-file": (io.BytesIO(CSV_WITH_ERRORS.encode()), "contacts.csv"), "upload-submit": "1"},
        content_type="multipart/form-data")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    for message in ("The name is missing.", "&#39;not-an-email&#39; is not a valid email address.",
                    "The same email is on line 2.", "&#39;Atlantis&#39; is not a country we know",
                    "nothing was saved"):
        assert message in text, message
    assert "Import these contacts" not in text
    assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 0
    # A forged confirm of the same file is checked again and refused.
    forged = client.post("/manage/contacts/import", data={"confirm-csv_text": CSV_WITH_ERRORS, "confirm-submit": "1"})
    assert forged.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 0


def test_a_clean_csv_is_previewed_then_imported_on_confirmation(app, db, client, make_user, make_workshop, login_as):
    from workshop.people.models import Contact

    organizer, _ = _organizer(make_user, make_workshop)
    login_as(organizer)
    good = "name;email;country\nAmara Diallo;Amara@example.org;SN\nLars Holm;lars@example.org;DNK\n"
    preview = client.post("/manage/contacts/import", data={
        "upload-file": (io.BytesIO(good.encode("utf-8-sig")), "c.csv"), "upload-submit": "1"},
        content_type="multipart/form-data")
    assert preview.status_code == 200 and "2 rows are ready to import." in preview.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 0
    client.post("/manage/contacts/import", data={"confirm-csv_text": good, "confirm-submit": "1"})
    rows = db.session.scalars(sa.select(Contact).order_by(Contact.email)).all()
    assert [(c.email, c.country) for c in rows] == [("amara@example.org", "SN"), ("lars@example.org", "DK")]


def test_importing_for_a_workshop_sets_categories_and_invites_everyone(app, db, client, make_user, make_workshop, login_as):
    from workshop.registration.models import Invitation

    organizer, workshop = _organizer(make_user, make_workshop)
    login_as(organizer)
    text = "name,email,category\nAmara Diallo,amara@example.org,R2P Focal Point\nNadia Rahman,nadia@example.org,un official\n"
    wrong = "name,email,category\nX,x@example.org,Astronaut\n"
    bad = client.post(f"/manage/w/{workshop.slug}/invitations/import", data={
        "upload-file": (io.BytesIO(wrong.encode()), "c.csv"), "upload-submit": "1"}, content_type="multipart/form-data")
    assert "&#39;Astronaut&#39; is not one of this workshop&#39;s categories." in bad.get_data(as_text=True)
    client.post(f"/manage/w/{workshop.slug}/invitations/import",
                data={"confirm-csv_text": text, "confirm-invite": "y", "confirm-submit": "1"})
    rows = db.session.scalars(sa.select(Invitation).order_by(Invitation.email)).all()
    assert [(i.email, i.category.name, i.state) for i in rows] == [
        ("amara@example.org", "R2P Focal Point", "pending"), ("nadia@example.org", "UN official", "pending")]
    assert link_from_outbox(db, "nadia@example.org", "invitations")


def test_categories_start_with_sensible_defaults_and_can_be_edited(app, db, client, make_user, make_workshop, login_as):
    from workshop.registration import service

    organizer, workshop = _organizer(make_user, make_workshop)
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/categories").get_data(as_text=True)
    for name in ("R2P Focal Point", "National representative", "UN mission", "UN official", "Expert/specialist"):
        assert name in page
    client.post(f"/manage/w/{workshop.slug}/categories", data={"name": "Civil society"})
    duplicate = client.post(f"/manage/w/{workshop.slug}/categories", data={"name": "civil society"})
    assert duplicate.status_code == 422
    categories = {c.name: c for c in service.categories_for(workshop)}
    client.post(f"/manage/w/{workshop.slug}/categories/{categories['UN mission'].id}/edit",
                data={"name": "UN permanent mission"})
    client.post(f"/manage/w/{workshop.slug}/categories/{categories['Expert/specialist'].id}/delete", data={})
    db.session.expire_all()
    assert [c.name for c in service.categories_for(workshop)] == [
        "R2P Focal Point", "National representative", "UN permanent mission", "UN official", "Civil society"]


def test_the_import_reads_honorifics_as_typed_or_as_an_export_wrote_them(app, db, client, make_user, make_workshop, login_as):
    from workshop.people.models import Contact

    organizer, _ = _organizer(make_user, make_workshop)
    login_as(organizer)
    unknown = "name,email,honorific\nAma Mensah,ama@example.org,Your Grace\n"
    refused = client.post("/manage/contacts/import", data={
        "upload-file": (io.BytesIO(unknown.encode()), "c.csv"), "upload-submit": "1"},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "&#39;Your Grace&#39; is not an honorific we know; use one of H.E. (His or Her Excellency), Ambassador" in refused
    # Codes, English short and long forms, and the labels an export writes in another language.
    good = ("name,email,honorific\nAma Mensah,ama@example.org,H.E.\nChinedu Okafor,chinedu@example.org,ambassador\n"
            "Jin Lee,jin@example.org,Doctor\nClaire Martin,claire@example.org,Prof.\nLars Holm,lars@example.org,\n"
            "Olga Ivanova,olga@example.org,Посол\nAna Ruiz,ana@example.org,Sra.\n")
    preview = client.post("/manage/contacts/import", data={
        "upload-file": (io.BytesIO(good.encode()), "c.csv"), "upload-submit": "1"},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "7 rows are ready to import." in preview
    client.post("/manage/contacts/import", data={"confirm-csv_text": good, "confirm-submit": "1"})
    honorifics = dict(db.session.execute(sa.select(Contact.email, Contact.honorific)).all())
    assert honorifics == {"ama@example.org": "he", "chinedu@example.org": "ambassador", "jin@example.org": "dr",
                          "claire@example.org": "prof", "lars@example.org": "", "olga@example.org": "ambassador",
                          "ana@example.org": "ms"}
