"""Many rows in every organizer list at once, for the tests of long lists."""


def grow(db, workshop, organizer, n: int, tag: str):
    """``n`` of each row an organizer list shows, straight through the models (the services
    send mail and take locks, which a list does not need): registrations in three states and
    two categories with an answer each, invitations with a contact and a category, contacts,
    messages with recipients, activity-log entries."""
    from workshop.messages.models import ComposedMessage, MessageRecipient
    from workshop.people.models import Contact
    from workshop.platform import audit
    from workshop.platform.types import utcnow
    from workshop.questions import service as questions
    from workshop.questions.models import Answer
    from workshop.registration import service
    from workshop.registration.models import Invitation, Registration, State

    question = questions.save_question(workshop, {
        "label": "Need a visa letter?", "kind": "yes_no", "stage": "registration", "required": False,
        "sensitive": False, "help_text": "", "choices": [], "category_ids": [], "condition": ""})
    categories = service.categories_for(workshop)
    now = utcnow()
    registrations = []
    for i in range(n):
        state = [State.CONFIRMED, State.WAITLISTED, State.PENDING][i % 3]
        registrations.append(Registration(
            workshop_id=workshop.id, email=f"p{i}.{tag}@example.org", name=f"Person {i:04d}",
            organization="Ministry", position="Focal Point", country=["GH", "DK", "CR"][i % 3],
            consent="public", state=state, waitlist_position=i if state == State.WAITLISTED else None,
            category_id=categories[i % len(categories)].id if categories else None, privacy_accepted_at=now))
    contacts = [Contact(name=f"Contact {i:04d} {tag}", email=f"c{i}.{tag}@example.org", organization="Mission")
                for i in range(n)]
    db.session.add_all(registrations + contacts)
    db.session.flush()
    db.session.add_all([Answer(registration_id=r.id, question_id=question.id, value=["yes", "no"][i % 2])
                        for i, r in enumerate(registrations)])
    db.session.add_all([Invitation(workshop_id=workshop.id, contact_id=c.id, email=c.email, name=c.name,
                                   category_id=categories[i % len(categories)].id if categories else None)
                        for i, c in enumerate(contacts)])
    for i in range(n):
        message = ComposedMessage(workshop_id=workshop.id, sender_name=organizer.name, subject=f"Note {i}",
                                  body="Hello", audience="confirmed", idempotency_key=f"{tag}-{i}")
        db.session.add(message)
        db.session.flush()
        db.session.add_all([MessageRecipient(message_id=message.id, email=r.email, name=r.name,
                                             registration_id=r.id) for r in registrations[:2]])
        audit.record("registration.exported", workshop=workshop, actor=organizer, target=("workshop", workshop.id),
                     format="csv", rows=i, filters="")
    db.session.commit()
    return question.id
