"""Registration questions: every type checked in words, conditions and categories, answers on
every page and export, the follow-up form by mail, sensitive answers kept out of mail and
exports, and the retention purge."""

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.support.registration import form_data, link_from_outbox, outbox, taking_registrations  # noqa: F401
from workshop.questions import rules


@pytest.fixture
def app_config(app_config):
    # Many submissions from one test client: the limits are tested elsewhere.
    return {**app_config, "RATELIMIT_ENABLED": False}


class Q:
    def __init__(self, id, kind="yes_no", condition=None, value="", categories=(), choices=()):
        self.id, self.kind, self.condition_question_id, self.condition_value = id, kind, condition, value
        self.category_ids, self.choices = list(categories), list(choices)


# The rules, pure ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind,raw,choices,expected", [
    ("short_text", "  Nairobi  ", (), "Nairobi"),
    ("number", "2.50", (), "2.5"),
    ("number", "3,5", (), "3.5"),
    ("date", "2027-03-14", (), "2027-03-14"),
    ("yes_no", "yes", (), "yes"),
    ("single", "By air", ("By air", "By train"), "By air"),
    ("multiple", ["By train", "By air"], ("By air", "By train"), ["By air", "By train"]),
    ("country", "KE", (), "KE"),
    ("long_text", "", (), ""),
])
def test_each_type_keeps_a_good_answer_in_its_stored_form(kind, raw, choices, expected):
    assert rules.clean(kind, raw, choices, valid_countries={"KE"}) == expected


@pytest.mark.parametrize("kind,raw,choices,words", [
    ("number", "twelve", (), "Enter a number"),
    ("number", "1e400", (), "Enter a number"),
    ("number", "NaN", (), "Enter a number"),
    # Nine characters that would be stored as a million digits.
    ("number", "1e-999990", (), "Enter a number"),
    ("date", "14/03/2027", (), "year-month-day"),
    ("date", "1850-01-01", (), "between"),
    ("date", "2999-01-01", (), "between"),
    ("single", "By boat", ("By air",), "not one of the choices"),
    ("multiple", ["By air", "By boat"], ("By air",), "not one of the choices"),
    ("yes_no", "maybe", (), "yes or no"),
    ("country", "XX", (), "country from the list"),
])
def test_each_type_refuses_a_bad_answer_in_words(kind, raw, choices, words):
    with pytest.raises(rules.AnswerError) as refused:
        rules.clean(kind, raw, choices, valid_countries={"KE"})
    assert words in str(refused.value)


def test_a_condition_holds_through_its_chain_and_a_category_limits_who_is_asked():
    visa, passport, embassy = Q(1), Q(2, "short_text", 1, "yes"), Q(3, "short_text", 2, "")
    focal = Q(4, categories=[7])
    travel = Q(5, "multiple", choices=["air", "train"])
    by_train = Q(6, "short_text", 5, "train")
    everything = {q.id: q for q in (visa, passport, embassy, focal, travel, by_train)}
    assert rules.asked(passport, {1: "yes"}, None, everything)
    assert not rules.asked(passport, {1: "no"}, None, everything)
    assert not rules.asked(passport, {}, None, everything)
    # The embassy depends on the passport question, which is not asked after a no.
    assert not rules.asked(embassy, {1: "no", 2: ""}, None, everything)
    assert rules.asked(focal, {}, 7, everything) and not rules.asked(focal, {}, 8, everything)
    assert rules.asked(by_train, {5: ["air", "train"]}, None, everything)
    assert not rules.asked(by_train, {5: ["air"]}, None, everything)
    with pytest.raises(rules.AnswerError):
        rules.check_condition(1, 3, everything)  # 1 would depend on 3, which depends on 1


# Through the app ----------------------------------------------------------------------------


