"""Reminder rules: set up and removed by organizers, run by the worker's job runner.

Each rule is one job (``reminder:<id>``). When it runs it finds the people due at that moment,
adds one ``ReminderDelivery`` per person (unique per rule and person: a person already reached is
skipped, and a second worker inserting the same row gets nothing) and queues their mail to be
written by the worker, all in the job's transaction. Then it says when to look again: at the
next due moment, or hourly while people may still join (a late registrant still gets the
"7 days before" reminder, an invitation sent today its "3 days after"), until the rule closes.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from workshop.memos.models import Memo, MemoVersion
from workshop.messages import placeholders
from workshop.messages.service import Person, values_for
from workshop.messages.service import check as messages_check
from workshop.platform import audit, jobs
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import in_language
from workshop.platform.mail.outbox import Letter, queue_mail_later
from workshop.platform.types import utcnow
from workshop.platform.urls import absolute_url
from workshop.registration.models import AccessToken, Invitation, InvitationState, Registration, State
from workshop.registration.notice_models import MailUnsubscribe
from workshop.registration.notify import invitation_language
from workshop.registration.tokens import hash_token, new_token
from workshop.registration.unsubscribe import email_digest, unsubscribe_url
from workshop.reminders import rules
from workshop.reminders.models import ReminderDelivery, ReminderRule
from workshop.workshops.models import WorkshopStatus

JOB_KIND = "reminder"
MAIL_KIND = "reminder"
# Reminders may also link the published memo (a thank-you after the workshop).
NAMES = placeholders.NAMES + ("memo_link",)
LOOK_AGAIN = timedelta(hours=1)


class ReminderError(UserError):
    pass


def check(subject: str, body: str) -> dict[str, ReminderError]:
    """Field errors before anything is saved: the composed messages' check, with these placeholders."""
    return messages_check(subject, body, NAMES, ReminderError)


def describe(rule: ReminderRule) -> str:
    """The rule in words: "7 days before the start, to confirmed participants"."""
    if rule.kind == rules.BEFORE_START:
        return ngettext("%(num)d day before the start, to confirmed participants",
                        "%(num)d days before the start, to confirmed participants", rule.days)
    if rule.kind == rules.AFTER_INVITATION:
        return ngettext("%(num)d day after the invitation, to invitees who have not answered",
                        "%(num)d days after the invitation, to invitees who have not answered", rule.days)
    return ngettext("%(num)d day after the end, to confirmed participants, once the memo is published",
                    "%(num)d days after the end, to confirmed participants, once the memo is published", rule.days)


def rules_of(workshop) -> list[ReminderRule]:
    return list(db.session.scalars(sa.select(ReminderRule).where(ReminderRule.workshop_id == workshop.id)
                                   .order_by(ReminderRule.id)))


def add_rule(workshop, *, kind: str, days: int, hour: int, subject: str, body: str, by=None) -> ReminderRule:
    if kind not in rules.KINDS:
        raise ReminderError(N_("Choose when the reminder goes out."))
    errors = check(subject, body)
    if errors:
        raise next(iter(errors.values()))
    rule = ReminderRule(workshop_id=workshop.id, kind=kind, days=days, hour=hour, subject=subject, body=body,
                        created_by_id=getattr(by, "id", None))
    db.session.add(rule)
    db.session.flush()
    audit.record("reminder.added", workshop=workshop, title=subject, when=_plain_description(rule))
    jobs.schedule(f"reminder:{rule.id}", JOB_KIND, {"rule_id": rule.id}, _first_run(rule, utcnow()))
    return rule


def remove_rule(workshop, rule_id: int) -> bool:
    rule = db.session.scalar(sa.select(ReminderRule).where(ReminderRule.id == rule_id,
                                                           ReminderRule.workshop_id == workshop.id))
    if rule is None:
        return False
    audit.record("reminder.removed", workshop=workshop, title=rule.subject, when=_plain_description(rule))
    jobs.cancel(f"reminder:{rule.id}")
    db.session.delete(rule)
    db.session.flush()
    return True


def _plain_description(rule) -> str:
    return f"{rule.kind} {rule.days} {rule.hour:02d}:00"


def _due(rule: ReminderRule, invited_at: datetime | None = None) -> datetime | None:
    w = rule.workshop
    return rules.due(rule.kind, rule.days, rule.hour, w.timezone, w.start_date, w.end_date, invited_at)


