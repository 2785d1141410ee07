"""The participants' review of a memo draft: personal links, comments per paragraph seen by the
team only, a deadline in the workshop's time zone with a moved clock (silence counts as
accepted, an objection blocks), every comment resolved, a reminder once, all in the log."""

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests.support.review import reviewed, review_link  # noqa: F401
from tests.support.registration import outbox, taking_registrations  # noqa: F401
from workshop.memos import service as memos
from workshop.memos.models import MemoState
from workshop.platform.audit.models import AuditEntry
from workshop.platform.db import db
from workshop.reviews import service
from workshop.reviews.models import CommentState, ReviewState


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


NOW = datetime.now(timezone.utc).replace(microsecond=0)


def _open(setting, *, days=3, ids=None):
    review = service.open_review(setting.memo, deadline=NOW + timedelta(days=days), registration_ids=ids,
                                 by=setting.organizer, now=NOW)
    db.session.commit()
    return review


def _actions(workshop):
    return [entry.action for entry in db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.workshop_id == workshop.id).order_by(AuditEntry.id))]


def test_an_organizer_opens_a_review_with_a_deadline_in_the_workshops_time_zone(client, reviewed, login_as):
    setting = reviewed()
    login_as(setting.organizer)
    local = (NOW + timedelta(days=5)).astimezone(timezone(timedelta(hours=9))).replace(hour=17, minute=0, second=0)
    response = client.post(f"/manage/w/{setting.workshop.slug}/review",
                           data={"deadline": local.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302, response.get_data(as_text=True)
    review = service.reviews_of(setting.memo)[0]
    # 17:00 in Tokyo (UTC+9, no summer time) is 08:00 UTC.
    assert review.deadline == local.astimezone(timezone.utc)
    assert review.deadline.hour == 8
    assert {r.email for r in review.reviewers} == {"ama@example.org", "lars@example.org"}
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "17:00" in page and "Tokyo" in page
    # Each reviewer has a link of their own; both open the draft.
    first, second = review_link("ama@example.org"), review_link("lars@example.org")
    assert first != second
    assert "Focal Points need a written mandate." in client.get(first).get_data(as_text=True)
    assert "review.opened" in _actions(setting.workshop)


def test_a_chosen_group_only_is_asked(reviewed):
    setting = reviewed()
    review = _open(setting, ids=[setting.participants[1].id])
    assert [r.name for r in review.reviewers] == ["Lars Berg"]
    assert [row.recipients for row in outbox(db) if "review" in (row.subject or "").lower()] == ["lars@example.org"]


def test_the_deadline_must_be_ahead_and_the_review_must_have_people(reviewed):
    setting = reviewed()
    with pytest.raises(service.ReviewError):
        service.open_review(setting.memo, deadline=NOW + timedelta(minutes=30), by=setting.organizer, now=NOW)
    with pytest.raises(service.ReviewError):
        service.open_review(setting.memo, deadline=NOW + timedelta(days=2), registration_ids=[], by=None, now=NOW)
    _open(setting)
    with pytest.raises(service.ReviewError, match="already open"):
        _open(setting)


def test_comments_go_to_the_team_only_and_never_into_the_memo(client, reviewed, login_as):
    setting = reviewed()
    _open(setting)
    link = review_link("ama@example.org")
    response = client.post(f"{link}/paragraphs/4", data={"p4-text": "Say who gives the mandate."})
    assert response.status_code == 302
    page = client.get(link).get_data(as_text=True)
    assert "Say who gives the mandate." in page
    # The other reviewer does not see it.
    assert "Say who gives the mandate." not in client.get(review_link("lars@example.org")).get_data(as_text=True)
    login_as(setting.rapporteur)
    review = service.reviews_of(setting.memo)[0]
    team = client.get(f"/manage/w/{setting.workshop.slug}/review/{review.id}").get_data(as_text=True)
    assert "Say who gives the mandate." in team and "Ama Mensah" in team
    # The log records that a participant commented, never who.
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "review.commented"))
    assert "Ama" not in entry.actor_label and "ama@" not in str(entry.detail)


def test_a_paragraph_outside_the_draft_and_an_empty_comment_are_refused(client, reviewed):
    setting = reviewed()
    _open(setting)
    link = review_link("ama@example.org")
    assert client.post(f"{link}/paragraphs/99", data={"p99-text": "x"}).status_code == 422
    assert client.post(f"{link}/paragraphs/2", data={"p2-text": "  "}).status_code == 422
    assert client.get("/review/not-a-token").status_code == 404