@pytest.fixture
def visa_workshop(app, db, make_user, taking_registrations):
    from workshop.questions import service

    organizer = make_user()
    workshop = taking_registrations()
    workshop_id = workshop.id
    from workshop.workshops import service as workshops
    from workshop.workshops.models import Role
    workshops.add_member(workshop, organizer.email, Role.ORGANIZER)
    visa = service.save_question(workshop, {"label": "Need a visa letter?", "kind": "yes_no", "stage": "registration",
                                            "required": True, "sensitive": False, "help_text": "", "choices": [],
                                            "category_ids": [], "condition": ""})
    service.save_question(workshop, {"label": "Travel", "kind": "single", "stage": "registration", "required": False,
                                     "sensitive": False, "help_text": "", "choices": ["Air", "Train"],
                                     "category_ids": [], "condition": ""})
    service.save_question(workshop, {"label": "Consulate city", "kind": "short_text", "stage": "registration",
                                     "required": True, "sensitive": False, "help_text": "", "choices": [],
                                     "category_ids": [], "condition": f"{visa.id}:yes"})
    passport = service.save_question(workshop, {"label": "Passport number", "kind": "short_text", "stage": "follow_up",
                                                "required": True, "sensitive": True, "help_text": "", "choices": [],
                                                "category_ids": [], "condition": f"{visa.id}:yes"})
    db.session.commit()
    return db.session.get(type(workshop), workshop_id), organizer, visa.id, passport.id


def _answers(db, email):
    from workshop.questions.models import Answer, Question
    from workshop.registration.models import Registration

    db.session.expire_all()
    rows = db.session.execute(sa.select(Question.label, Answer.value).join(Answer.question)
                              .join(Registration, Registration.id == Answer.registration_id)
                              .where(Registration.email == email))
    return dict(rows.all())


def _q(db, label):
    from workshop.questions.models import Question
    return db.session.scalar(sa.select(Question.id).where(Question.label == label))


def test_a_required_answer_is_missing_only_when_its_condition_holds(client, db, visa_workshop):
    workshop = visa_workshop[0]
    visa, travel, city = _q(db, "Need a visa letter?"), _q(db, "Travel"), _q(db, "Consulate city")
    url = f"/w/{workshop.slug}/register"
    page = client.post(url, data=form_data("a@example.org", **{f"q{visa}": "yes", f"q{city}": ""}))
    assert page.status_code == 422 and "Answer this question." in page.get_data(as_text=True)
    page = client.post(url, data=form_data("a@example.org", **{f"q{travel}": "Boat"}))
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "is not one of the choices" in text and "Answer this question." in text
    # A no: the consulate is not asked, and a stray answer to it is not kept.
    assert client.post(url, data=form_data("b@example.org", **{f"q{visa}": "no", f"q{city}": "Ignored",
                                                               f"q{travel}": "Train"})).status_code == 200
    assert _answers(db, "b@example.org") == {"Need a visa letter?": "no", "Travel": "Train"}
    assert client.post(url, data=form_data("c@example.org", **{f"q{visa}": "yes", f"q{city}": "Nairobi"})).status_code == 200
    assert _answers(db, "c@example.org") == {"Need a visa letter?": "yes", "Consulate city": "Nairobi"}


def test_answers_show_filter_and_export_and_a_removed_choice_stays_readable(client, db, login_as, visa_workshop):
    from workshop.questions import service

    workshop, organizer, visa, _passport = visa_workshop
    travel, city = _q(db, "Travel"), _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("c@example.org", **{f"q{visa}": "yes", f"q{city}": "Nairobi", f"q{travel}": "Air"}))
    client.post(f"/w/{workshop.slug}/register", data=form_data("d@example.org", name="Bo Lind", **{f"q{visa}": "no", f"q{travel}": "Train"}))
    question = service.question_of(workshop, travel)
    service.save_question(workshop, {"label": "Travel", "kind": "single", "stage": "registration", "required": False,
                                     "sensitive": False, "help_text": "", "choices": ["Train", "Road"],
                                     "category_ids": [], "condition": ""}, question=question)
    db.session.commit()
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/registrations").get_data(as_text=True)
    assert "Who is coming" in page and "<svg" in page and "By UN regional group" in page
    assert "African Group" in page  # both registrants are from Ghana
    assert "<script" not in page.split("Who is coming")[1].split("</section>")[0]
    filtered = client.get(f"/manage/w/{workshop.slug}/registrations?answer={visa}:yes").get_data(as_text=True)
    assert "Ama Mensah" in filtered and "Bo Lind" not in filtered
    body = client.post(f"/manage/w/{workshop.slug}/registrations.csv?answer={visa}:yes",
                       data={"csrf_token": _csrf(client, workshop)}).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert "Passport number" not in rows[0]  # sensitive: only when chosen
    assert rows[0][-3:] == ["Need a visa letter?", "Travel", "Consulate city"]
    assert rows[1][-3:] == ["yes", "Air", "Nairobi"] and len(rows) == 2
    # "Air" was removed from the choices: the answer still reads.
    from workshop.registration.models import Registration
    registration = db.session.scalar(sa.select(Registration).where(Registration.email == "c@example.org"))
    detail = client.get(f"/manage/w/{workshop.slug}/registrations/{registration.id}").get_data(as_text=True)
    assert "Air" in detail and "Nairobi" in detail