def _closes(rule: ReminderRule) -> datetime:
    w = rule.workshop
    return rules.closes(rule.kind, rule.days, w.timezone, w.start_date, w.end_date)


def _first_run(rule: ReminderRule, now: datetime) -> datetime:
    if rule.kind == rules.AFTER_INVITATION:
        return now  # the runner finds the invitations' own moments
    return max(_due(rule), now) if _due(rule) else now


# Who is due ------------------------------------------------------------------------------------


def _confirmed(workshop) -> list[Person]:
    rows = db.session.scalars(sa.select(Registration).where(
        Registration.workshop_id == workshop.id, Registration.state == State.CONFIRMED,
        Registration.purged_at.is_(None)).order_by(Registration.id))
    return [Person(r.email, r.name, r.language, registration=r, key=("registration", r.id)) for r in rows]


def _pending_invitations(workshop) -> list[Invitation]:
    return list(db.session.scalars(sa.select(Invitation).where(
        Invitation.workshop_id == workshop.id, Invitation.state == InvitationState.PENDING,
        Invitation.sent_at.is_not(None), Invitation.purged_at.is_(None)).order_by(Invitation.id)))


def memo_published(workshop) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(MemoVersion).join(Memo).where(
        Memo.workshop_id == workshop.id)) > 0


def due_people(rule: ReminderRule, now: datetime) -> tuple[list[Person], datetime | None]:
    """Who the rule reaches at ``now`` (reached or not), and the next moment someone else
    becomes due (None: nobody known yet)."""
    workshop = rule.workshop
    if rule.kind == rules.AFTER_INVITATION:
        people, upcoming = [], []
        for invitation in _pending_invitations(workshop):
            moment = _due(rule, invitation.sent_at)
            if moment <= now:
                people.append(Person(invitation.email, invitation.name, invitation_language(invitation),
                                     invitation=invitation, key=("invitation", invitation.id)))
            else:
                upcoming.append(moment)
        return people, min(upcoming, default=None)
    moment = _due(rule)
    if now < moment:
        return [], moment
    if rule.kind == rules.AFTER_END and not memo_published(workshop):
        return [], None
    return _confirmed(workshop), None


def _reached(rule_id: int) -> set[str]:
    return set(db.session.scalars(sa.select(ReminderDelivery.person).where(ReminderDelivery.rule_id == rule_id)))


def _insert_once(rule: ReminderRule, person: Person, unsubscribed: bool) -> int | None:
    """The new delivery's id, or None when the rule had reached this person already (perhaps
    just now, in another worker)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ReminderDelivery).values(
        rule_id=rule.id, person="-".join(map(str, person.key)), email=person.email, unsubscribed=unsubscribed,
        registration_id=person.registration.id if person.registration else None,
        invitation_id=person.invitation.id if person.invitation else None, created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["rule_id", "person"]).returning(ReminderDelivery.id)
    return db.session.scalar(statement)


def run_rule(args: dict, now: datetime) -> datetime | None:
    """The job: reach everyone due now who was not reached; when to run again (None: done)."""
    rule = db.session.get(ReminderRule, args.get("rule_id"))
    if rule is None:
        return None
    workshop = rule.workshop
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.ARCHIVED):
        return None
    closes = _closes(rule)
    if workshop.status == WorkshopStatus.PUBLISHED and now < closes:
        people, upcoming = due_people(rule, now)
        send_to(rule, people)
    else:
        upcoming = None  # a draft sends nothing; it is looked at again hourly, as it may be published
    if now >= closes:
        return None
    if rule.kind == rules.AFTER_INVITATION:
        # New invitations may go out at any time: look at least hourly.
        following = min(upcoming, now + LOOK_AGAIN) if upcoming else now + LOOK_AGAIN
    elif upcoming:
        following = upcoming  # not due yet
    else:
        following = now + LOOK_AGAIN  # due: a late registrant, or the memo, may still come
    return min(following, closes)


def send_to(rule: ReminderRule, people: list[Person]) -> int:
    """Queue the rule's mail to each of ``people`` it has not reached; how many were queued."""
    reached = _reached(rule.id)
    opted_out = set(db.session.scalars(sa.select(MailUnsubscribe.email_hash).where(
        MailUnsubscribe.workshop_id == rule.workshop_id)))
    needs_link = placeholders.uses(rule.body, "self_service_link") or placeholders.uses(rule.subject, "self_service_link")
    queued = 0
    for person in people:
        if "-".join(map(str, person.key)) in reached:
            continue
        unsubscribed = email_digest(person.email) in opted_out
        delivery_id = _insert_once(rule, person, unsubscribed)
        if delivery_id is None or unsubscribed:
            continue
        token = None
        if needs_link:
            token = new_token()
            db.session.add(AccessToken(token_hash=hash_token(token),
                                       registration_id=person.registration.id if person.registration else None,
                                       invitation_id=person.invitation.id if person.invitation else None))
        outbox = queue_mail_later(person.email, MAIL_KIND, subject=rule.subject,
                                  args={"delivery_id": delivery_id, "token": token},
                                  workshop_id=rule.workshop_id)
        db.session.flush()
        db.session.execute(sa.update(ReminderDelivery).where(ReminderDelivery.id == delivery_id)
                           .values(outbox_message_id=outbox.id))
        queued += 1
    return queued


