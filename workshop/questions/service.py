"""Questions and answers: the builder's operations, saving answers, the follow-up form's mail,
and what the retention purge removes. Adds and flushes; the request commits."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.errors import N_
from workshop.platform.i18n import in_language
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.transaction import lock_workshop
from workshop.platform.types import utcnow
from workshop.questions import rules
from workshop.questions.models import COUNTABLE, Answer, FollowUpRequest, Kind, Question, Stage
from workshop.registration.models import Registration, State
from workshop.registration.notify import registration_link


def questions_of(workshop, stage: str | None = None) -> list[Question]:
    query = sa.select(Question).where(Question.workshop_id == workshop.id)
    if stage:
        query = query.where(Question.stage == stage)
    # The registration form's questions first, then the follow-up form's, each in its order.
    rows = db.session.scalars(query.order_by(Question.position, Question.id))
    return sorted(rows, key=lambda q: q.stage != Stage.REGISTRATION)


def by_id(questions) -> dict[int, Question]:
    return {q.id: q for q in questions}


def question_of(workshop, question_id) -> Question | None:
    question = db.session.get(Question, question_id) if isinstance(question_id, int) else None
    return question if question is not None and question.workshop_id == workshop.id else None


def condition_options(workshop, exclude: Question | None = None) -> list[tuple[str, str]]:
    """Every answer another question can depend on, as ``("<id>:<value>", words)``."""
    options = []
    for question in questions_of(workshop):
        if exclude is not None and question.id == exclude.id or question.kind not in COUNTABLE \
                or question.kind == Kind.COUNTRY:
            continue
        values = [rules.YES, rules.NO] if question.kind == Kind.YES_NO else list(question.choices or [])
        for value in values:
            shown = {rules.YES: _("yes"), rules.NO: _("no")}.get(value, value) if question.kind == Kind.YES_NO else value
            options.append((f"{question.id}:{value}",
                            _("“%(question)s” is answered “%(answer)s”", question=question.label, answer=shown)))
    return options


def _parse_condition(workshop, condition: str, question: Question | None) -> tuple[int | None, str]:
    if not condition:
        return None, ""
    head, _sep, value = condition.partition(":")
    parent = question_of(workshop, int(head)) if head.isdigit() and len(head) < 10 else None
    if parent is None:
        raise rules.AnswerError(N_("Choose a condition from the list."))
    rules.check_condition(question.id if question else None, parent.id, by_id(questions_of(workshop)))
    return parent.id, value


def save_question(workshop, values: dict, *, question: Question | None = None, by=None) -> Question:
    """Add a question (``question`` None) or change one; answers already given stay as they are."""
    parent_id, parent_value = _parse_condition(workshop, values.pop("condition", ""), question)
    created = question is None
    if created:
        last = db.session.scalar(sa.select(sa.func.max(Question.position)).where(Question.workshop_id == workshop.id))
        question = Question(workshop_id=workshop.id, position=(last or 0) + 1)
        db.session.add(question)
    if question.kind and question.kind != values["kind"] and has_answers(question):
        raise rules.AnswerError(N_("This question has answers: its type of answer can no longer change. Add a new question instead."))
    for name, value in values.items():
        setattr(question, name, value)
    question.condition_question_id, question.condition_value = parent_id, parent_value
    db.session.flush()
    audit.record("question.added" if created else "question.changed", workshop=workshop, actor=by,
                 target=question, title=question.label)
    db.session.flush()
    return question


def has_answers(question: Question) -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(Answer.id)).where(Answer.question_id == question.id)))


def delete_question(question: Question, *, by=None) -> None:
    audit.record("question.deleted", workshop=question.workshop_id, actor=by, target=question, title=question.label)
    db.session.delete(question)
    db.session.flush()


def move_question(question: Question, step: int) -> None:
    """Up (-1) or down (+1) among the questions of its form; renumbers the form's order."""
    siblings = [q for q in questions_of_id(question.workshop_id) if q.stage == question.stage]
    index = siblings.index(question)
    other = index + step
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    db.session.flush()


def reorder(workshop, stage: str, ordered_ids: list[int]) -> None:
    """The order a drag and drop left, by id; ids that are not this form's are ignored and the
    questions left out keep their place after the named ones."""
    siblings = questions_of(workshop, stage)
    rank = {question_id: place for place, question_id in enumerate(ordered_ids)}
    siblings.sort(key=lambda q: (rank.get(q.id, len(rank)), q.position))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    db.session.flush()