def _csrf(client, workshop):
    return ""  # CSRF is off in the tests (see conftest)


def test_follow_up_form_by_mail_sensitive_answer_kept_out_of_mail_and_exports_and_purged(client, db, login_as, visa_workshop, app):
    from workshop.registration import retention, service as registrations
    from workshop.registration.models import Registration

    workshop, organizer, visa, passport = visa_workshop
    city = _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("c@example.org", **{f"q{visa}": "yes", f"q{city}": "Nairobi"}))
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/questions")
    assert page.status_code == 200, page.status_code
    from tests.conftest import csrf_token_from
    token = ""  # CSRF is off in the tests (see conftest); its own tests cover it
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/send", data={"csrf_token": token})
    link = link_from_outbox(db, "c@example.org")
    client.get("/logout")
    form_page = client.get(f"{link}/follow-up")
    assert form_page.status_code == 200 and "Passport number" in form_page.get_data(as_text=True)
    token = ""  # CSRF is off in the tests (see conftest); its own tests cover it
    refused = client.post(f"{link}/follow-up", data={"csrf_token": token, f"q{passport}": ""})
    assert refused.status_code == 422 and "Answer this question." in refused.get_data(as_text=True)
    saved = client.post(f"{link}/follow-up", data={"csrf_token": token, f"q{passport}": "P1234567"})
    assert saved.status_code == 302, [l for l in saved.get_data(as_text=True).splitlines() if "error" in l or "value=" in l]
    assert _answers(db, "c@example.org")["Passport number"] == "P1234567"
    own = client.get(link).get_data(as_text=True)
    assert "P1234567" not in own and "confidential" in own
    assert not any(b"P1234567" in (row.raw or b"") for row in outbox(db))
    # A reminder goes only to those who have not answered: here, nobody.
    login_as(organizer)
    before = len(outbox(db))
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/remind", data={"csrf_token": ""})
    assert len(outbox(db)) == before
    login_as(organizer)
    plain = client.post(f"/manage/w/{workshop.slug}/registrations.csv", data={"csrf_token": _csrf(client, workshop)})
    assert b"P1234567" not in plain.data
    chosen = client.post(f"/manage/w/{workshop.slug}/registrations.csv",
                         data={"csrf_token": _csrf(client, workshop), "sensitive": "1"})
    assert b"P1234567" in chosen.data
    # The retention purge removes the sensitive answer and keeps the yes for the figures.
    settings = registrations.settings_for(workshop)
    settings.retention_days = 0
    workshop.start_date = workshop.end_date = date.today() - timedelta(days=3)
    db.session.commit()
    with app.test_request_context():
        retention.purge_expired()
        db.session.commit()
    answers = _answers(db, "purged-%d" % db.session.scalar(sa.select(Registration.id)))
    assert answers == {"Need a visa letter?": "yes"}


def test_the_builder_adds_moves_and_refuses_in_words(client, db, login_as, visa_workshop):
    from tests.conftest import csrf_token_from
    from workshop.questions import service

    workshop, organizer, visa, _passport = visa_workshop
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/questions"
    token = ""  # CSRF is off in the tests (see conftest); its own tests cover it
    bad = client.post(url, data={"csrf_token": token, "label": "Pick", "kind": "single", "stage": "registration",
                                 "choices_text": "only one"})
    assert bad.status_code == 422 and "at least two choices" in bad.get_data(as_text=True)
    bad = client.post(url, data={"csrf_token": token, "label": "X", "kind": "short_text", "stage": "registration",
                                 "condition": "999999:yes"})
    assert bad.status_code == 422
    assert client.post(url, data={"csrf_token": token, "label": "Diet", "kind": "multiple", "stage": "registration",
                                  "choices_text": "Halal\nVegan\n\nVegan"}).status_code == 302
    diet = service.question_of(workshop, _q(db, "Diet"))
    assert diet.choices == ["Halal", "Vegan"]
    labels = lambda: [q.label for q in service.questions_of(workshop, "registration")]  # noqa: E731
    assert labels()[-1] == "Diet"
    client.post(f"{url}/{diet.id}/up", data={"csrf_token": token})
    db.session.expire_all()
    assert labels()[-2] == "Diet"


