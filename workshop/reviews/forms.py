from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from workshop.agenda.forms import LocalDateTimeField
from workshop.platform.forms import SafeForm, choices
from workshop.platform.routing import database_int


class ReviewersField(SelectMultipleField):
    """Confirmed participants by registration id, as tick boxes; a forged id is an error in words."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {choice.value for choice in self.choices}
        if any(value not in known for value in (self.data or ())):
            raise ValueError(_l("Choose participants from the list."))


class OpenReviewForm(SafeForm):
    deadline = LocalDateTimeField(_l("Deadline"), validators=[InputRequired(_l("Enter the deadline."))],
                                  description=_l("In the workshop's time zone. At the deadline the draft counts "
                                                 "as accepted unless a participant objected."))
    reviewers = ReviewersField(_l("Reviewers"), coerce=lambda v: database_int(v), validators=[Optional()],
                               description=_l("Leave every box empty to ask all confirmed participants."))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewers.choices = choices([(person.id, f"{person.name} · {person.organization}"
                                           if person.organization else person.name) for person in people])


class CommentForm(SafeForm):
    text = TextAreaField(_l("Your comment"), validators=[DataRequired(_l("Write your comment first.")),
                                                          Length(max=4000)])


class ObjectionForm(SafeForm):
    reason = TextAreaField(_l("What do you object to?"),
                           validators=[DataRequired(_l("Say what you object to, so the rapporteurs can address it.")),
                                       Length(max=4000)],
                           description=_l("An objection stops the draft from counting as accepted at the deadline."))


class ResolveForm(SafeForm):
    decision = RadioField(_l("Resolution"), validators=[InputRequired(_l("Choose taken or declined."))])
    reason = TextAreaField(_l("Reason or note"), validators=[Optional(), Length(max=4000)],
                           description=_l("Required when the comment is declined."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = choices([("taken", _l("Taken")), ("declined", _l("Declined"))])