def questions_of_id(workshop_id: int) -> list[Question]:
    return list(db.session.scalars(sa.select(Question).where(Question.workshop_id == workshop_id)
                                   .order_by(Question.position, Question.id)))


# Answers -----------------------------------------------------------------------------------


def answers_of(registration: Registration) -> dict[int, object]:
    return {a.question_id: a.value for a in db.session.scalars(
        sa.select(Answer).where(Answer.registration_id == registration.id))}


def answers_for(registration_ids) -> dict[int, dict[int, object]]:
    """``{registration_id: {question_id: value}}`` for many registrations in one query."""
    result: dict[int, dict[int, object]] = {}
    ids = list(registration_ids)
    if not ids:
        return result
    for answer in db.session.scalars(sa.select(Answer).where(Answer.registration_id.in_(ids))):
        result.setdefault(answer.registration_id, {})[answer.question_id] = answer.value
    return result


def save_answers(registration: Registration, cleaned: dict[int, object]) -> None:
    """Store the checked answers (``None`` or empty: the question was not asked or not
    answered, and any earlier answer goes)."""
    stored = {a.question_id: a for a in db.session.scalars(
        sa.select(Answer).where(Answer.registration_id == registration.id, Answer.question_id.in_(list(cleaned))))}
    for question_id, value in cleaned.items():
        existing = stored.get(question_id)
        if rules.is_empty(value):
            if existing is not None:
                db.session.delete(existing)
        elif existing is None:
            db.session.add(Answer(registration_id=registration.id, question_id=question_id, value=value))
        elif existing.value != value:
            existing.value = value
    db.session.flush()


def answered_follow_up(registration: Registration) -> None:
    request = db.session.scalar(sa.select(FollowUpRequest).where(FollowUpRequest.registration_id == registration.id))
    if request is not None and request.answered_at is None:
        request.answered_at = utcnow()
        db.session.flush()


# The follow-up form -------------------------------------------------------------------------


def follow_up_questions_for(registration: Registration, questions: list[Question] | None = None) -> list[Question]:
    """The follow-up questions this registrant is asked: those whose condition rests on an
    earlier answer (the registration form's) only when that answer holds; a condition on
    another follow-up question is settled on the form itself."""
    questions = questions if questions is not None else questions_of(registration.workshop)
    everything = by_id(questions)
    answers = answers_of(registration)
    shown = []
    for question in questions:
        if question.stage != Stage.FOLLOW_UP:
            continue
        parent = everything.get(question.condition_question_id)
        if parent is not None and parent.stage == Stage.FOLLOW_UP:
            shown.append(question)
        elif rules.asked(question, answers, registration.category_id, everything):
            shown.append(question)
    return shown


def follow_up_audience(workshop) -> list[Registration]:
    return list(db.session.scalars(sa.select(Registration).where(
        Registration.workshop_id == workshop.id, Registration.state == State.CONFIRMED,
        Registration.purged_at.is_(None)).order_by(Registration.name)))


def _mail_follow_up(registration: Registration, *, reminder: bool) -> None:
    with in_language(registration.language):
        workshop = registration.workshop
        subject = (_("Reminder: a few more questions about %(title)s", title=workshop.title) if reminder
                   else _("A few more questions about %(title)s", title=workshop.title))
        queue_mail(registration.email, "follow_up_form", subject=subject,
                   context={"registration": registration, "workshop": workshop, "reminder": reminder,
                            "link": registration_link(registration)},
                   reply_to=workshop.contact_email or None, workshop_id=workshop.id)


def send_follow_up(workshop, *, by=None) -> int:
    """Mail the follow-up form to every confirmed participant not yet sent it."""
    if not questions_of(workshop, Stage.FOLLOW_UP):
        raise rules.AnswerError(N_("Add follow-up questions first."))
    # Two clicks on "send" at once would both find nobody sent it yet: the second then failed on
    # the one-request-a-registration rule. Under the lock the second finds the first's rows.
    lock_workshop(workshop.id)
    asked = set(db.session.scalars(sa.select(FollowUpRequest.registration_id).join(Registration).where(
        Registration.workshop_id == workshop.id)))
    count = 0
    questions = questions_of(workshop)
    for registration in follow_up_audience(workshop):
        if registration.id in asked or not follow_up_questions_for(registration, questions):
            continue
        db.session.add(FollowUpRequest(registration_id=registration.id))
        _mail_follow_up(registration, reminder=False)
        count += 1
    audit.record("questions.follow_up_sent", workshop=workshop, actor=by, target=("workshop", workshop.id),
                 registrations=count)
    db.session.flush()
    return count