def test_hostile_questions_and_answers_are_refused_or_inert(client, db, login_as, visa_workshop):
    from tests.conftest import csrf_token_from
    from tests.support.hostile import HOSTILE, active_markup, as_bytes, form_body

    workshop, organizer, visa, passport = visa_workshop
    city = _q(db, "Consulate city")
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/questions"
    token = ""  # CSRF is off in the tests (see conftest); its own tests cover it
    for label, value in HOSTILE.items():
        response = client.post(url, data=form_body({"csrf_token": token, "label": value, "kind": "single",
                                                    "stage": "registration", "choices_text": as_bytes(value) + b"\nok",
                                                    "help_text": value}),
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code in (302, 422), label
    page = client.get(url).get_data(as_text=True)
    assert not active_markup(page)
    client.get("/logout")
    for index, (label, value) in enumerate(HOSTILE.items()):
        response = client.post(f"/w/{workshop.slug}/register", data=form_body({
            **form_data(f"h{index}@example.org"), f"q{visa}": "yes", f"q{city}": value}),
            content_type="application/x-www-form-urlencoded")
        assert response.status_code in (200, 422), label
        assert not active_markup(response.get_data(as_text=True)), label
    login_as(organizer)
    page = client.get(f"/manage/w/{workshop.slug}/registrations").get_data(as_text=True)
    assert not active_markup(page)
    export = client.post(f"/manage/w/{workshop.slug}/registrations.csv", data={"csrf_token": _csrf(client, workshop)})
    for row in csv.reader(io.StringIO(export.data.decode("utf-8-sig"))):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


def test_the_open_demo_asks_about_a_visa_letter_and_a_yes_brings_the_follow_up(app, db, client):
    from workshop.demo import OPEN_SLUG, load_demo
    from workshop.visas import service as visas
    from workshop.questions import service
    from workshop.questions.models import Question
    from workshop.workshops.models import Workshop

    load_demo()
    count = db.session.scalar(sa.select(sa.func.count(Question.id)))
    load_demo()
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == count
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == OPEN_SLUG))
    questions = {q.label: q for q in service.questions_of(workshop)}
    visa = questions["Do you need a letter of invitation for a visa?"]
    assert visa.kind == "yes_no" and visa.stage == "registration"
    follow_up = [q for q in questions.values() if q.stage == "follow_up"]
    assert {q.label for q in follow_up} >= {"Passport number", "Nationality (as in the passport)",
                                           "Embassy or consulate that will issue the visa"}
    assert all(q.condition_question_id == visa.id and q.condition_value == "yes" for q in follow_up)
    assert "Do you need a letter of invitation for a visa?" in client.get(f"/w/{OPEN_SLUG}/register").get_data(as_text=True)
    assert visas.template_of(workshop).visa_question_id == visa.id


def test_composed_messages_can_go_to_those_who_gave_an_answer(client, db, login_as, visa_workshop):
    from workshop.messages import service as messages

    workshop, organizer, visa, _passport = visa_workshop
    city = _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("yes@example.org", name="Ya Yes", **{f"q{visa}": "yes", f"q{city}": "Accra"}))
    client.post(f"/w/{workshop.slug}/register", data=form_data("no@example.org", name="Na No", **{f"q{visa}": "no"}))
    people = messages.recipients(workshop, messages.Audience(states=("confirmed",), answer=f"{visa}:yes"))
    assert [p.email for p in people] == ["yes@example.org"]
    login_as(organizer)
    page = client.post(f"/manage/w/{workshop.slug}/messages/new", data={
        "audience": "registrants", "states": ["confirmed"], "answer": f"{visa}:no", "subject": "Hello",
        "body": "Dear {first_name}", "preview": "Preview", "key": "k" * 24})
    text = page.get_data(as_text=True)
    assert "no@example.org" in text and "yes@example.org" not in text