def write_reminder(args: dict) -> Letter:
    """The mail worker's half: one person's reminder, in their language."""
    delivery = db.session.get(ReminderDelivery, args["delivery_id"])
    if delivery is None:
        raise LookupError("the reminder no longer exists")
    rule = db.session.get(ReminderRule, delivery.rule_id)
    workshop = rule.workshop
    registration = db.session.get(Registration, delivery.registration_id) if delivery.registration_id else None
    invitation = db.session.get(Invitation, delivery.invitation_id) if delivery.invitation_id else None
    if registration is not None:
        person = Person(delivery.email, registration.name, registration.language, registration=registration)
        endpoint = "registration.self_service"
    elif invitation is not None:
        person = Person(delivery.email, invitation.name, invitation_language(invitation), invitation=invitation)
        endpoint = "registration.invitation"
    else:
        raise LookupError("the person the reminder was for is gone")
    link = absolute_url(endpoint, token=args["token"]) if args.get("token") else ""
    with in_language(person.language):
        values = {**values_for(workshop, person, link), "memo_link": absolute_url("memos.public", slug=workshop.slug)}
        subject, text, html = placeholders.render_one_of_many(rule.subject, rule.body, values)
        return Letter(delivery.email, "composed_message", subject=subject,
                      context={"workshop": workshop, "text_body": text, "html_body": html},
                      reply_to=workshop.contact_email or None, unsubscribe_url=unsubscribe_url(workshop, delivery.email))


# The timeline ----------------------------------------------------------------------------------


def timeline(workshop, now: datetime | None = None) -> list[dict]:
    """What went and what will go out, by moment: each entry a rule, a moment, how many people
    and whether it is done. Reads only."""
    now = now or utcnow()
    entries = []
    for rule in rules_of(workshop):
        reached = db.session.execute(sa.select(sa.func.count(), sa.func.max(ReminderDelivery.created_at)).where(
            ReminderDelivery.rule_id == rule.id, ReminderDelivery.unsubscribed.is_(False))).one()
        if reached[0]:
            entries.append({"rule": rule, "when": reached[1], "count": reached[0], "done": True, "waits": False})
        if now >= _closes(rule):
            continue
        done = _reached(rule.id)
        if rule.kind == rules.AFTER_INVITATION:
            moments: dict = {}
            for invitation in _pending_invitations(workshop):
                if f"invitation-{invitation.id}" not in done:
                    moment = max(_due(rule, invitation.sent_at), now)
                    moments[moment] = moments.get(moment, 0) + 1
            entries.extend({"rule": rule, "when": moment, "count": count, "done": False, "waits": False}
                           for moment, count in moments.items())
        else:
            waiting = sum(1 for p in _confirmed(workshop) if "-".join(map(str, p.key)) not in done)
            waits = rule.kind == rules.AFTER_END and not memo_published(workshop)
            if waiting or not reached[0]:
                entries.append({"rule": rule, "when": max(_due(rule), now) if reached[0] else _due(rule),
                                "count": waiting, "done": False, "waits": waits})
    return sorted(entries, key=lambda e: (e["when"], e["rule"].id))


def timeline_note(entry) -> str:
    if entry["done"]:
        return ngettext("sent to %(num)d person", "sent to %(num)d people", entry["count"])
    if entry["waits"]:
        return _("waits until the memo is published")
    return ngettext("%(num)d person so far", "%(num)d people so far", entry["count"])
