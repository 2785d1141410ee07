"""The participants' review of a memo draft, a silence procedure: the only place reviews,
reviewers and their comments change.

Organizers open a review of the memo's current text for the confirmed participants (or some of
them) with a deadline. Each reviewer gets a personal link, reads the draft and comments on any
paragraph, or objects. When the deadline passes the draft counts as accepted unless an objection
stands; the rapporteurs resolve each comment (taken, or declined with a reason). The memo is
approved only once no review is running, none ended blocked, and every comment is resolved.
Every step is in the workshop's activity log; the memo never names who commented.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from workshop.platform import audit
from workshop.platform.db import db
from workshop.platform.errors import N_, UserError
from workshop.platform.i18n import in_language
from workshop.platform.mail.outbox import queue_mail
from workshop.platform.tokens import hash_token, new_token
from workshop.platform.types import utcnow
from workshop.platform.urls import absolute_url
from workshop.memos.models import Memo, MemoState
from workshop.registration.models import Registration, State
from workshop.registration.participants import confirmed_registrants
from workshop.reviews.models import (COMMENT_MOVES, REVIEW_MOVES, CommentState, MemoReview, ReviewComment,
                                     Reviewer, ReviewState)
from workshop.reviews.paragraphs import blocks, takes_comments

# How long before the deadline the one reminder goes out.
REMINDER_BEFORE = timedelta(hours=24)
MAX_COMMENT = 4000


class ReviewError(UserError):
    """A step the review's state or the input does not allow; the message is for the user."""


# Reading ------------------------------------------------------------------------------------


def reviews_of(memo: Memo) -> list[MemoReview]:
    """The memo's reviews, newest first."""
    if memo.id is None:
        return []
    return list(db.session.scalars(
        sa.select(MemoReview).where(MemoReview.memo_id == memo.id).order_by(MemoReview.id.desc())))


def review_of(workshop, review_id: int) -> MemoReview | None:
    review = db.session.get(MemoReview, review_id)
    return review if review is not None and review.workshop_id == workshop.id else None


def reviewer_by_token(token: str) -> Reviewer | None:
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    return db.session.scalar(sa.select(Reviewer).where(
        sa.or_(Reviewer.token_hash == digest, Reviewer.reminder_token_hash == digest)))


def paragraphs(review: MemoReview) -> list[str]:
    return blocks(review.source)


def outcome(review: MemoReview, now: datetime | None = None) -> str:
    """The review's state as of ``now``: an open review past its deadline is accepted (silence)
    or blocked (an objection stands), whether or not the hourly job has recorded it yet."""
    if review.state != ReviewState.OPEN:
        return review.state
    now = now or utcnow()
    if now < review.deadline:
        return ReviewState.OPEN
    return ReviewState.BLOCKED if review.objections else ReviewState.ACCEPTED


def is_running(review: MemoReview, now: datetime | None = None) -> bool:
    return outcome(review, now) == ReviewState.OPEN


def unresolved(review: MemoReview) -> list[ReviewComment]:
    return [comment for comment in review.comments if comment.state == CommentState.PENDING]


def eligible_reviewers(workshop) -> list[Registration]:
    """Who may be asked: the confirmed participants with an address."""
    return [registration for registration in confirmed_registrants(workshop) if registration.email]


def approval_blockers(memo: Memo, now: datetime | None = None):
    """What stands between the memo and its approval, as (msgid, params), or None: a review
    still running, a review that ended with an objection, or a comment nobody resolved. Read by
    the memo's approval (``registry.contribute(app, "memo approval", ...)``)."""
    now = now or utcnow()
    reviews = [review for review in reviews_of(memo) if review.state != ReviewState.CANCELLED]
    if not reviews:
        return None
    latest = reviews[0]
    state = outcome(latest, now)
    if state == ReviewState.OPEN:
        return N_("The participants' review is still open. Approve the memo after its deadline."), {}
    if state == ReviewState.BLOCKED:
        return N_("A participant objected in the review. Revise the draft and open a new review, "
                  "or withdraw that review."), {}
    pending = sum(len(unresolved(review)) for review in reviews)
    if pending:
        return N_("%(n)s review comments are not resolved yet. Take or decline each one."), {"n": pending}
    return None


# Moves ----------------------------------------------------------------------------------------


def transition(review: MemoReview, to_state: str, *, actor=None, now: datetime | None = None, **detail) -> None:
    """The one way a review's state changes: checked against REVIEW_MOVES, with its log entry."""
    if to_state not in REVIEW_MOVES[ReviewState(review.state)]:
        raise ReviewError(N_("This review cannot change that way now."))
    audit.record("review.state_changed", workshop=review.workshop_id, actor=actor, target=review,
                 from_state=review.state, to_state=to_state, **detail)
    review.state = to_state
    review.closed_at = now or utcnow()
    db.session.flush()