def test_answers_change_through_the_edit_link_until_the_deadline(client, db, visa_workshop):
    from workshop.platform.types import utcnow
    from workshop.registration import service as registrations

    workshop, _organizer, visa, _passport = visa_workshop
    travel, city = _q(db, "Travel"), _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("e@example.org", **{f"q{visa}": "no", f"q{travel}": "Air"}))
    link = link_from_outbox(db, "e@example.org")
    page = client.get(f"{link}/edit").get_data(as_text=True)
    assert 'value="Air" checked' in page or 'checked id' in page or "checked" in page
    refused = client.post(f"{link}/edit", data=form_data("e@example.org", **{f"q{visa}": "yes"}))
    assert refused.status_code == 422  # a yes now asks for the consulate
    assert client.post(f"{link}/edit", data=form_data("e@example.org", **{f"q{visa}": "yes", f"q{city}": "Lomé",
                                                                         f"q{travel}": "Train"})).status_code == 302
    assert _answers(db, "e@example.org") == {"Need a visa letter?": "yes", "Consulate city": "Lomé", "Travel": "Train"}
    registrations.settings_for(workshop).edit_deadline = utcnow() - timedelta(hours=1)
    db.session.commit()
    client.post(f"{link}/edit", data=form_data("e@example.org", **{f"q{visa}": "no", f"q{travel}": "Air"}))
    assert _answers(db, "e@example.org")["Travel"] == "Train"


def test_a_question_for_one_category_is_not_asked_of_another(client, db, visa_workshop):
    from workshop.questions import service
    from workshop.registration import service as registrations

    workshop, _organizer, visa, _passport = visa_workshop
    focal, other = registrations.categories_for(workshop)[:2]
    question = service.save_question(workshop, {"label": "Focal point since", "kind": "date", "stage": "registration",
                                                "required": True, "sensitive": False, "help_text": "", "choices": [],
                                                "category_ids": [focal.id], "condition": ""})
    db.session.commit()
    url = f"/w/{workshop.slug}/register"
    asked = client.post(url, data=form_data("f@example.org", category_id=str(focal.id), **{f"q{visa}": "no"}))
    assert asked.status_code == 422 and "Answer this question." in asked.get_data(as_text=True)
    assert client.post(url, data=form_data("f@example.org", category_id=str(focal.id),
                                           **{f"q{visa}": "no", f"q{question.id}": "2019-05-01"})).status_code == 200
    assert client.post(url, data=form_data("g@example.org", category_id=str(other.id),
                                           **{f"q{visa}": "no", f"q{question.id}": "2019-05-01"})).status_code == 200
    assert "Focal point since" not in _answers(db, "g@example.org")
    assert _answers(db, "f@example.org")["Focal point since"] == "2019-05-01"


def test_the_follow_up_reminder_reaches_who_has_not_answered_and_the_xlsx_has_a_column_a_question(
        client, db, login_as, visa_workshop):
    from openpyxl import load_workbook

    workshop, organizer, visa, _passport = visa_workshop
    city = _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("r@example.org", **{f"q{visa}": "yes", f"q{city}": "Dakar"}))
    client.post(f"/w/{workshop.slug}/register", data=form_data("n@example.org", name="No Visa", **{f"q{visa}": "no"}))
    login_as(organizer)
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/send", data={})
    sent = [row.recipients for row in outbox(db) if "more questions" in row.subject]
    assert sent == ["r@example.org"]  # the other has no follow-up question to answer
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/remind", data={})
    reminded = [row.recipients for row in outbox(db) if row.subject.startswith("Reminder")]
    assert reminded == ["r@example.org"]
    book = load_workbook(io.BytesIO(client.post(f"/manage/w/{workshop.slug}/registrations.xlsx", data={}).data))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert "Consulate city" in header and "Passport number" not in header
    column = header.index("Consulate city")
    assert "Dakar" in [row[column].value for row in sheet.iter_rows(min_row=2)]


