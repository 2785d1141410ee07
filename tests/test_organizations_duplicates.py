"""A convener typed nearly like a known organization is offered the existing one, not made
again; a site admin merges two that were made anyway."""

import sqlalchemy as sa

from workshop.workshops.models import Organization, WorkshopOrganization

FORM = {"title": "Workshop", "slug": "dup-workshop", "timezone": "Europe/London",
        "start_date": "2031-01-10", "end_date": "2031-01-11"}


def test_a_near_match_is_refused_in_words_until_confirmed_as_new(app, db, client, make_user, login_as, make_workshop):
    organizer = make_user(can_create_workshops=True)
    make_workshop(organizer, conveners=["Stanley Center for Peace and Security"])
    login_as(organizer)
    page = client.post("/manage/workshops/new", data={**FORM, "conveners": "Stanley Center"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "looks like “Stanley Center for Peace and Security”" in text and "These are new organizations" in text
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 1
    exact = client.post("/manage/workshops/new", data={**FORM, "conveners": "stanley center for peace and security"})
    assert exact.status_code == 302  # the same name in other letters is that organization
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 1
    again = client.post("/manage/workshops/new", data={**FORM, "slug": "dup-two", "conveners": "Stanley Center",
                                                      "new_organizations": "y"})
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 2


def test_unrelated_names_pass_and_close_spellings_are_caught(app, db, make_user, make_workshop):
    from workshop.workshops import service

    make_workshop(make_user(), conveners=["Global Centre for the Responsibility to Protect", "Government of Ghana"])
    assert [o.name for o in service.similar_organizations("Global Center for the Responsibility to Protect")] == [
        "Global Centre for the Responsibility to Protect"]
    assert service.similar_organizations("Government of Denmark") == []
    assert service.similar_organizations("Government of Ghana") == []  # that one exists: no warning


def test_a_site_admin_merges_a_duplicate_into_the_one_to_keep(app, db, client, make_user, login_as, make_workshop):
    admin = make_user(admin=True)
    keep = make_workshop(admin, conveners=["Stanley Center for Peace and Security"])
    both = make_workshop(admin, conveners=["Stanley Center", "Stanley Center for Peace and Security"])
    duplicate = db.session.scalar(sa.select(Organization).where(Organization.name == "Stanley Center"))
    target = db.session.scalar(sa.select(Organization).where(Organization.name != "Stanley Center"))
    login_as(admin)
    page = client.get(f"/manage/organizations/{duplicate.id}/merge")
    assert page.status_code == 200 and "Stanley Center for Peace and Security" in page.get_data(as_text=True)
    done = client.post(f"/manage/organizations/{duplicate.id}/merge", data={"target": str(target.id)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organization, duplicate.id) is None
    links = db.session.scalars(sa.select(WorkshopOrganization).order_by(WorkshopOrganization.workshop_id)).all()
    assert [(link.workshop_id, link.organization_id) for link in links] == [(keep.id, target.id), (both.id, target.id)]
    from workshop.platform.audit.models import AuditEntry

    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "organization.merged")).one()
    assert entry.detail["merged"] == "Stanley Center" and entry.detail["workshops"] == 1
