"""The organizer dashboard, exports with the formula-injection guard, and the participant list."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.support.registration import details, link_from_outbox, taking_registrations  # noqa: F401


def _team(make_user, workshop):
    from workshop.workshops import service as workshops

    organizer = make_user()
    workshops.add_member(workshop, organizer.email, "organizer")
    return organizer


def _register(workshop, email, **extra):
    from workshop.registration import service

    return service.register(workshop, details(email=email, **extra))


def test_dashboard_counts_by_state_and_category_and_filters_and_searches(app, client, make_user, login_as, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(capacity=1)
    organizer = _team(make_user, workshop)
    focal = next(c for c in service.categories_for(workshop) if c.name == "R2P Focal Point")
    _register(workshop, "a@example.org", name="Alpha Person", category_id=focal.id)
    _register(workshop, "b@example.org", name="Beta Person", organization="Stanley Center")
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/registrations").get_data(as_text=True)
    assert "Seats taken: 1 of 1." in page
    assert '<th scope="row">confirmed</th><td>1</td>' in page and '<th scope="row">on the waitlist</th><td>1</td>' in page
    assert '<th scope="row">R2P Focal Point</th><td>1</td>' in page
    only_waitlist = client.get(f"/manage/w/{workshop.slug}/registrations?state=waitlisted").get_data(as_text=True)
    assert "Beta Person" in only_waitlist and "Alpha Person" not in only_waitlist
    by_category = client.get(f"/manage/w/{workshop.slug}/registrations?category={focal.id}").get_data(as_text=True)
    assert "Alpha Person" in by_category and "Beta Person" not in by_category
    searched = client.get(f"/manage/w/{workshop.slug}/registrations?q=stanley").get_data(as_text=True)
    assert "Beta Person" in searched and "Alpha Person" not in searched
    assert client.get(f"/manage/w/{workshop.slug}/registrations?state=bogus&category=x").status_code == 200


def test_only_the_workshop_organizers_see_the_dashboard_and_exports(app, client, make_user, login_as, taking_registrations):
    workshop = taking_registrations()
    assert client.get(f"/manage/w/{workshop.slug}/registrations").status_code == 302  # to sign-in
    login_as(make_user())
    assert client.get(f"/manage/w/{workshop.slug}/registrations").status_code == 403
    assert client.post(f"/manage/w/{workshop.slug}/registrations.csv").status_code == 403


HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3+4", "@SUM(A1)"]
# Formula starts behind a separator: a spreadsheet splitting on it starts a cell there.
AFTER_SEPARATOR = {
    "ACME;=1+1": "ACME;'=1+1", "ACME,=1+1": "ACME,'=1+1", "ACME|@SUM(1)": "ACME|'@SUM(1)",
    "ACME; +1": "ACME; '+1", "Line\n=1+1": "Line\n'=1+1",
    "\t=1+1": "'\t'=1+1", "\r=1+1": "'\r'=1+1",
}


def test_csv_and_xlsx_exports_neutralize_formulas(app, client, make_user, login_as, taking_registrations):
    workshop = taking_registrations()
    organizer = _team(make_user, workshop)
    for n, value in enumerate(HOSTILE):
        _register(workshop, f"p{n}@example.org", name=f"Person {n}", organization=value)
    _register(workshop, "plain@example.org", name="Plain Person", organization="Global Centre")
    login_as(organizer)

    response = client.post(f"/manage/w/{workshop.slug}/registrations.csv")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    organizations = {row["Email"]: row["Organization"] for row in rows}
    for n, value in enumerate(HOSTILE):
        assert organizations[f"p{n}@example.org"] == "'" + value.strip()
    assert organizations["plain@example.org"] == "Global Centre"

    response = client.post(f"/manage/w/{workshop.slug}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("Organization")
    cells = {row[1].value: row[column] for row in sheet.iter_rows(min_row=2)}
    for n, value in enumerate(HOSTILE):
        cell = cells[f"p{n}@example.org"]
        assert cell.data_type == "s" and cell.value == "'" + value.strip()
    assert cells["plain@example.org"].value == "Global Centre"


def test_neutralize_quotes_every_formula_prefix_including_tab_and_carriage_return():
    from workshop.registration.exports import neutralize

    for value in HOSTILE:
        assert neutralize(value) == "'" + value
    assert neutralize("Ghana") == "Ghana" and neutralize(12) == 12 and neutralize("a=b") == "a=b"
    assert neutralize("Jean-Paul Mensah") == "Jean-Paul Mensah"


@pytest.mark.parametrize("value, exported", AFTER_SEPARATOR.items())
def test_a_formula_start_after_any_separator_is_neutralized(value, exported):
    from workshop.registration.exports import neutralize

    assert neutralize(value) == exported
    for separator in ",;\t|\r\n":
        for cell in neutralize(value).split(separator):
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")), (value, separator, cell)


def test_every_csv_field_is_quoted_and_a_semicolon_split_makes_no_formula(
        app, client, make_user, login_as, taking_registrations):
    workshop = taking_registrations()
    organizer = _team(make_user, workshop)
    _register(workshop, "semi@example.org", name="Semi Colon", organization="ACME;=1+1")
    login_as(organizer)
    text = client.post(f"/manage/w/{workshop.slug}/registrations.csv").get_data().decode("utf-8-sig")
    for line in text.splitlines():
        assert line.startswith('"') and line.endswith('"'), line
    [line] = [line for line in text.splitlines() if "semi@example.org" in line]
    # Split as a program that reads semicolons and ignores the quotes would.
    assert not any(cell.strip('"').startswith("=") for cell in line.split(";")), line


def test_the_participant_list_shows_only_consenting_confirmed_people_at_their_level(app, db, client, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(capacity=3, attribution_rule="on_record")
    assert client.get(f"/w/{workshop.slug}/participants").status_code == 404  # not published
    service.update_settings(workshop, participants_published=True)
    _register(workshop, "public@example.org", name="Public Person", consent="public")
    _register(workshop, "peers@example.org", name="Peers Person", consent="participants")
    _register(workshop, "nobody@example.org", name="Hidden Person", consent="nobody")
    _register(workshop, "waiting@example.org", name="Waiting Person", consent="public")  # waitlisted

    public = client.get(f"/w/{workshop.slug}/participants").get_data(as_text=True)
    assert "Public Person" in public
    assert "Peers Person" not in public and "Hidden Person" not in public and "Waiting Person" not in public

    peer_view = client.get(link_from_outbox(db, "nobody@example.org") + "/participants").get_data(as_text=True)
    assert "Public Person" in peer_view and "Peers Person" in peer_view and "Hidden Person" not in peer_view
    # A waitlisted registrant is not (yet) a participant: no list through their link.
    assert client.get(link_from_outbox(db, "waiting@example.org") + "/participants").status_code == 404

    service.update_settings(workshop, participants_published=False)
    assert client.get(f"/w/{workshop.slug}/participants").status_code == 404
    assert client.get(link_from_outbox(db, "peers@example.org") + "/participants").status_code == 404


def test_workshop_pages_carry_the_registration_buttons(app, client, make_user, login_as, taking_registrations):
    from workshop.registration import service

    workshop = taking_registrations(attribution_rule="on_record")
    organizer = _team(make_user, workshop)
    service.update_settings(workshop, participants_published=True)
    public = client.get(f"/w/{workshop.slug}/").get_data(as_text=True)
    assert f'href="/w/{workshop.slug}/register"' in public and f'href="/w/{workshop.slug}/participants"' in public
    login_as(organizer)
    overview = client.get(f"/manage/w/{workshop.slug}/").get_data(as_text=True)
    assert f'href="/manage/w/{workshop.slug}/registrations"' in overview
    assert f'href="/manage/w/{workshop.slug}/invitations"' in overview


def test_the_xlsx_export_reads_as_a_spreadsheet_people_use(app, client, make_user, login_as, taking_registrations):
    """Columns wide enough to read, the header frozen and filterable, real date cells, and
    countries by name in the reader's language (the CSV too)."""
    from datetime import date, datetime

    workshop = taking_registrations()
    organizer = _team(make_user, workshop)
    _register(workshop, "ama@example.org", country="GH", arrival_date=date(2030, 5, 31),
              departure_date=date(2030, 6, 4))
    login_as(organizer)

    sheet = load_workbook(io.BytesIO(client.post(f"/manage/w/{workshop.slug}/registrations.xlsx").get_data())).active
    header = [cell.value for cell in sheet[1]]
    row = {title: cell for title, cell in zip(header, sheet[2])}
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"
    assert sheet.column_dimensions["B"].width >= 30  # the email column
    assert row["Arrival"].is_date and row["Arrival"].value.date() == date(2030, 5, 31)
    assert row["Arrival"].number_format == "yyyy-mm-dd"
    registered = row["Registered at (workshop time)"]
    assert registered.is_date and isinstance(registered.value, datetime)
    assert row["Country"].value == "Ghana"

    client.get("/?lang=fr")
    sheet = load_workbook(io.BytesIO(client.post(f"/manage/w/{workshop.slug}/registrations.xlsx").get_data())).active
    assert sheet.cell(2, header.index("Country") + 1).value == "Ghana"  # the same word in French
    client.get("/?lang=ru")
    text = client.post(f"/manage/w/{workshop.slug}/registrations.csv").get_data().decode("utf-8-sig")
    assert "Гана" in text and '"2030-05-31"' in text
