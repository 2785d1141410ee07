"""The review and follow-up journey: an organizer opens a review of the memo draft, two
participants comment through their own links, the rapporteur resolves both comments, the memo is
published once the deadline has passed, and a recommendation's status, updated by the organizer,
shows on the series page and on the next workshop of the series. Screens at 390 and 1280 px."""

import re
from datetime import date, timedelta
from email import policy
from email.parser import BytesParser

import pytest

from tests.support.browser import DESK, PHONE, create_account, save_screen, sign_in
from tests.support.memo import add_member
from tests.support.registration import body, details, outbox
from tests.support.review import DRAFT
from workshop.platform.db import db as _db

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed: pip install -e '.[test]'"
).expect

PASSWORD = "a long passphrase for the browser"


def review_link(base: str, email: str) -> str:
    for row in reversed(outbox(_db)):
        if email in row.recipients and "review" in row.subject.lower():
            text = body(BytesParser(policy=policy.default).parsebytes(row.raw))
            return re.search(re.escape(base) + r"(/review/[A-Za-z0-9_-]+)", text).group(1)
    raise AssertionError(f"no review link for {email}")


def screens(page, name):
    for size in (PHONE, DESK):
        page.set_viewport_size(size)
        save_screen(page, name)
        overflow = page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
        assert not overflow, f"{name} scrolls sideways at {size['width']} px"


