"""The open demo workshop's letter of invitation, ready to issue. Idempotent."""

from workshop.visas import service
from workshop.questions import demo as questions_demo
from workshop.questions import service as questions


def load(demo) -> None:
    workshop = demo.open_workshop
    if service.template_of(workshop) is not None:
        return
    by_label = {q.label: q.id for q in questions.questions_of(workshop)}
    service.save_template(workshop, {
        "body": service.DEFAULT_BODY,
        "letterhead": "\n".join(o.name for o in workshop.conveners) or workshop.title,
        "signatory_name": "Dr. A. Demo", "signatory_title": "Executive Director (demo signatory)",
        "visa_question_id": by_label.get(questions_demo.VISA),
        "passport_question_id": by_label.get("Passport number"),
        "nationality_question_id": by_label.get("Nationality (as in the passport)"),
        "embassy_question_id": by_label.get("Embassy or consulate that will issue the visa"),
    }, by=demo.organizer)
    demo.lines.append("Letters demo: the open workshop's letter of invitation is ready to issue.")