def comment_transition(comment: ReviewComment, to_state: str, *, by, reason: str = "",
                       now: datetime | None = None) -> None:
    """The one way a comment's resolution changes (COMMENT_MOVES), with its log entry."""
    if to_state not in COMMENT_MOVES[CommentState(comment.state)]:
        raise ReviewError(N_("This comment cannot change that way now."))
    reason = (reason or "").strip()
    if to_state == CommentState.DECLINED and not reason:
        raise ReviewError(N_("Say why the comment is declined: the reason is kept with it."))
    if len(reason) > MAX_COMMENT:
        raise ReviewError(N_("Keep the reason under %(n)s characters."), n=MAX_COMMENT)
    review = comment.review
    audit.record("review.comment_resolved", workshop=review.workshop_id, actor=by, target=comment,
                 from_state=comment.state, to_state=to_state, paragraph=comment.paragraph, reason=reason)
    comment.state = to_state
    comment.reason = reason
    comment.resolved_at = None if to_state == CommentState.PENDING else (now or utcnow())
    comment.resolved_by_id = None if to_state == CommentState.PENDING else getattr(by, "id", None)
    db.session.flush()


def close_if_due(review: MemoReview, now: datetime | None = None) -> bool:
    """Record the outcome of a review whose deadline has passed; True when it did."""
    now = now or utcnow()
    state = outcome(review, now)
    if review.state != ReviewState.OPEN or state == ReviewState.OPEN:
        return False
    transition(review, state, actor="system", now=now, objections=len(review.objections))
    return True


def close_due_reviews(now: datetime | None = None) -> int:
    """The hourly job: every open review past its deadline gets its outcome recorded."""
    now = now or utcnow()
    due = db.session.scalars(sa.select(MemoReview).where(MemoReview.state == ReviewState.OPEN,
                                                        MemoReview.deadline <= now)).all()
    return sum(close_if_due(review, now) for review in due)


# Opening and closing ----------------------------------------------------------------------------


def open_review(memo: Memo, *, deadline: datetime, registration_ids=None, by=None,
                now: datetime | None = None) -> MemoReview:
    """A review of the memo's current text until ``deadline`` (an aware UTC moment) for the
    confirmed participants, or those among them in ``registration_ids``; each is mailed their
    link. Raises ReviewError."""
    now = now or utcnow()
    workshop = memo.workshop
    head = memo.current
    if head is None:
        raise ReviewError(N_("Write the memo, or compile it from the notes, before opening a review."))
    if memo.state not in (MemoState.DRAFT, MemoState.IN_REVIEW):
        raise ReviewError(N_("Only a draft or a memo in review can be reviewed by the participants."))
    if any(is_running(review, now) for review in reviews_of(memo)):
        raise ReviewError(N_("A review is already open. Wait for its deadline or withdraw it first."))
    if deadline <= now + timedelta(hours=1):
        raise ReviewError(N_("Choose a deadline at least an hour from now."))
    if deadline > now + timedelta(days=90):
        raise ReviewError(N_("Choose a deadline within 90 days."))
    people = eligible_reviewers(workshop)
    if registration_ids is not None:
        chosen = {int(i) for i in registration_ids}
        people = [registration for registration in people if registration.id in chosen]
    if not people:
        raise ReviewError(N_("Choose at least one confirmed participant to review the draft."))
    review = MemoReview(workshop_id=workshop.id, memo_id=memo.id, revision_number=head.number,
                        source=head.source, deadline=deadline, state=ReviewState.OPEN, opened_at=now,
                        opened_by_id=getattr(by, "id", None))
    review.memo = memo
    db.session.add(review)
    db.session.flush()
    for registration in people:
        token = new_token()
        reviewer = Reviewer(review_id=review.id, registration_id=registration.id, name=registration.name,
                            email=registration.email, language=registration.language or "en",
                            token_hash=hash_token(token), objection="")
        db.session.add(reviewer)
        review.reviewers.append(reviewer)
        _mail(reviewer, review, token, "review_invitation")
    audit.record("review.opened", workshop=workshop.id, actor=by, target=review, revision=head.number,
                 deadline=deadline, reviewers=len(people))
    db.session.flush()
    return review


def cancel(review: MemoReview, *, by=None, now: datetime | None = None) -> None:
    if not is_running(review, now):
        raise ReviewError(N_("Only a review that is still open can be withdrawn."))
    transition(review, ReviewState.CANCELLED, actor=by, now=now)


# What reviewers do ------------------------------------------------------------------------------


def _running(reviewer: Reviewer, now) -> MemoReview:
    review = reviewer.review
    if not is_running(review, now):
        raise ReviewError(N_("The review has closed: comments and objections are no longer taken."))
    return review


