"""The participation paragraph of the memo, drafted from the registrations: who took part by
category and country, in counts, never by name ("The workshop brought together 34 participants
from 21 countries, including 18 R2P Focal Points, 6 UN officials and 10 experts.")."""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import ngettext

from workshop.platform.db import db
from workshop.platform.i18n import in_language
from workshop.registration.models import Category, Registration, State


@dataclass(frozen=True)
class Participation:
    participants: int
    countries: int
    by_category: tuple[tuple[str, int], ...]  # (category name, count), largest first


def participation(workshop) -> Participation:
    """Counts of the confirmed participants: the state, category and country of a registration
    outlive the retention period, so the counts stay right after personal data is removed."""
    rows = db.session.execute(
        sa.select(Registration.country, Category.name, Category.position)
        .outerjoin(Category, Category.id == Registration.category_id)
        .where(Registration.workshop_id == workshop.id, Registration.state == State.CONFIRMED)
    ).all()
    countries = {country for country, _, _ in rows if country}
    positions = {name: position for _, name, position in rows if name}
    counts = Counter(name for _, name, _ in rows if name)
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], positions[pair[0]], pair[0]))
    return Participation(len(rows), len(countries), tuple(ordered))


def _category_phrase(name: str, count: int) -> str:
    """The default categories read as words ("6 UN officials"); another is named as typed."""
    if name == "R2P Focal Point":
        return ngettext("%(num)d R2P Focal Point", "%(num)d R2P Focal Points", count)
    if name == "National representative":
        return ngettext("%(num)d national representative", "%(num)d national representatives", count)
    if name == "UN mission":
        return ngettext("%(num)d member of a permanent mission to the United Nations",
                        "%(num)d members of permanent missions to the United Nations", count)
    if name == "UN official":
        return ngettext("%(num)d UN official", "%(num)d UN officials", count)
    if name == "Expert/specialist":
        return ngettext("%(num)d expert", "%(num)d experts", count)
    return ngettext("%(num)d participant in the category %(category)s",
                    "%(num)d participants in the category %(category)s", count, category=name)


def _list_locale(language: str) -> str:
    # UN documents write English lists without the serial comma ("A, B and C").
    return "en_GB" if language == "en" else language


def paragraph(counts: Participation, language: str = "en") -> str:
    """The drafted sentence in ``language``; empty when nobody is confirmed."""
    if not counts.participants:
        return ""
    with in_language(language):
        people = ngettext("%(num)d participant", "%(num)d participants", counts.participants)
        categories = format_list([_category_phrase(name, n) for name, n in counts.by_category],
                                 locale=_list_locale(language)) if counts.by_category else ""
        if counts.countries:
            places = ngettext("%(num)d country", "%(num)d countries", counts.countries)
            if categories:
                return _("The workshop brought together %(participants)s from %(countries)s, including "
                         "%(categories)s.", participants=people, countries=places, categories=categories)
            return _("The workshop brought together %(participants)s from %(countries)s.",
                     participants=people, countries=places)
        if categories:
            return _("The workshop brought together %(participants)s, including %(categories)s.",
                     participants=people, categories=categories)
        return _("The workshop brought together %(participants)s.", participants=people)
