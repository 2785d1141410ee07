"""The question builder's form, and the answers form built from a workshop's questions."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from workshop.people.countries import country_choices
from workshop.platform.forms import SafeForm, choices, kept_on_file, on_file_hint, remove_on_file_field
from workshop.questions import rules
from workshop.questions.models import Kind, Stage

KIND_LABELS = {
    Kind.SHORT_TEXT: _l("Short text"), Kind.LONG_TEXT: _l("Long text"),
    Kind.SINGLE: _l("Single choice"), Kind.MULTIPLE: _l("Multiple choice"),
    Kind.YES_NO: _l("Yes or no"), Kind.NUMBER: _l("Number"), Kind.DATE: _l("Date"),
    Kind.COUNTRY: _l("Country"),
}
STAGE_LABELS = {Stage.REGISTRATION: _l("Registration form"),
                Stage.FOLLOW_UP: _l("Follow-up form (confirmed participants, later)")}
MAX_CHOICES = 50
MAX_SHORT, MAX_LONG = 500, 5000


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def choice_lines(text: str) -> list[str]:
    """One choice a line, blank lines dropped, each once."""
    seen, result = set(), []
    for line in (text or "").split("\n"):
        line = line.strip()
        if line and line not in seen:
            seen.add(line)
            result.append(line)
    return result


class QuestionForm(SafeForm):
    label = StringField(_l("Question"), validators=[DataRequired(_l("Write the question.")), Length(max=300)])
    kind = SelectField(_l("Type of answer"), choices=choices(list(KIND_LABELS.items())),
                       validators=[DataRequired(_l("Choose a type of answer."))])
    help_text = TextAreaField(_l("Help text"), validators=[Optional(), Length(max=2000)],
                              description=_l("Shown under the question."))
    choices_text = TextAreaField(_l("Choices"), validators=[Optional(), Length(max=10000)],
                                 description=_l("For single and multiple choice: one choice a line. A choice you remove stays in the answers already given."))
    stage = RadioField(_l("Asked on"), choices=choices(list(STAGE_LABELS.items())), default=Stage.REGISTRATION.value,
                       validators=[DataRequired(_l("Choose where the question is asked."))])
    required = BooleanField(_l("An answer is required"))
    sensitive = BooleanField(_l("Sensitive (organizers only; never in emails; in exports only when chosen; removed by the retention purge)"))
    category_ids = CheckboxesField(_l("Asked of these categories"), coerce=str, validate_choice=False,
                                   description=_l("None ticked: everyone."))
    condition = SelectField(_l("Show only when"), validators=[Optional()], validate_choice=False)
    submit = SubmitField(_l("Save the question"))

    def __init__(self, *args, categories=(), conditions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category_ids.choices = choices([(str(c.id), c.name) for c in categories])
        self.condition.choices = choices([("", _l("— always —"))] + list(conditions))
        self._category_values = {str(c.id) for c in categories}
        self._condition_values = {value for value, _label in conditions}

    def validate_choices_text(self, field):
        if self.kind.data in (Kind.SINGLE, Kind.MULTIPLE):
            lines = choice_lines(field.data)
            if len(lines) < 2:
                raise ValidationError(_("Give at least two choices, one a line."))
            if len(lines) > MAX_CHOICES:
                raise ValidationError(_("At most %(n)d choices.", n=MAX_CHOICES))
            if any(len(line) > 300 for line in lines):
                raise ValidationError(_("A choice can be at most 300 characters long."))

    def validate_category_ids(self, field):
        if any(value not in self._category_values for value in field.data or []):
            raise ValidationError(_("Choose categories from the list."))

    def validate_condition(self, field):
        if field.data and field.data not in self._condition_values:
            raise ValidationError(_("Choose a condition from the list."))


def _yes_no():
    return choices([(rules.YES, _l("Yes")), (rules.NO, _l("No"))])


def _field_for(question, previous):
    """The form field asking ``question``; ``previous`` is the registrant's stored answer, whose
    choices stay offered to them even when the builder has since removed them."""
    kind = question.kind
    common = {"label": question.label, "description": question.help_text or "", "validators": [Optional()]}
    if kind == Kind.SHORT_TEXT:
        return StringField(**{**common, "validators": [Optional(), Length(max=MAX_SHORT)]})
    if kind == Kind.LONG_TEXT:
        return TextAreaField(**{**common, "validators": [Optional(), Length(max=MAX_LONG)]})
    if kind == Kind.NUMBER:
        return StringField(**common, render_kw={"inputmode": "decimal"})
    if kind == Kind.DATE:
        return StringField(**common, render_kw={"type": "date", "min": rules.EARLIEST_DATE.isoformat(),
                                                "max": rules.LATEST_DATE.isoformat()})
    if kind == Kind.YES_NO:
        return RadioField(**common, choices=_yes_no(), validate_choice=False)
    if kind == Kind.COUNTRY:
        return SelectField(**common, choices=choices([("", _l("— choose —"))] + country_choices()), validate_choice=False)
    offered = offered_choices(question, previous)
    if kind == Kind.SINGLE:
        return RadioField(**common, choices=choices([(c, c) for c in offered]), validate_choice=False)
    return CheckboxesField(**common, choices=choices([(c, c) for c in offered]), validate_choice=False)


def offered_choices(question, previous) -> list[str]:
    kept = previous if isinstance(previous, list) else [previous] if previous else []
    return list(question.choices or []) + [value for value in kept if value not in (question.choices or [])]


class AnswersForm(SafeForm):
    """Built per workshop by ``answers_form``: one field ``q<id>`` a question.

    A sensitive question that has an answer on file (a passport number, a medical condition)
    is never filled in with it: the link to these forms travels by mail and gets forwarded, and
    whoever holds it would read the answer. Its field says an answer is on file; left empty,
    the stored answer stays; a box ``q<id>_clear`` removes it (``platform.forms``' answers on
    file, as the registration's own needs fields)."""

    questions: list = []
    all_questions: dict = {}
    previous: dict = {}
    on_file: set = set()  # ids of the sensitive questions whose answer is kept, not shown

    def field_of(self, question):
        return self[f"q{question.id}"]

    def clear_field_of(self, question):
        return self[f"q{question.id}_clear"] if question.id in self.on_file else None

    def _kept(self, question, value):
        """A sensitive answer on file, kept when its field came back empty and not cleared."""
        if question.id not in self.on_file:
            return value
        return kept_on_file(value, self.previous.get(question.id), removed=self.clear_field_of(question).data,
                            empty=rules.is_empty)

    def validate_answers(self, category_id) -> bool:
        """Each answer checked for its type; a required one missing only when it is asked.
        ``self.cleaned`` holds the answers to store, ``None`` for questions not asked."""
        ok = self.validate()
        raw = {}
        for question in self.questions:
            field = self.field_of(question)
            if field.errors:
                continue
            try:
                # A sensitive answer's removed choice is not offered again: it would show it.
                offered = offered_choices(question, None if question.sensitive else self.previous.get(question.id))
                raw[question.id] = self._kept(question, rules.clean(question.kind, field.data, offered,
                                                                    valid_countries=_countries()))
            except rules.AnswerError as error:
                field.errors = list(field.errors) + [error.translated()]
                ok = False
        known = {**{qid: value for qid, value in self.previous.items()}, **raw}
        self.cleaned = {}
        for question in self.questions:
            field = self.field_of(question)
            if not rules.asked(question, known, category_id, self.all_questions):
                self.cleaned[question.id] = None
                continue
            value = raw.get(question.id)
            if question.required and not field.errors and rules.is_empty(value):
                field.errors = list(field.errors) + [_("Answer this question.")]
                ok = False
            self.cleaned[question.id] = value
        return ok


def _countries():
    return {code for code, _name in country_choices()}


def answers_form(questions, all_questions, previous: dict, *, formdata, csrf: bool, prefix: str = ""):
    on_file = {q.id for q in questions if q.sensitive and not rules.is_empty(previous.get(q.id))}
    fields = {f"q{q.id}": _field_for(q, None if q.sensitive else previous.get(q.id)) for q in questions}
    for q in questions:
        if q.id in on_file:
            fields[f"q{q.id}"].kwargs["description"] = on_file_hint(q.help_text)
            fields[f"q{q.id}_clear"] = remove_on_file_field(q.label)
    form_class = type("WorkshopAnswersForm", (AnswersForm,), fields)
    data = {f"q{q.id}": previous[q.id] for q in questions if q.id in previous and q.id not in on_file}
    # With its own CSRF token the form follows the app's setting; inside the registration form it
    # has none (that form's token covers the page).
    form = form_class(formdata=formdata, data=data, prefix=prefix, **({} if csrf else {"meta": {"csrf": False}}))
    form.questions = list(questions)
    form.all_questions = all_questions
    form.previous = previous
    form.on_file = on_file
    return form