def test_a_drag_and_drop_order_is_saved_and_foreign_ids_are_ignored(client, db, login_as, visa_workshop):
    from workshop.questions import service

    workshop, organizer, visa, passport = visa_workshop
    travel, city = _q(db, "Travel"), _q(db, "Consulate city")
    login_as(organizer)
    response = client.post(f"/manage/w/{workshop.slug}/questions/order/registration",
                           data={"order": f"{city},{passport},99999999999,x,{visa}"})
    assert response.status_code == 204
    db.session.expire_all()
    assert [q.id for q in service.questions_of(workshop, "registration")] == [city, visa, travel]
    assert client.post(f"/manage/w/{workshop.slug}/questions/order/elsewhere", data={}).status_code == 404


def test_hostile_follow_up_answers_are_refused_or_inert(client, db, visa_workshop):
    from tests.support.hostile import HOSTILE, active_markup, form_body

    workshop, _organizer, visa, passport = visa_workshop
    city = _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("hf@example.org", **{f"q{visa}": "yes", f"q{city}": "Accra"}))
    link = link_from_outbox(db, "hf@example.org")
    for label, value in HOSTILE.items():
        response = client.post(f"{link}/follow-up", data=form_body({f"q{passport}": value}),
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code in (302, 422), label
        assert not active_markup(response.get_data(as_text=True)), label
        assert not active_markup(client.get(f"{link}/follow-up").get_data(as_text=True)), label
    # The box that removes a sensitive answer on file: any value ticks it or leaves it, nothing else.
    assert _answers(db, "hf@example.org").get("Passport number")
    for label, value in HOSTILE.items():
        response = client.post(f"{link}/follow-up", data=form_body({f"q{passport}": "", f"q{passport}_clear": value}),
                               content_type="application/x-www-form-urlencoded")
        assert response.status_code in (302, 422), label
        assert not active_markup(response.get_data(as_text=True)), label
        assert _answers(db, "hf@example.org").get("Passport number"), label  # required: never removed


def test_an_invitee_answers_the_questions_when_accepting(client, db, make_user, visa_workshop):
    from workshop.people import service as people
    from workshop.registration import invitations

    workshop, organizer, visa, _passport = visa_workshop
    city = _q(db, "Consulate city")
    contact = people.save_contact(None, name="Chen Wei", email="chen@example.org", organization="Mission")
    invitations.invite(workshop, contact, by=organizer)
    db.session.commit()
    link = link_from_outbox(db, "chen@example.org", kind="invitations")
    page = client.get(f"{link}/accept").get_data(as_text=True)
    assert "Need a visa letter?" in page
    refused = client.post(f"{link}/accept", data=form_data("chen@example.org", name="Chen Wei", **{f"q{visa}": "yes"}))
    assert refused.status_code == 422
    client.post(f"{link}/accept", data=form_data("chen@example.org", name="Chen Wei", **{f"q{visa}": "yes", f"q{city}": "Beijing"}))
    assert _answers(db, "chen@example.org") == {"Need a visa letter?": "yes", "Consulate city": "Beijing"}


def test_a_tiny_number_with_an_exponent_is_refused_on_the_public_form_not_stored_as_its_digits(
        client, db, visa_workshop):
    from workshop.questions import service
    from workshop.questions.models import Answer

    workshop, _organizer, visa, _passport = visa_workshop
    people = service.save_question(workshop, {"label": "Delegation size", "kind": "number", "stage": "registration",
                                              "required": False, "sensitive": False, "help_text": "", "choices": [],
                                              "category_ids": [], "condition": ""})
    db.session.commit()
    response = client.post(f"/w/{workshop.slug}/register",
                           data=form_data("tiny@example.org", **{f"q{visa}": "no", f"q{people.id}": "1e-999990"}))
    assert response.status_code == 422 and "Enter a number" in response.get_data(as_text=True)
    assert max([len(str(v)) for v in db.session.scalars(sa.select(Answer.value))] or [0]) < 100


def test_the_follow_up_reminder_pressed_twice_mails_each_participant_once(client, db, login_as, visa_workshop):
    workshop, organizer, visa, _passport = visa_workshop
    city = _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("twice@example.org", **{f"q{visa}": "yes", f"q{city}": "Dakar"}))
    login_as(organizer)
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/send", data={})
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/send", data={})
    assert [row.recipients for row in outbox(db) if "more questions" in row.subject] == ["twice@example.org"]
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/remind", data={})
    second = client.post(f"/manage/w/{workshop.slug}/questions/follow-up/remind", data={}, follow_redirects=True)
    assert "0 emails sent" in second.get_data(as_text=True)
    assert [row.recipients for row in outbox(db) if row.subject.startswith("Reminder")] == ["twice@example.org"]


