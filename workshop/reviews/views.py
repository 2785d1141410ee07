"""The participants' review: the team's pages under /manage/w/<slug>/review, and each
reviewer's page behind their personal link, /review/<token>."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workshop.memos import service as memos
from workshop.platform.markup import render_markdown
from workshop.platform.security import rate_limit
from workshop.platform.times import NonexistentTime, to_local, to_utc
from workshop.platform.types import utcnow
from workshop.reviews import service
from workshop.reviews.paragraphs import takes_comments
from workshop.reviews.forms import CommentForm, ObjectionForm, OpenReviewForm, ResolveForm
from workshop.reviews.models import ReviewState
from workshop.workshops.access import can_manage, load_for
from workshop.workshops.forms import ConfirmForm
from workshop.workshops.models import Role

bp = Blueprint("reviews", __name__)


# The team ---------------------------------------------------------------------------------------


def _memo(slug: str, need=Role.RAPPORTEUR):
    workshop = load_for(slug, need=need)
    memo = memos.get_memo(workshop)
    return workshop, memo


def _open_form(workshop, **kwargs):
    return OpenReviewForm(people=service.eligible_reviewers(workshop), **kwargs)


@bp.route("/manage/w/<slug>/review", methods=["GET", "POST"])
@login_required
def index(slug: str):
    workshop, memo = _memo(slug, need=Role.ORGANIZER if request.method == "POST" else Role.RAPPORTEUR)
    now = utcnow()
    default_deadline = to_local(now + timedelta(days=7), workshop.timezone).replace(second=0, microsecond=0)
    form = _open_form(workshop, data=None if request.method == "POST" else {"deadline": default_deadline})
    status = 200
    if request.method == "POST":
        if memo is None:
            flash(_("Write the memo, or compile it from the notes, before opening a review."), "error")
            return redirect(url_for("memos.manage", slug=slug))
        if form.validate_on_submit():
            try:
                deadline = to_utc(form.deadline.data, workshop.timezone)
                review = service.open_review(memo, deadline=deadline, registration_ids=form.reviewers.data or None,
                                             by=current_user, now=now)
            except NonexistentTime:
                form.deadline.errors.append(_("This time does not exist in the workshop's time zone: the clocks "
                                              "move forward then. Choose another time."))
            except service.ReviewError as error:
                form.deadline.errors.append(error.translated())
            else:
                flash(_("The review is open. Each reviewer was sent their link."), "success")
                return redirect(url_for("reviews.show", slug=slug, review_id=review.id))
        status = 422
    reviews = service.reviews_of(memo) if memo is not None else []
    return render_template("reviews/index.html", workshop=workshop, memo=memo, form=form, reviews=reviews,
                           outcome=service.outcome, now=now, is_organizer=can_manage(current_user, workshop),
                           people=service.eligible_reviewers(workshop)), status


def _review(slug: str, review_id: int, need=Role.RAPPORTEUR):
    workshop = load_for(slug, need=need)
    return workshop, service.review_of(workshop, review_id) or abort(404)


@bp.get("/manage/w/<slug>/review/<int:review_id>")
@login_required
def show(slug: str, review_id: int):
    workshop, review = _review(slug, review_id)
    blocks = service.paragraphs(review)
    comments = {n: [c for c in review.comments if c.paragraph == n] for n in range(1, len(blocks) + 1)}
    return render_template(
        "reviews/show.html", workshop=workshop, review=review, state=service.outcome(review),
        paragraphs=[(n, render_markdown(text), comments[n]) for n, text in enumerate(blocks, start=1)],
        unresolved=service.unresolved(review), confirm=ConfirmForm(),
        resolve_form=lambda comment: ResolveForm(prefix=f"c{comment.id}", formdata=None,
                                                 data={"decision": comment.state if comment.state != "pending" else None,
                                                       "reason": comment.reason}),
        is_organizer=can_manage(current_user, workshop))


@bp.post("/manage/w/<slug>/review/<int:review_id>/comments/<int:comment_id>")
@login_required
def resolve(slug: str, review_id: int, comment_id: int):
    workshop, review = _review(slug, review_id)
    comment = service.comment_of(review, comment_id) or abort(404)
    form = ResolveForm(prefix=f"c{comment.id}")
    if not form.validate_on_submit():
        flash(_("Choose taken or declined."), "error")
        return redirect(url_for("reviews.show", slug=slug, review_id=review.id, _anchor=f"comment-{comment.id}")), 303
    try:
        service.resolve(comment, form.decision.data, by=current_user, reason=form.reason.data or "")
    except service.ReviewError as error:
        flash(error.translated(), "error")
        return redirect(url_for("reviews.show", slug=slug, review_id=review.id, _anchor=f"comment-{comment.id}")), 303
    flash(_("Comment on paragraph %(n)s resolved.", n=comment.paragraph), "success")
    return redirect(url_for("reviews.show", slug=slug, review_id=review.id))


@bp.post("/manage/w/<slug>/review/<int:review_id>/withdraw")
@login_required
def withdraw(slug: str, review_id: int):
    workshop, review = _review(slug, review_id, need=Role.ORGANIZER)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.cancel(review, by=current_user)
    except service.ReviewError as error:
        flash(error.translated(), "error")
    else:
        flash(_("The review is withdrawn: its links no longer take comments."), "success")
    return redirect(url_for("reviews.index", slug=slug))


# Reviewers ---------------------------------------------------------------------------------------


def _reviewer(token: str):
    reviewer = service.reviewer_by_token(token)
    if reviewer is None or reviewer.review.state == ReviewState.CANCELLED:
        return None
    return reviewer


def _invalid():
    return render_template("reviews/invalid_link.html"), 404


def _reviewer_page(token, reviewer, *, status=200, comment_forms=None, objection_form=None):
    review = reviewer.review
    blocks = service.paragraphs(review)
    mine = {}
    for comment in review.comments:
        if comment.reviewer_id == reviewer.id:
            mine.setdefault(comment.paragraph, []).append(comment)
    comment_forms = comment_forms or {}
    return render_template(
        "reviews/reviewer.html", reviewer=reviewer, review=review, workshop=review.memo.workshop, token=token,
        running=service.is_running(review), state=service.outcome(review),
        # A heading gets no comment box (None): only paragraphs and lists take comments.
        paragraphs=[(n, render_markdown(text), mine.get(n, []),
                     (comment_forms.get(n) or CommentForm(prefix=f"p{n}", formdata=None)) if takes_comments(text) else None)
                    for n, text in enumerate(blocks, start=1)],
        objection_form=objection_form or ObjectionForm(formdata=None), confirm=ConfirmForm()), status


@bp.get("/review/<token>")
@rate_limit("token", methods=("GET", "POST"))
def read(token: str):
    reviewer = _reviewer(token)
    if reviewer is None:
        return _invalid()
    return _reviewer_page(token, reviewer)


@bp.post("/review/<token>/paragraphs/<int:paragraph>")
@rate_limit("token", methods=("GET", "POST"))
def comment(token: str, paragraph: int):
    reviewer = _reviewer(token)
    if reviewer is None:
        return _invalid()
    form = CommentForm(prefix=f"p{paragraph}")
    if form.validate_on_submit():
        try:
            service.add_comment(reviewer, paragraph, form.text.data)
        except service.ReviewError as error:
            form.text.errors.append(error.translated())
            blocks = service.paragraphs(reviewer.review)
            if not (1 <= paragraph <= len(blocks) and takes_comments(blocks[paragraph - 1])):
                flash(error.translated(), "error")  # the page has no comment box to show it beside
        else:
            flash(_("Thank you: your comment on paragraph %(n)s is sent to the rapporteurs.", n=paragraph), "success")
            return redirect(url_for("reviews.read", token=token, _anchor=f"paragraph-{paragraph}"))
    return _reviewer_page(token, reviewer, status=422, comment_forms={paragraph: form})


@bp.post("/review/<token>/objection")
@rate_limit("token", methods=("GET", "POST"))
def objection(token: str):
    reviewer = _reviewer(token)
    if reviewer is None:
        return _invalid()
    form = ObjectionForm()
    if form.validate_on_submit():
        try:
            service.object_to(reviewer, form.reason.data)
        except service.ReviewError as error:
            form.reason.errors.append(error.translated())
        else:
            flash(_("Your objection is recorded. The draft will not count as accepted while it stands."), "success")
            return redirect(url_for("reviews.read", token=token))
    return _reviewer_page(token, reviewer, status=422, objection_form=form)


@bp.post("/review/<token>/objection/withdraw")
@rate_limit("token", methods=("GET", "POST"))
def withdraw_objection(token: str):
    reviewer = _reviewer(token)
    if reviewer is None:
        return _invalid()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        service.withdraw_objection(reviewer)
    except service.ReviewError as error:
        flash(error.translated(), "error")
        return _reviewer_page(token, reviewer, status=409)
    flash(_("Your objection is withdrawn."), "success")
    return redirect(url_for("reviews.read", token=token))


def manage_link(workshop):
    return _("Review by participants"), url_for("reviews.index", slug=workshop.slug)