def test_silence_counts_as_accepted_at_the_deadline(reviewed):
    setting = reviewed()
    review = _open(setting, days=2)
    memos.submit_for_review(setting.memo)
    db.session.commit()
    before = review.deadline - timedelta(seconds=1)
    assert service.outcome(review, before) == ReviewState.OPEN
    assert service.approval_blockers(setting.memo, before) is not None
    after = review.deadline + timedelta(seconds=1)
    assert service.outcome(review, after) == ReviewState.ACCEPTED
    assert service.close_due_reviews(before) == 0 and review.state == ReviewState.OPEN
    assert service.close_due_reviews(after) == 1
    db.session.commit()
    assert review.state == ReviewState.ACCEPTED
    assert service.approval_blockers(setting.memo, after) is None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "review.state_changed"))
    assert entry.detail["to_state"] == "accepted" and entry.actor_label == "system"


def test_an_objection_blocks_and_the_memo_cannot_be_approved(reviewed):
    setting = reviewed()
    review = _open(setting, days=2)
    ama = review.reviewers[0]
    service.object_to(ama, "The second paragraph points at my delegation.", now=NOW + timedelta(hours=1))
    memos.submit_for_review(setting.memo)
    db.session.commit()
    after = review.deadline + timedelta(minutes=1)
    assert service.outcome(review, after) == ReviewState.BLOCKED
    service.close_due_reviews(after)
    db.session.commit()
    assert review.state == ReviewState.BLOCKED
    with pytest.raises(memos.MemoError, match="objected"):
        memos.approve(setting.memo)
    assert setting.memo.state == MemoState.IN_REVIEW
    # After the deadline nothing more is taken, not even a withdrawal.
    with pytest.raises(service.ReviewError):
        service.withdraw_objection(ama, now=after)


def test_a_withdrawn_objection_lets_silence_count_again(reviewed):
    setting = reviewed()
    review = _open(setting, days=2)
    ama = review.reviewers[0]
    service.object_to(ama, "No.", now=NOW)
    service.withdraw_objection(ama, now=NOW + timedelta(hours=2))
    assert service.outcome(review, review.deadline) == ReviewState.ACCEPTED


def test_nothing_is_taken_after_the_deadline(client, reviewed):
    setting = reviewed()
    review = _open(setting, days=2)
    link = review_link("ama@example.org")
    review.deadline = NOW - timedelta(minutes=1)  # the clock has passed it
    db.session.commit()
    response = client.post(f"{link}/paragraphs/2", data={"p2-text": "Too late?"})
    assert response.status_code == 422 and "closed" in response.get_data(as_text=True)
    assert client.post(f"{link}/objection", data={"reason": "Too late"}).status_code == 422
    assert review.comments == [] and review.reviewers[0].objected_at is None


def test_rapporteurs_resolve_every_comment_before_approval(client, reviewed, login_as):
    setting = reviewed()
    review = _open(setting, days=2)
    ama, lars = review.reviewers
    taken = service.add_comment(ama, 4, "Add a deputy.", now=NOW)
    declined = service.add_comment(lars, 5, "Drop this.", now=NOW)
    memos.submit_for_review(setting.memo)
    service.close_due_reviews(review.deadline)
    db.session.commit()
    with pytest.raises(memos.MemoError, match="not resolved"):
        memos.approve(setting.memo)
    login_as(setting.rapporteur)
    base = f"/manage/w/{setting.workshop.slug}/review/{review.id}/comments"
    # Declining needs a reason.
    client.post(f"{base}/{declined.id}", data={f"c{declined.id}-decision": "declined"})
    assert declined.state == CommentState.PENDING
    client.post(f"{base}/{declined.id}", data={f"c{declined.id}-decision": "declined",
                                              f"c{declined.id}-reason": "The paragraph is the group's finding."})
    client.post(f"{base}/{taken.id}", data={f"c{taken.id}-decision": "taken"})
    db.session.expire_all()
    assert (taken.state, declined.state) == (CommentState.TAKEN, CommentState.DECLINED)
    assert declined.reason == "The paragraph is the group's finding."
    assert declined.resolved_by_id == setting.rapporteur.id
    memos.approve(setting.memo, memos.unresolved_names(setting.memo))
    assert setting.memo.state == MemoState.APPROVED
    assert _actions(setting.workshop).count("review.comment_resolved") == 2