def test_a_reminder_goes_again_once_the_last_one_is_old(client, db, login_as, visa_workshop):
    from workshop.questions import service
    from workshop.questions.models import FollowUpRequest

    workshop, organizer, visa, _passport = visa_workshop
    city = _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("later@example.org", **{f"q{visa}": "yes", f"q{city}": "Dakar"}))
    login_as(organizer)
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/send", data={})
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/remind", data={})
    request = db.session.scalar(sa.select(FollowUpRequest))
    request.reminded_at = request.reminded_at - service.REMIND_AGAIN_AFTER - timedelta(minutes=1)
    db.session.commit()
    client.post(f"/manage/w/{workshop.slug}/questions/follow-up/remind", data={})
    assert len([row for row in outbox(db) if row.subject.startswith("Reminder")]) == 2


def test_an_export_narrowed_by_a_sensitive_answer_needs_the_sensitive_box(client, db, login_as, visa_workshop):
    """Everyone in a list cut by a sensitive answer gave it: without the box ticked the file
    would carry that answer anyway, and the log would say no sensitive answer left."""
    from workshop.platform.audit.models import AuditEntry
    from workshop.questions import service

    workshop, organizer, visa, _passport = visa_workshop
    access = service.save_question(workshop, {"label": "Wheelchair access?", "kind": "yes_no", "stage": "registration",
                                              "required": False, "sensitive": True, "help_text": "", "choices": [],
                                              "category_ids": [], "condition": ""})
    db.session.commit()
    client.post(f"/w/{workshop.slug}/register", data=form_data("wa@example.org", **{f"q{visa}": "no", f"q{access.id}": "yes"}))
    client.post(f"/w/{workshop.slug}/register", data=form_data("wb@example.org", name="Bo Lind",
                                                               **{f"q{visa}": "no", f"q{access.id}": "no"}))
    login_as(organizer)
    url = f"/manage/w/{workshop.slug}/registrations.csv?answer={access.id}:yes"
    refused = client.post(url, data={"csrf_token": _csrf(client, workshop)})
    assert refused.status_code == 302 and f"answer={access.id}:yes" in refused.headers["Location"]
    assert "tick “with sensitive answers”" in client.get(refused.headers["Location"]).get_data(as_text=True)
    exported = sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "registration.exported")
    assert db.session.scalar(exported) == 0
    body = client.post(url, data={"csrf_token": _csrf(client, workshop), "sensitive": "1"}).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2 and "Wheelchair access?" in rows[0]
    assert db.session.scalar(exported) == 1
    # A filter on an answer that is not sensitive exports as before.
    assert client.post(f"/manage/w/{workshop.slug}/registrations.csv?answer={visa}:no",
                       data={"csrf_token": _csrf(client, workshop)}).status_code == 200


ON_FILE = "on file — leave empty to keep, or enter a new one"


def test_a_sensitive_answer_is_never_prefilled_on_the_follow_up_form_and_an_empty_field_keeps_it(
        client, db, visa_workshop):
    """Whoever holds a forwarded link sees that a passport number is on file, not the number."""
    workshop, organizer, visa, passport = visa_workshop
    city = _q(db, "Consulate city")
    client.post(f"/w/{workshop.slug}/register", data=form_data("s@example.org", **{f"q{visa}": "yes", f"q{city}": "Accra"}))
    from workshop.questions import service
    from workshop.registration.models import Registration

    registration = db.session.scalar(sa.select(Registration).where(Registration.email == "s@example.org"))
    service.save_answers(registration, {passport: "P7654321"})
    db.session.commit()
    link = link_from_outbox(db, "s@example.org")
    page = client.get(f"{link}/follow-up").get_data(as_text=True)
    assert "P7654321" not in page and ON_FILE in page
    # Left empty: the number on file stays, and the required question counts as answered.
    assert client.post(f"{link}/follow-up", data={f"q{passport}": ""}).status_code == 302
    assert _answers(db, "s@example.org")["Passport number"] == "P7654321"
    assert client.post(f"{link}/follow-up", data={f"q{passport}": "X1111111"}).status_code == 302
    assert _answers(db, "s@example.org")["Passport number"] == "X1111111"
    # Removing a required answer asks for one, and keeps the one on file meanwhile.
    refused = client.post(f"{link}/follow-up", data={f"q{passport}": "", f"q{passport}_clear": "y"})
    assert refused.status_code == 422 and "Answer this question." in refused.get_data(as_text=True)
    assert "X1111111" not in refused.get_data(as_text=True)
    assert _answers(db, "s@example.org")["Passport number"] == "X1111111"


