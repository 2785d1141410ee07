"""The open demo workshop asks whether the participant needs a letter of invitation for a visa;
a yes brings the follow-up questions the letter is written from. Idempotent: questions are
looked up by their wording first. The answers given are fictional."""

from workshop.questions import service
from workshop.questions.models import Kind, Stage
from workshop.registration import service as registrations

VISA = "Do you need a letter of invitation for a visa?"
QUESTIONS = (
    # label, kind, stage, required, sensitive, choices, condition on the visa question
    (VISA, Kind.YES_NO, Stage.REGISTRATION, True, False, [], None),
    ("How will you travel to the workshop?", Kind.SINGLE, Stage.REGISTRATION, False, False,
     ["By air", "By train", "By road", "I live nearby"], None),
    ("Passport number", Kind.SHORT_TEXT, Stage.FOLLOW_UP, True, True, [], "yes"),
    ("Nationality (as in the passport)", Kind.COUNTRY, Stage.FOLLOW_UP, True, True, [], "yes"),
    ("Embassy or consulate that will issue the visa", Kind.SHORT_TEXT, Stage.FOLLOW_UP, True, False, [], "yes"),
)
# Walk-ins of the registration demo, and how they answered.
ANSWERS = {
    "grace.njeri@demo.example": {VISA: "yes", "How will you travel to the workshop?": "By air",
                                 "Passport number": "DEMO-KE-0001", "Nationality (as in the passport)": "KE",
                                 "Embassy or consulate that will issue the visa": "Embassy in Nairobi"},
    "omar.haddad@demo.example": {VISA: "no", "How will you travel to the workshop?": "By air"},
    "ingrid.larsen@demo.example": {VISA: "no", "How will you travel to the workshop?": "By train"},
}


def load(demo) -> None:
    workshop = demo.open_workshop
    existing = {q.label: q for q in service.questions_of(workshop)}
    visa = existing.get(VISA)
    added = 0
    for label, kind, stage, required, sensitive, choices, condition in QUESTIONS:
        if label in existing:
            continue
        question = service.save_question(workshop, {
            "label": label, "kind": kind, "stage": stage, "required": required, "sensitive": sensitive,
            "help_text": "", "choices": choices, "category_ids": [],
            "condition": f"{visa.id}:{condition}" if condition and visa is not None else ""}, by=demo.organizer)
        existing[label] = question
        if label == VISA:
            visa = question
        added += 1
    for email, answers in ANSWERS.items():
        registration = registrations.find_registration(workshop, email)
        if registration is None or service.answers_of(registration):
            continue
        service.save_answers(registration, {existing[label].id: value for label, value in answers.items()})
    demo.lines.append(f"Questions demo: {added} questions added to the open workshop.")
