"""The picture of who is coming, at the top of the organizer's registration page: registrations
over time against capacity, by category, by UN regional group, and the answers to each choice
question. The figures come from here; ``charts`` draws them."""

from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from workshop.people.countries import country_name
from workshop.platform.db import db
from workshop.platform.templating import format_day
from workshop.questions import charts, display, regions, service
from workshop.questions.models import COUNTABLE, Answer, Kind, Question
from workshop.registration import dashboard as registration_dashboard
from workshop.registration import service as registrations
from workshop.registration.models import ACTIVE_STATES, Registration


def over_time(workshop) -> list[tuple[str, int]]:
    """Active registrations, a running total by day of registration (workshop's calendar)."""
    zone = ZoneInfo(workshop.timezone)
    days = sorted(moment.astimezone(zone).date() for moment in db.session.scalars(
        sa.select(Registration.created_at).where(Registration.workshop_id == workshop.id,
                                                 Registration.state.in_(ACTIVE_STATES))))
    if not days:
        return []
    counts = Counter(days)
    total, points, day = 0, [], days[0]
    while day <= days[-1]:
        total += counts.get(day, 0)
        points.append((day, total))
        day += timedelta(days=1)
    return [(format_day(day), total) for day, total in points]


def by_region(workshop) -> list[tuple[str, int, str]]:
    """``(group, count, its countries with counts)`` for the active registrations."""
    countries = Counter(db.session.scalars(sa.select(Registration.country).where(
        Registration.workshop_id == workshop.id, Registration.state.in_(ACTIVE_STATES))))
    groups: dict[str, Counter] = {}
    for code, n in countries.items():
        groups.setdefault(regions.group_of(code), Counter())[code] += n
    rows = []
    for group in regions.ORDER:
        if group in groups:
            members = ", ".join(f"{country_name(code) or '—'} ({n})" for code, n in
                                sorted(groups[group].items(), key=lambda pair: (-pair[1], pair[0])))
            rows.append((str(regions.GROUP_NAMES[group]), sum(groups[group].values()), members))
    return rows


def by_answer(workshop) -> list[tuple[Question, list[tuple[str, int]]]]:
    """For each choice, yes/no and country question (not sensitive): how many gave each answer,
    a choice removed since then included."""
    questions = [q for q in service.questions_of(workshop) if q.kind in COUNTABLE and not q.sensitive]
    if not questions:
        return []
    values = db.session.execute(sa.select(Answer.question_id, Answer.value).join(
        Registration, Registration.id == Answer.registration_id).where(
        Answer.question_id.in_([q.id for q in questions]), Registration.state.in_(ACTIVE_STATES)))
    counted: dict[int, Counter] = {q.id: Counter() for q in questions}
    for question_id, value in values:
        for one in value if isinstance(value, list) else [value]:
            counted[question_id][one] += 1
    result = []
    for question in questions:
        order = (["yes", "no"] if question.kind == Kind.YES_NO else list(question.choices or [])
                 if question.kind != Kind.COUNTRY else [])
        seen = order + sorted(v for v in counted[question.id] if v not in order)
        rows = [(display.words(question, v), counted[question.id].get(v, 0)) for v in seen
                if question.kind != Kind.COUNTRY or counted[question.id].get(v)]
        result.append((question, rows))
    return result


def dashboard(workshop):
    settings = registrations.settings_for(workshop)
    timeline = over_time(workshop)
    categories = registration_dashboard.counts_by_category(workshop)
    region_rows = by_region(workshop)
    answers = by_answer(workshop)
    return Markup(render_template(
        "questions/_picture.html", workshop=workshop, capacity=settings.capacity,
        timeline=timeline, timeline_svg=charts.line_chart(timeline, settings.capacity, _("Capacity")),
        categories=categories, categories_svg=charts.bar_chart(categories),
        regions=region_rows, regions_svg=charts.bar_chart([(name, n) for name, n, _m in region_rows]),
        answers=[(q, rows, charts.bar_chart(rows)) for q, rows in answers],
        questions_url=url_for("questions.manage", slug=workshop.slug),
        letters_url=url_for("visas.manage", slug=workshop.slug)))
