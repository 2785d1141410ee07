"""An answer in words, in the reader's language: yes and no translated, countries named, dates
written out, several choices joined. Used by every page and the exports."""

from datetime import date

from flask_babel import gettext as _

from workshop.people.countries import country_name
from workshop.platform.templating import format_day
from workshop.questions import rules
from workshop.questions.models import Kind


def words(question, value) -> str:
    if rules.is_empty(value):
        return ""
    if question.kind == Kind.YES_NO:
        return _("yes") if value == rules.YES else _("no") if value == rules.NO else str(value)
    if question.kind == Kind.COUNTRY:
        return country_name(value)
    if question.kind == Kind.DATE:
        try:
            return format_day(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def plain(question, value):
    """The value an export cell holds: a real date for a date, words for the rest."""
    if question.kind == Kind.DATE and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return words(question, value)
