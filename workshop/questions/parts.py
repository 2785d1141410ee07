"""What questions add to the registration feature's pages, through ``registry.contribute``:
the fields on the registration and edit forms, the answers on the registrant's and the
organizer's pages, the answer filters of the list, and one export column a question."""

from dataclasses import dataclass

from flask import render_template, request
from markupsafe import Markup

from workshop.platform.registry import contributions
from workshop.questions import display, service
from workshop.questions.forms import answers_form
from workshop.questions.models import COUNTABLE, Kind, Stage


class FormPart:
    """The registration-stage questions inside the registration form (or its edit form)."""

    def __init__(self, workshop, registration=None):
        questions = service.questions_of(workshop)
        self.questions = [q for q in questions if q.stage == Stage.REGISTRATION]
        previous = service.answers_of(registration) if registration is not None else {}
        formdata = request.form if request.method == "POST" else None
        # The registration form carries the CSRF token for the whole page.
        self.form = answers_form(self.questions, service.by_id(questions), previous, formdata=formdata, csrf=False)

    def validate(self, category_id) -> bool:
        return self.form.validate_answers(category_id)

    @property
    def errors(self) -> bool:
        return any(self.form.field_of(q).errors for q in self.questions)

    def save(self, registration) -> None:
        service.save_answers(registration, self.form.cleaned)

    def render(self) -> Markup:
        return Markup(render_template("questions/_fields.html", form=self.form, questions=self.questions,
                                      all_questions=self.form.all_questions))


def registration_form(workshop, registration=None):
    part = FormPart(workshop, registration)
    return part if part.questions else None


def _answered(registration, *, organizer: bool):
    questions = service.questions_of(registration.workshop)
    answers = service.answers_of(registration)
    rows = [(q, display.words(q, answers[q.id])) for q in questions if q.id in answers
            and (organizer or not q.sensitive)]
    return questions, rows


def registrant_page(registration, token):
    """The registrant's own answers, their follow-up form and their letter, on their page."""
    questions, rows = _answered(registration, organizer=False)
    if not questions:
        return None
    follow_up = registration.state == "confirmed" and bool(service.follow_up_questions_for(registration, questions))
    return Markup(render_template("questions/_registrant.html", registration=registration, token=token,
                                  rows=rows, follow_up=follow_up,
                                  sensitive_answered=any(q.sensitive and q.id in service.answers_of(registration)
                                                         for q in questions),
                                  extras=contributions("registrant answers", registration, token)))


def registration_detail(registration):
    _questions, rows = _answered(registration, organizer=True)
    if not rows:
        return None
    return Markup(render_template("questions/_detail.html", rows=rows))


@dataclass
class Filter:
    html: Markup
    registration_ids: set | None  # None: no answer filter chosen
    # The answer chosen is to a sensitive question: a list cut by it tells that answer.
    sensitive: bool = False


def registration_filter(workshop, args):
    """``?answer=<question id>:<value>``: only those who gave that answer."""
    questions = [q for q in service.questions_of(workshop) if q.kind in COUNTABLE and q.kind != Kind.COUNTRY]
    if not questions:
        return None
    options = service.condition_options(workshop)
    chosen = args.get("answer", "") if isinstance(args.get("answer", ""), str) else ""
    ids = None
    sensitive = False
    if chosen and chosen in {value for value, _label in options}:
        head, _sep, value = chosen.partition(":")
        ids = service.registrations_answering(workshop, int(head), value)
        sensitive = any(q.sensitive for q in questions if q.id == int(head))
    html = Markup(render_template("questions/_filter.html", options=options, chosen=chosen))
    return Filter(html, ids, sensitive)


def export_columns(workshop, include_sensitive: bool):
    """``(title, value of a registration)`` a question; sensitive ones only when chosen."""
    questions = [q for q in service.questions_of(workshop) if include_sensitive or not q.sensitive]
    if not questions:
        return None
    # A CSV export streams after the request's session has ended (a download is sent after its
    # view returned): the getters keep plain values, never the objects of that session, and
    # read the answers in the session that reads the rows.
    workshop_id = workshop.id
    asked = {question.id: _Asked(question.kind) for question in questions}
    cache: dict = {}

    def getter(question_id):
        def get(registration):
            if not cache:
                cache[None] = True  # read once, even for a list whose registrants answered nothing
                cache.update(service.answers_for_workshop(workshop_id, asked))
            value = cache.get(registration.id, {}).get(question_id)
            return display.plain(asked[question_id], value) if value is not None else ""
        return get

    return [(question.label, getter(question.id)) for question in questions]


@dataclass(frozen=True)
class _Asked:
    """What an export cell needs of its question (display.plain reads its kind)."""

    kind: str
