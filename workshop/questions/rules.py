"""When a question is asked, and what its answer may be: pure functions of plain values, so the
rules are tested without a request.

A question is asked of a registrant when it applies to their category (no categories: to
everyone) and its condition holds (no condition: always). A condition names another question
and one of its answers; for a multiple-choice question "holds" means that choice was ticked. A
question whose condition points at a question that is not asked is not asked either, so a chain
of conditions ends as soon as one link fails.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from workshop.platform.errors import N_, UserError

YES, NO = "yes", "no"
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)
MAX_NUMBER = Decimal("1000000000000")
MAX_DECIMALS = 12


class AnswerError(UserError):
    """An answer (or a question's set-up) refused, in words."""


def is_empty(value) -> bool:
    return value is None or value == "" or value == []


def condition_holds(expected: str, answer) -> bool:
    if isinstance(answer, list):
        return expected in answer
    return answer == expected


def asked(question, answers: dict, category_id: int | None, questions_by_id: dict, _seen=None) -> bool:
    """Whether ``question`` is asked of a registrant in ``category_id`` who gave ``answers``
    (``{question_id: value}``)."""
    if question.category_ids and category_id not in question.category_ids:
        return False
    parent_id = question.condition_question_id
    if parent_id is None:
        return True
    parent = questions_by_id.get(parent_id)
    seen = _seen or set()
    if parent is None or parent_id in seen:
        # The question it depended on is gone (or the chain loops): show it, rather than lose it.
        return parent is None
    if not asked(parent, answers, category_id, questions_by_id, seen | {question.id}):
        return False
    return condition_holds(question.condition_value, answers.get(parent_id))


def clean(kind: str, raw, choices=(), *, valid_countries=()):
    """The stored form of a submitted answer (a string or a list of strings; "" for none), or
    AnswerError in words."""
    if kind == "multiple":
        values = [v for v in (raw or []) if v != ""]
        for value in values:
            if value not in choices:
                raise AnswerError(N_("“%(value)s” is not one of the choices."), value=value)
        return [c for c in choices if c in values]  # the builder's order, each once
    value = (raw or "").strip() if isinstance(raw, str) else ""
    if value == "":
        return ""
    if kind == "single" and value not in choices:
        raise AnswerError(N_("“%(value)s” is not one of the choices."), value=value)
    if kind == "yes_no" and value not in (YES, NO):
        raise AnswerError(N_("Answer yes or no."))
    if kind == "country" and value not in valid_countries:
        raise AnswerError(N_("Choose a country from the list."))
    if kind == "number":
        try:
            number = Decimal(value.replace(",", ".") if value.count(",") == 1 and "." not in value else value)
        except InvalidOperation:
            raise AnswerError(N_("Enter a number, like 3 or 2.5.")) from None
        number = number.normalize()
        # A tiny number written with an exponent ("1e-999990", nine characters) would be stored
        # as its million digits: as for the size, so for the decimals, a person's answer needs few.
        if not number.is_finite() or abs(number) >= MAX_NUMBER or number.as_tuple().exponent < -MAX_DECIMALS:
            raise AnswerError(N_("Enter a number, like 3 or 2.5."))
        return format(number, "f")
    if kind == "date":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise AnswerError(N_("Enter a date as year-month-day, like 2027-03-14.")) from None
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise AnswerError(N_("Enter a date between %(first)s and %(last)s."),
                              first=EARLIEST_DATE.isoformat(), last=LATEST_DATE.isoformat())
        return day.isoformat()
    return value


def check_condition(question_id: int | None, condition_question_id: int | None, questions_by_id: dict) -> None:
    """A condition must point at another existing question that does not, through its own
    conditions, depend on this one."""
    seen = {question_id}
    current = condition_question_id
    while current is not None:
        if current in seen:
            raise AnswerError(N_("A question cannot depend on itself, even through another question."))
        seen.add(current)
        parent = questions_by_id.get(current)
        current = parent.condition_question_id if parent is not None else None
