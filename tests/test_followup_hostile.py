"""The hostile corpus through every new input: a reviewer's comment and objection, a
rapporteur's resolution, the review's deadline, a recommendation's update (note, owner, meeting,
date, status): a field error or inert output on every page that shows them, never a 500."""

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.support.hostile import HOSTILE, Findings, form_body
from tests.support.registration import taking_registrations  # noqa: F401
from tests.support.review import DRAFT, reviewed, review_link  # noqa: F401
from workshop.followup import outputs
from workshop.memos import service as memos
from workshop.platform.db import db
from workshop.reviews import service as reviews

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


def test_reviewers_inputs_and_the_pages_that_show_them(client, reviewed, login_as):
    setting = reviewed()
    now = datetime.now(timezone.utc)
    review = reviews.open_review(setting.memo, deadline=now + timedelta(days=3), by=setting.organizer, now=now)
    db.session.commit()
    link = review_link("ama@example.org")
    findings = Findings()
    for label, value in HOSTILE.items():
        findings.check(client.post(f"{link}/paragraphs/2", data=form_body({"p2-text": value}), content_type=FORM),
                       label, value, "comment", allowed=(302, 422))
        findings.check(client.post(f"{link}/objection", data=form_body({"reason": value}), content_type=FORM),
                       label, value, "objection", allowed=(302, 422))
        reviewer = review.reviewers[0]
        if reviewer.objected_at is not None:
            reviews.withdraw_objection(reviewer)
            db.session.commit()
    findings.check(client.get(link), "all", "", "reviewer page", allowed=(200,))
    login_as(setting.rapporteur)
    slug = setting.workshop.slug
    findings.check(client.get(f"/manage/w/{slug}/review/{review.id}"), "all", "", "team page", allowed=(200,))
    comment = review.comments[0]
    for label, value in HOSTILE.items():
        findings.check(client.post(f"/manage/w/{slug}/review/{review.id}/comments/{comment.id}",
                                   data=form_body({f"c{comment.id}-decision": "declined",
                                                   f"c{comment.id}-reason": value}), content_type=FORM),
                       label, value, "resolution", allowed=(302, 303))
        findings.check(client.get(f"/manage/w/{slug}/review/{review.id}"), label, value, "team page", allowed=(200,))
    client.post("/logout")
    login_as(setting.organizer)
    for label, value in HOSTILE.items():
        findings.check(client.post(f"/manage/w/{slug}/review", data=form_body({"deadline": value}),
                                   content_type=FORM), label, value, "deadline", allowed=(422,))
    internal = outputs.freeze(setting.workshop, "internal", by=setting.organizer)
    db.session.commit()
    findings.check(client.get(f"/manage/w/{slug}/outputs/internal/{internal.number}"), "all", "", "internal record",
                   allowed=(200,))
    assert findings == []


def test_recommendation_updates_and_the_pages_that_show_them(client, reviewed, login_as):
    setting = reviewed()
    memo = setting.memo
    memos.submit_for_review(memo)
    memos.approve(memo, memos.unresolved_names(memo))
    memos.publish(memo, setting.organizer)
    db.session.commit()
    login_as(setting.organizer)
    slug = setting.workshop.slug
    findings = Findings()
    today = date.today().isoformat()
    for label, value in HOSTILE.items():
        for field in ("note", "owner", "meant_for", "on", "status"):
            data = {"status": "in_progress", "on": today, "note": "", "owner": "", "meant_for": ""}
            data[field] = value
            findings.check(client.post(f"/manage/w/{slug}/recommendations/1", data=form_body(data), content_type=FORM),
                           label, value, field, allowed=(302, 422))
    for page in (f"/w/{slug}/recommendations", f"/manage/w/{slug}/recommendations", "/series/no-series/"):
        findings.check(client.get(page), "all", "", page, allowed=(200, 404))
    assert findings == []