def add_comment(reviewer: Reviewer, paragraph: int, text: str, *, now: datetime | None = None) -> ReviewComment:
    review = _running(reviewer, now)
    text = (text or "").strip()
    if not text:
        raise ReviewError(N_("Write your comment first."))
    if len(text) > MAX_COMMENT:
        raise ReviewError(N_("Keep the comment under %(n)s characters."), n=MAX_COMMENT)
    blocks_of_draft = paragraphs(review)
    if not 1 <= paragraph <= len(blocks_of_draft):
        raise ReviewError(N_("Choose a paragraph of the draft."))
    if not takes_comments(blocks_of_draft[paragraph - 1]):
        raise ReviewError(N_("A heading takes no comments: comment on a paragraph or list below it."))
    comment = ReviewComment(review_id=review.id, reviewer_id=reviewer.id, paragraph=paragraph, text=text,
                            state=CommentState.PENDING, reason="", created_at=now or utcnow())
    db.session.add(comment)
    review.comments.append(comment)
    # The log says that a participant commented, not who: only the team's review page names them.
    audit.record("review.commented", workshop=review.workshop_id, actor="reviewer via link", target=review,
                 paragraph=paragraph)
    db.session.flush()
    return comment


def object_to(reviewer: Reviewer, reason: str, *, now: datetime | None = None) -> None:
    review = _running(reviewer, now)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(N_("Say what you object to, so the rapporteurs can address it."))
    if len(reason) > MAX_COMMENT:
        raise ReviewError(N_("Keep the reason under %(n)s characters."), n=MAX_COMMENT)
    reviewer.objection = reason
    reviewer.objected_at = now or utcnow()
    audit.record("review.objected", workshop=review.workshop_id, actor="reviewer via link", target=review)
    db.session.flush()


def withdraw_objection(reviewer: Reviewer, *, now: datetime | None = None) -> None:
    review = _running(reviewer, now)
    if reviewer.objected_at is None:
        raise ReviewError(N_("You have not objected."))
    reviewer.objected_at = None
    reviewer.objection = ""
    audit.record("review.objection_withdrawn", workshop=review.workshop_id, actor="reviewer via link",
                 target=review)
    db.session.flush()


def resolve(comment: ReviewComment, decision: str, *, by, reason: str = "", now: datetime | None = None) -> None:
    """A rapporteur takes a comment or declines it with a reason (any time, even after the deadline)."""
    if decision not in (CommentState.TAKEN, CommentState.DECLINED, CommentState.PENDING):
        raise ReviewError(N_("Choose taken or declined."))
    comment_transition(comment, decision, by=by, reason=reason, now=now)


def comment_of(review: MemoReview, comment_id: int) -> ReviewComment | None:
    return next((comment for comment in review.comments if comment.id == comment_id), None)


# Mail -------------------------------------------------------------------------------------------


def _mail(reviewer: Reviewer, review: MemoReview, token: str, template: str) -> None:
    workshop = review.memo.workshop
    with in_language(reviewer.language):
        subject = (_("Review the draft memo: %(title)s", title=workshop.title) if template == "review_invitation"
                   else _("Reminder: the review closes soon: %(title)s", title=workshop.title))
        queue_mail(reviewer.email, template, subject=subject,
                   context={"reviewer": reviewer, "review": review, "workshop": workshop,
                            "link": absolute_url("reviews.read", token=token)},
                   reply_to=workshop.contact_email or None, workshop_id=workshop.id)


def send_reminders(now: datetime | None = None) -> int:
    """The hourly job: once per reviewer, in the last day before the deadline, a reminder to
    those who have not commented or objected, with a second link to the same page (the first
    still works)."""
    now = now or utcnow()
    reviews = db.session.scalars(sa.select(MemoReview).where(
        MemoReview.state == ReviewState.OPEN, MemoReview.deadline > now,
        MemoReview.deadline <= now + REMINDER_BEFORE)).all()
    sent = 0
    for review in reviews:
        commented = {comment.reviewer_id for comment in review.comments}
        for reviewer in review.reviewers:
            if reviewer.reminded_at is not None or reviewer.objected_at is not None or reviewer.id in commented:
                continue
            token = new_token()
            reviewer.reminder_token_hash = hash_token(token)
            reviewer.reminded_at = now
            _mail(reviewer, review, token, "review_reminder")
            sent += 1
    if sent:
        db.session.flush()
    return sent


# Retention ----------------------------------------------------------------------------------------


def forget_reviewers(workshop, **_details) -> int:
    """Reaction to the retention purge: the reviewers' names and addresses go, and their links
    stop working; what they wrote, and how it was resolved, stays with the review."""
    reviewers = db.session.scalars(sa.select(Reviewer).join(MemoReview).where(
        MemoReview.workshop_id == workshop.id, Reviewer.email.contains("@"))).all()
    for reviewer in reviewers:
        reviewer.name = ""
        reviewer.email = f"purged-{reviewer.id}"
        reviewer.token_hash = hash_token(new_token())  # nobody holds this one
        reviewer.reminder_token_hash = None
    if reviewers:
        db.session.flush()
    return len(reviewers)
