"""Long organizer lists: a page at a time with the filters kept, the CSV streamed, and the SQL
each list sends the same for a workshop twenty times larger (no query per row)."""

import csv
import io
import re

import pytest
import sqlalchemy as sa

from benchmarks.pages import count_queries
from tests.conftest import csrf_token_from
from tests.support.registration import taking_registrations  # noqa: F401
from tests.support.scale import grow

ROWS_AT_1X = 6  # fits one page; twenty times as many (120) is three pages


@pytest.fixture
def organizer_and_workshops(app, db, make_user, taking_registrations):  # noqa: F811
    """One organizer of two workshops: one with a few rows in each list, one with twenty times more."""
    from workshop.workshops import service as workshops

    organizer = make_user(admin=True)
    made = []
    for scale, tag in ((1, "small"), (20, "large")):
        workshop = taking_registrations()
        workshops.add_member(workshop, organizer.email, "organizer")
        db.session.commit()
        question = grow(db, workshop, organizer, ROWS_AT_1X * scale, tag)
        made.append((workshop, question))
    return organizer, made


LISTS = (
    "/manage/w/{slug}/registrations",
    "/manage/w/{slug}/registrations?state=confirmed&answer={question}:yes",
    "/manage/w/{slug}/invitations",
    "/manage/w/{slug}/invitations/directory",
    "/manage/w/{slug}/messages",
    "/manage/w/{slug}/audit",
    "/manage/w/{slug}/documents",
    "/manage/contacts/",
)


def test_each_organizer_list_sends_the_same_sql_for_twenty_times_the_rows(
        app, db, client, login_as, organizer_and_workshops):
    organizer, ((small, small_question), (large, large_question)) = organizer_and_workshops
    login_as(organizer)
    for pattern in LISTS:
        counts = []
        for workshop, question in ((small, small_question), (large, large_question)):
            url = pattern.format(slug=workshop.slug, question=question)
            client.get(url)  # the first visit warms what is made once
            with count_queries(db.engine) as counter:
                response = client.get(url)
            assert response.status_code == 200, url
            counts.append((counter.count, counter.statements))
        (few, few_statements), (many, many_statements) = counts
        assert many == few, (pattern, few, many, many_statements[len(few_statements):] or many_statements)


def _names(html: str) -> list[str]:
    return re.findall(r">(Person \d{4})</a>", html)


def test_the_registration_list_shows_fifty_at_a_time_with_the_filters_kept_on_every_page(
        app, db, client, login_as, organizer_and_workshops):
    organizer, (_small, (large, question)) = organizer_and_workshops
    login_as(organizer)
    base = f"/manage/w/{large.slug}/registrations"
    first = client.get(base).get_data(as_text=True)
    assert len(_names(first)) == 50 and "Showing 1–50 of 120" in first and "Page 1 of 3" in first
    assert 'rel="next" href="/manage/w/%s/registrations?page=2"' % large.slug in first
    assert 'rel="prev"' not in first
    pages = [_names(client.get(f"{base}?page={n}").get_data(as_text=True)) for n in (1, 2, 3)]
    assert [len(names) for names in pages] == [50, 50, 20]
    assert len(set(sum(pages, []))) == 120  # no one twice, no one left out
    last = client.get(f"{base}?page=3").get_data(as_text=True)
    assert "Showing 101–120 of 120" in last and 'rel="next"' not in last
    # Past the end, or not a number: the last page, or the first.
    assert _names(client.get(f"{base}?page=99").get_data(as_text=True)) == pages[2]
    assert _names(client.get(f"{base}?page=x").get_data(as_text=True)) == pages[0]

    # State (40 confirmed) and an answer (half of them said yes): 20 on one page, no links.
    filtered = client.get(f"{base}?state=confirmed&answer={question}:yes").get_data(as_text=True)
    assert len(_names(filtered)) == 20 and "Showing 1–20 of 20" in filtered and "Page 1 of" not in filtered
    # Only the state: 40, still one page; with a category too, the links keep all three.
    confirmed = client.get(f"{base}?state=confirmed").get_data(as_text=True)
    assert "Showing 1–40 of 40" in confirmed
    waitlisted = client.get(f"{base}?state=waitlisted&q=person").get_data(as_text=True)
    assert "Showing 1–40 of 40" in waitlisted
    # Each third registrant is from Ghana (and each third confirmed): 40, of whom none waitlisted.
    ghana = client.get(f"{base}?country=GH").get_data(as_text=True)
    assert "Showing 1–40 of 40" in ghana and '<option selected value="GH">Ghana</option>' in ghana
    assert "Showing" not in client.get(f"{base}?country=GH&state=waitlisted").get_data(as_text=True)
    unknown = client.get(f"{base}?country=ZZ").get_data(as_text=True)
    assert "Showing 1–50 of 120" in unknown, unknown[unknown.find("<main"):][:3000]  # ignored, as any value not offered
    everyone = client.get(f"{base}?q=person&answer={question}:no").get_data(as_text=True)
    assert "Showing 1–50 of 60" in everyone
    link = re.search(r'rel="next" href="([^"]+)"', everyone).group(1).replace("&amp;", "&")
    assert "q=person" in link and f"answer={question}%3Ano" in link and "page=2" in link
    second = client.get(link).get_data(as_text=True)
    assert "Showing 51–60 of 60" in second and len(_names(second)) == 10
    # The export buttons take the whole filtered list, not the page.
    assert "page=" not in re.search(r'action="([^"]*registrations\.csv[^"]*)"', second).group(1)