def test_review_resolution_publication_and_follow_up_across_the_series(app, live_server, new_context, runner,
                                                                       make_workshop):
    from workshop.auth.models import User
    from workshop.memos import service as memos
    from workshop.registration import service as registration
    from workshop.reviews.models import MemoReview
    from workshop.workshops.models import Role

    create_account(runner, "olga@example.org", "Olga Organizer", PASSWORD, can_create_workshops=True)
    create_account(runner, "rita@example.org", "Rita Rapporteur", PASSWORD)
    organizer = _db.session.scalar(_db.select(User).where(User.email == "olga@example.org"))
    rapporteur = _db.session.scalar(_db.select(User).where(User.email == "rita@example.org"))
    workshop = make_workshop(organizer, title="Preparatory Workshop for the Second Meeting", slug="prep-2030",
                             network="R2P Focal Points Network", timezone="Africa/Accra",
                             start_date=date.today() - timedelta(days=10), end_date=date.today() - timedelta(days=9),
                             prepares_meeting="Second Meeting of the Network")
    following = make_workshop(organizer, title="Preparatory Workshop for the Third Meeting", slug="prep-2031",
                              network="R2P Focal Points Network",
                              start_date=date.today() + timedelta(days=300), end_date=date.today() + timedelta(days=301))
    add_member(workshop, rapporteur, Role.RAPPORTEUR)
    registration.update_settings(workshop, mode="open", confirm_email=False)
    for email, name in (("ama@example.org", "Ama Mensah"), ("lars@example.org", "Lars Berg")):
        registration.register(workshop, details(email=email, name=name))
    memo = memos.memo_for(workshop)
    memos.save(memo, DRAFT, rapporteur, None)
    _db.session.commit()

    # The organizer opens the review for every confirmed participant.
    olga = new_context().new_page()
    sign_in(olga, "olga@example.org", PASSWORD)
    olga.goto(f"/manage/w/{workshop.slug}/")
    olga.get_by_role("link", name="Review by participants").click()
    expect(olga.get_by_label("Deadline")).not_to_be_empty()  # a week ahead, in Accra time
    olga.get_by_role("button", name="Open the review").click()
    expect(olga.locator("main")).to_contain_text("The review is open. Each reviewer was sent their link.")
    screens(olga, "review-team-open")

    # Two participants comment through their own links.
    for email, paragraph, text in (("ama@example.org", 4, "Say who gives the mandate."),
                                   ("lars@example.org", 5, "Drop the word rarely.")):
        reviewer = new_context().new_page()
        reviewer.goto(review_link(live_server.url, email))
        expect(reviewer.locator("main")).to_contain_text("Focal Points need a written mandate.")
        reviewer.get_by_text(f"Comment on paragraph {paragraph}", exact=True).click()
        reviewer.locator(f"#p{paragraph}-text").fill(text)
        reviewer.get_by_role("button", name=f"Send the comment on paragraph {paragraph}").click()
        expect(reviewer.locator("main")).to_contain_text(f"your comment on paragraph {paragraph} is sent")
        expect(reviewer.locator("main")).to_contain_text(text)
        if email == "ama@example.org":
            screens(reviewer, "review-participant")

    # The rapporteur resolves both: one taken, one declined with its reason.
    rita = new_context().new_page()
    sign_in(rita, "rita@example.org", PASSWORD)
    rita.goto(f"/manage/w/{workshop.slug}/review")
    rita.get_by_role("link", name="Review of revision 1").click()
    expect(rita.locator("main")).to_contain_text("2 comments are waiting for a resolution.")
    first = rita.locator("article.review-comment", has_text="Say who gives the mandate.")
    first.get_by_label("Taken").check()
    first.get_by_role("button", name="Save the resolution").click()
    expect(rita.locator("main")).to_contain_text("Comment on paragraph 4 resolved.")
    second = rita.locator("article.review-comment", has_text="Drop the word rarely.")
    second.get_by_label("Declined").check()
    second.get_by_label("Reason or note").fill("The group said rarely; it stays.")
    second.get_by_role("button", name="Save the resolution").click()
    expect(rita.locator("main")).to_contain_text("Every comment is resolved.")
    screens(rita, "review-team-resolved")

    # The deadline passes in silence: nobody objected, so the draft counts as accepted.
    review = _db.session.scalar(_db.select(MemoReview))
    review.deadline = review.opened_at - timedelta(minutes=1)
    _db.session.commit()
    olga.goto(f"/manage/w/{workshop.slug}/memo/")
    olga.get_by_role("button", name="Send for review").click()
    olga.get_by_role("button", name="Approve").click()
    olga.get_by_role("button", name="Publish").click()
    expect(olga.locator("main")).to_contain_text("Version 1 is published.")

    # The organizer records what became of recommendation 1.
    olga.goto(f"/manage/w/{workshop.slug}/")
    olga.get_by_role("link", name="Recommendations", exact=True).click()
    olga.get_by_role("link", name="Record an update on recommendation 1").click()
    olga.get_by_label("Status").select_option(label="done")
    olga.get_by_label("What happened").fill("Agreed at the second meeting.")
    olga.get_by_label("Owner").fill("Co-organizing governments")
    olga.get_by_role("button", name="Save the update").click()
    expect(olga.locator("main")).to_contain_text("Recommendation 1 updated.")

    public = new_context().new_page()
    public.goto("/series/r2p-focal-points-network/")
    expect(public.locator("main")).to_contain_text("Preparatory Workshop for the Third Meeting")
    opened = public.locator("main section", has_text="Open recommendations")
    expect(opened).to_contain_text("Map who receives early warning information")
    expect(opened).not_to_contain_text("Encourage each government")  # done: no longer open
    screens(public, "series-page")
    public.goto(f"/w/{following.slug}/")
    part = public.locator("section.series-part")
    expect(part).to_contain_text("Recommendations of the previous workshop")
    done = part.locator("li.recommendation", has_text="Encourage each government")
    expect(done).to_contain_text("done")
    expect(done).to_contain_text("Agreed at the second meeting.")
    screens(public, "series-next-workshop")
    public.goto(f"/w/{workshop.slug}/recommendations")
    expect(public.locator("#recommendation-1")).to_contain_text("Owner: Co-organizing governments")
    screens(public, "recommendations-page")
    # The memo names neither reviewer.
    public.goto(f"/w/{workshop.slug}/memo")
    expect(public.locator("main")).not_to_contain_text("Ama Mensah")
    expect(public.locator("main")).not_to_contain_text("Lars Berg")