def test_a_sensitive_answer_is_never_prefilled_on_the_edit_form_and_can_be_removed(client, db, visa_workshop):
    from workshop.questions import service

    workshop, _organizer, visa, _passport = visa_workshop
    medical = service.save_question(workshop, {
        "label": "Medical condition", "kind": "long_text", "stage": "registration", "required": False,
        "sensitive": True, "help_text": "", "choices": [], "category_ids": [], "condition": ""}).id
    diet = service.save_question(workshop, {
        "label": "Diet", "kind": "single", "stage": "registration", "required": False,
        "sensitive": True, "help_text": "", "choices": ["Vegan", "Halal", "Kosher"], "category_ids": [],
        "condition": ""}).id
    db.session.commit()
    client.post(f"/w/{workshop.slug}/register", data=form_data(
        "m@example.org", **{f"q{visa}": "no", f"q{medical}": "Severe asthma", f"q{diet}": "Kosher"}))
    assert _answers(db, "m@example.org")["Medical condition"] == "Severe asthma"
    link = link_from_outbox(db, "m@example.org")
    page = client.get(f"{link}/edit").get_data(as_text=True)
    assert "Severe asthma" not in page and page.count(ON_FILE) == 2
    assert "Remove the answer on file for “Medical condition”" in page and "Remove the answer on file for “Diet”" in page
    assert 'value="Kosher" checked' not in page and "checked" not in page.split("Diet", 1)[1].split("</fieldset>", 1)[0]
    # Saved with both left empty: both kept.
    assert client.post(f"{link}/edit", data=form_data("m@example.org", **{f"q{visa}": "no"})).status_code == 302
    assert _answers(db, "m@example.org") == {"Need a visa letter?": "no", "Medical condition": "Severe asthma",
                                             "Diet": "Kosher"}
    # A new value replaces; the box removes.
    assert client.post(f"{link}/edit", data=form_data("m@example.org", **{
        f"q{visa}": "no", f"q{medical}": "None now", f"q{diet}_clear": "y"})).status_code == 302
    assert _answers(db, "m@example.org") == {"Need a visa letter?": "no", "Medical condition": "None now"}
    # Nothing on file: no box to remove it, no "on file" hint.
    page = client.get(f"{link}/edit").get_data(as_text=True)
    assert page.count(ON_FILE) == 1 and f'name="q{diet}_clear"' not in page


def test_the_csv_export_with_answers_streams_after_the_requests_session_has_ended(client, db, login_as, visa_workshop):
    """Under a real server the download is sent after its view returned, in a session of its
    own: the answer columns must not lean on the objects of the request's session. (The other
    tests hold an app context around their requests, which keeps that session open.)"""
    import threading

    workshop, organizer, visa, _passport = visa_workshop
    city = _q(db, "Consulate city")
    for n in range(3):
        client.post(f"/w/{workshop.slug}/register", data=form_data(
            f"p{n}@example.org", name=f"Person {n}", **{f"q{visa}": "yes", f"q{city}": f"City {n}"}))
    login_as(organizer)
    db.session.commit()
    slug, outcome = workshop.slug, {}

    def download():  # a thread of its own holds no app context around the request
        try:
            response = client.post(f"/manage/w/{slug}/registrations.csv", data={"csrf_token": ""})
            outcome["body"] = response.data.decode("utf-8-sig")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcome["error"] = repr(error)

    thread = threading.Thread(target=download)
    thread.start()
    thread.join(60)
    assert "error" not in outcome, outcome.get("error")
    rows = list(csv.reader(io.StringIO(outcome["body"])))
    assert rows[0][-3:] == ["Need a visa letter?", "Travel", "Consulate city"]
    assert sorted(row[-3:] for row in rows[1:]) == [["yes", "", f"City {n}"] for n in range(3)]