# A reminder is meant for someone who let the form wait for days, not minutes.
REMIND_AGAIN_AFTER = timedelta(hours=12)


def remind_follow_up(workshop, *, by=None) -> int:
    """Remind those sent the follow-up form who have not answered it and still hold a seat, and
    were not reminded within ``REMIND_AGAIN_AFTER``: the button pressed twice (or by
    two organizers) mails nobody twice."""
    lock_workshop(workshop.id)
    recent = utcnow() - REMIND_AGAIN_AFTER
    rows = db.session.scalars(sa.select(FollowUpRequest).join(Registration).where(
        Registration.workshop_id == workshop.id, Registration.state == State.CONFIRMED,
        Registration.purged_at.is_(None), FollowUpRequest.answered_at.is_(None),
        sa.or_(FollowUpRequest.reminded_at.is_(None), FollowUpRequest.reminded_at < recent)))
    count = 0
    for request in rows:
        request.reminded_at = utcnow()
        _mail_follow_up(db.session.get(Registration, request.registration_id), reminder=True)
        count += 1
    audit.record("questions.follow_up_reminded", workshop=workshop, actor=by, target=("workshop", workshop.id),
                 registrations=count)
    db.session.flush()
    return count


def follow_up_counts(workshop) -> tuple[int, int]:
    """(sent, answered) follow-up forms."""
    rows = db.session.execute(sa.select(FollowUpRequest.answered_at).join(Registration).where(
        Registration.workshop_id == workshop.id)).all()
    return len(rows), sum(1 for (answered,) in rows if answered is not None)


# The kinds whose answers are the participant's own words, not one of a fixed list.
FREE_TEXT = (Kind.SHORT_TEXT, Kind.LONG_TEXT, Kind.NUMBER, Kind.DATE)


# Retention --------------------------------------------------------------------------------


def purge_answers(*, registration: Registration) -> None:
    """The retention purge: sensitive answers and every free-text answer go; the answers that
    only count (a choice, yes or no, a country) stay for the figures, as category and country do."""
    doomed = sa.select(Question.id).where(sa.or_(Question.sensitive.is_(True), Question.kind.in_(FREE_TEXT)))
    db.session.execute(sa.delete(Answer).where(Answer.registration_id == registration.id,
                                               Answer.question_id.in_(doomed))
                       .execution_options(synchronize_session=False))
    db.session.flush()


def sensitive_texts(workshop) -> list[str]:
    """The sensitive free-text answers given for this workshop: personal data the memo must
    not repeat.

    Only what participants wrote themselves: a sensitive choice is one of the builder's own
    words ("wheelchair", "Christian"), and flagging it would tell a rapporteur, who may not see
    sensitive answers, which of them somebody picked (and flag every memo that uses the word)."""
    rows = db.session.execute(sa.select(Answer.value).join(Question).join(Registration, Registration.id == Answer.registration_id)
                              .where(Question.workshop_id == workshop.id, Question.sensitive.is_(True),
                                     Question.kind.in_(FREE_TEXT), Registration.purged_at.is_(None)))
    texts = []
    for (value,) in rows:
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and len(text.strip()) >= 3:
                texts.append(text.strip())
    return sorted(set(texts))


def registrations_answering(workshop, question_id: int, value: str) -> set[int]:
    rows = db.session.execute(sa.select(Answer.registration_id, Answer.value).join(Question).where(
        Question.workshop_id == workshop.id, Answer.question_id == question_id))
    return {rid for rid, answer in rows if rules.condition_holds(value, answer)}


def answers_for_workshop(workshop_id: int, question_ids) -> dict[int, dict[int, object]]:
    """``{registration id: {question id: value}}`` for those questions, read as plain rows (an
    export of thousands of registrations holds the values, not an object for each answer)."""
    result: dict[int, dict[int, object]] = {}
    rows = db.session.execute(sa.select(Answer.registration_id, Answer.question_id, Answer.value).join(Question).where(
        Question.workshop_id == workshop_id, Answer.question_id.in_(list(question_ids))))
    for registration_id, question_id, value in rows:
        result.setdefault(registration_id, {})[question_id] = value
    return result