def test_one_reminder_per_silent_reviewer_before_the_deadline(client, reviewed):
    setting = reviewed()
    review = _open(setting, days=3)
    ama, lars = review.reviewers
    service.add_comment(lars, 2, "Fine by me.", now=NOW)
    db.session.commit()
    assert service.send_reminders(review.deadline - timedelta(hours=30)) == 0  # not yet the last day
    assert service.send_reminders(review.deadline - timedelta(hours=12)) == 1
    assert service.send_reminders(review.deadline - timedelta(hours=2)) == 0  # once only
    db.session.commit()
    reminders = [row for row in outbox(db) if row.subject.startswith("Reminder")]
    assert [row.recipients for row in reminders] == ["ama@example.org"]
    # The reminder's link and the first one both open the page.
    first_link = [link for link in _links("ama@example.org")]
    assert len(set(first_link)) == 2
    for link in first_link:
        assert client.get(link).status_code == 200


def _links(email):
    from email import policy
    from email.parser import BytesParser

    from tests.support.registration import body, links_in

    found = []
    for row in outbox(db):
        if email in row.recipients:
            found += [link for link in links_in(body(BytesParser(policy=policy.default).parsebytes(row.raw)))
                      if link.startswith("/review/")]
    return found


def test_a_withdrawn_review_closes_its_links(client, reviewed, login_as):
    setting = reviewed()
    review = _open(setting)
    link = review_link("ama@example.org")
    login_as(setting.organizer)
    assert client.post(f"/manage/w/{setting.workshop.slug}/review/{review.id}/withdraw").status_code == 302
    assert review.state == ReviewState.CANCELLED
    assert client.get(link).status_code == 404
    assert service.approval_blockers(setting.memo) is None


def test_the_hourly_jobs_are_registered(app):
    from workshop.platform.registry import registry

    jobs = registry(app).housekeeping
    assert service.close_due_reviews in jobs and service.send_reminders in jobs


def test_a_review_link_is_a_secret_not_kept_in_caches_or_logs(client, reviewed):
    from workshop.platform.security import mask_tokens

    setting = reviewed()
    _open(setting)
    link = review_link("ama@example.org")
    response = client.get(link)
    assert "no-store" in response.headers["Cache-Control"]
    assert mask_tokens(f"GET {link} HTTP/1.1") == "GET /review/[token] HTTP/1.1"
    # Only the digest is stored.
    token = link.rsplit("/", 1)[1]
    assert all(token not in (r.token_hash, r.reminder_token_hash) for r in service.reviews_of(setting.memo)[0].reviewers)


def test_the_retention_purge_forgets_the_reviewers_but_keeps_what_they_wrote(client, reviewed, login_as):
    from workshop.registration import retention
    from workshop.registration.service import settings_for

    setting = reviewed()
    review = _open(setting)
    link = review_link("ama@example.org")
    service.add_comment(review.reviewers[0], 2, "Keep this point.", now=NOW)
    db.session.commit()
    retention.purge_workshop(setting.workshop, settings_for(setting.workshop), NOW)
    db.session.commit()
    assert {r.name for r in review.reviewers} == {""}
    assert not any("@" in r.email for r in review.reviewers)
    assert client.get(link).status_code == 404
    login_as(setting.rapporteur)
    page = client.get(f"/manage/w/{setting.workshop.slug}/review/{review.id}").get_data(as_text=True)
    assert "Keep this point." in page and "Ama Mensah" not in page and "(personal data removed)" in page


def test_only_paragraphs_and_lists_take_comments_not_headings(client, reviewed):
    from workshop.reviews.paragraphs import takes_comments

    assert not takes_comments("## Context") and not takes_comments("Context\n=======")
    assert not takes_comments("---") and not takes_comments("# One\n## Two")
    assert takes_comments("The network met.") and takes_comments("- a mandate\n- a budget")
    assert takes_comments("## Context\nThe network met.") and takes_comments("> Quoted")
    assert takes_comments("Said so\n-------- and more\ntext")

    setting = reviewed()
    _open(setting)
    link = review_link("ama@example.org")
    page = client.get(link).get_data(as_text=True)
    # The draft: heading, paragraph, heading, paragraph. Boxes on the paragraphs only.
    assert 'action="' + f"{link}/paragraphs/2" + '"' in page and f'{link}/paragraphs/4"' in page
    assert f'{link}/paragraphs/1"' not in page and f'{link}/paragraphs/3"' not in page
    assert "## Context" not in page and "Context" in page  # the heading is still shown
    refused = client.post(f"{link}/paragraphs/1", data={"p1-text": "A heading comment"})
    assert refused.status_code == 422 and "A heading takes no comments" in refused.get_data(as_text=True)
    assert client.post(f"{link}/paragraphs/2", data={"p2-text": "Fine."}).status_code == 302
    db.session.expire_all()
    assert [c.paragraph for c in service.reviews_of(setting.memo)[0].comments] == [2]