def test_the_count_is_written_in_the_readers_language(app, db, client, login_as, organizer_and_workshops):
    organizer, (_small, (large, _question)) = organizer_and_workshops
    login_as(organizer)
    page = client.get(f"/manage/w/{large.slug}/registrations?page=2",
                      headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Affichage de 51–100 sur 120" in page


def test_the_other_lists_are_paginated_too(app, db, client, login_as, organizer_and_workshops):
    organizer, (_small, (large, _question)) = organizer_and_workshops
    login_as(organizer)
    invitations = client.get(f"/manage/w/{large.slug}/invitations?page=3").get_data(as_text=True)
    assert "Showing 101–120 of 120" in invitations
    messages = client.get(f"/manage/w/{large.slug}/messages").get_data(as_text=True)
    assert "Showing 1–50 of 120" in messages and messages.count("2 of 0") == 0
    directory = client.get(f"/manage/w/{large.slug}/invitations/directory?q=large").get_data(as_text=True)
    assert "120 contacts match" in directory and "Showing 1–50 of 120" in directory
    contacts = client.get("/manage/contacts/?q=large&page=2").get_data(as_text=True)
    assert "Showing 51–100 of 120" in contacts and "q=large" in re.search(r'rel="next" href="([^"]+)"', contacts).group(1)


def test_the_csv_export_is_streamed_and_holds_every_filtered_row(app, db, client, login_as, organizer_and_workshops):
    from workshop.platform.audit.models import AuditEntry

    organizer, (_small, (large, question)) = organizer_and_workshops
    login_as(organizer)
    token = csrf_token_from(client.get(f"/manage/w/{large.slug}/registrations").get_data(as_text=True))
    response = client.post(f"/manage/w/{large.slug}/registrations.csv?answer={question}:yes&page=2",
                           data={"csrf_token": token}, buffered=False)
    assert response.status_code == 200 and response.is_streamed
    chunks = list(response.response)
    body = b"".join(chunks)
    assert body.startswith(b"\xef\xbb\xbf") and body.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Name", "Email"] and rows[0][-1] == "Need a visa letter?"
    assert len(rows) == 61 and {row[-1] for row in rows[1:]} == {"yes"}  # every page, not just one
    response.close()
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "registration.exported",
                                                           AuditEntry.workshop_id == large.id)
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.detail["rows"] == 60 and "page" not in entry.detail["filters"]


def test_the_csv_comes_in_batches_with_the_same_bytes_as_the_whole_file(app, db, organizer_and_workshops):
    from workshop.registration import dashboard, exports

    _organizer, (_small, (large, _question)) = organizer_and_workshops
    with app.test_request_context():
        statement = dashboard.registrations_query(large)
        chunks = list(exports.csv_chunks(statement, batch=25))
        whole = exports.to_csv(dashboard.registrations(large))
    assert len(chunks) == 1 + 120 // 25 + 1  # the header, then a batch at a time
    assert b"".join(chunks) == whole


def test_hostile_page_numbers_and_filters_show_a_list_never_an_error(app, db, client, login_as, organizer_and_workshops):
    from tests.support.hostile import HOSTILE, Findings, path_segment

    organizer, (_small, (large, _question)) = organizer_and_workshops
    login_as(organizer)
    findings = Findings()
    lists = (f"/manage/w/{large.slug}/registrations", f"/manage/w/{large.slug}/invitations",
             f"/manage/w/{large.slug}/invitations/directory", f"/manage/w/{large.slug}/messages",
             "/manage/contacts/")
    for label, value in list(HOSTILE.items()) + [("huge page", "9" * 40), ("negative page", "-2"), ("zero", "0")]:
        hostile = path_segment(value)
        # A NUL anywhere in a request is refused whole, with 400, before any view (platform/security).
        ok = (400,) if "\x00" in (value if isinstance(value, str) else value.decode("latin-1")) else (200,)
        for url in lists:
            findings.check(client.get(f"{url}?page={hostile}&q={hostile}"), label, value, f"{url} page", allowed=ok)
        registrations = f"/manage/w/{large.slug}/registrations"
        findings.check(client.get(f"{registrations}?country={hostile}&page=2&state={hostile}"), label, value,
                       "registrations country", allowed=ok)
    assert findings == []


def test_approving_from_a_page_of_a_filtered_list_comes_back_to_that_page(app, db, client, login_as, organizer_and_workshops):
    from workshop.registration.models import Registration

    organizer, (_small, (large, _question)) = organizer_and_workshops
    login_as(organizer)
    url = f"/manage/w/{large.slug}/registrations?state=pending&q=person&page=2"
    page = client.get(url).get_data(as_text=True)
    assert "Showing 1–40 of 40" in page  # 40 pending: a page past the end shows the last
    action = re.search(r'<form method="post" action="([^"]+/approve)"', page).group(1)
    registration_id = int(action.split("/")[-2])
    response = client.post(action, data={"csrf_token": csrf_token_from(page),
                                         "next": re.search(r'name="next" value="([^"]+)"', page).group(1).replace("&amp;", "&")})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert db.session.get(Registration, registration_id).state == "confirmed"
    # Only the app's own organizer pages: a next elsewhere goes to the list.
    other = client.post(action.replace(str(registration_id), str(registration_id + 3)),
                        data={"csrf_token": csrf_token_from(page), "next": "https://evil.example/"})
    assert other.headers["Location"].endswith(f"/manage/w/{large.slug}/registrations")
