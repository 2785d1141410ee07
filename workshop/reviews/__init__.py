"""The participants' review of the memo draft (a silence procedure with a deadline)."""

from flask import Flask

from workshop.platform import registry


def init_app(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from workshop.platform.audit import ACTION_LABELS
    from workshop.platform.audit.words import ACTOR_WORDS, KIND_WORDS, DETAIL_LABELS
    from workshop.reviews import service, views

    app.register_blueprint(views.bp)
    registry.manage_link(app, views.manage_link, order=60)
    # The memo is approved only once no review stands in its way.
    registry.contribute(app, "memo approval", service.approval_blockers)
    # Hourly: reviews past their deadline get their outcome; reviewers get their one reminder.
    registry.housekeeping_job(app, service.close_due_reviews)
    registry.housekeeping_job(app, service.send_reminders)
    ACTION_LABELS.update({
        "review.opened": _l("Review by participants opened"),
        "review.state_changed": _l("Review by participants: status changed"),
        "review.commented": _l("Review: a participant commented"),
        "review.objected": _l("Review: a participant objected"),
        "review.objection_withdrawn": _l("Review: an objection was withdrawn"),
        "review.comment_resolved": _l("Review: comment resolved"),
    })
    ACTOR_WORDS["reviewer via link"] = _l("a reviewer, through their personal link")
    KIND_WORDS.update({"MemoReview": _l("review"), "ReviewComment": _l("review comment")})
    DETAIL_LABELS.update({"deadline": _l("Deadline"), "reviewers": _l("Reviewers"),
                          "paragraph": _l("Paragraph"), "objections": _l("Objections")})
