"""Recommendations of a published memo: numbers that stay across republishing (matched by their
text, reworded or moved), owners, the meeting they are meant for, statuses with dated updates;
the series page and the next workshop of a series show them."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.support.registration import taking_registrations  # noqa: F401
from tests.support.review import DRAFT, reviewed  # noqa: F401
from workshop.followup import service
from workshop.followup.models import Recommendation, RecommendationStatus
from workshop.followup.numbering import Earlier, number, recommendations_in
from workshop.memos import service as memos
from workshop.platform.audit.models import AuditEntry
from workshop.platform.db import db
from workshop.workshops import service as workshops


def test_the_recommendations_section_gives_one_recommendation_per_item():
    source = ("## Key takeaways\n\n- not a recommendation\n\n## Recommendations\n\n"
              "- First, on\n  two lines.\n- **Second** one.\n\n```\n- in a fence\n```\n\n## Annex\n\n- no")
    assert recommendations_in(source) == ["First, on two lines.", "**Second** one."]
    assert recommendations_in("## Recommendations\n\n_Add the recommendations that emerged._\n") == []
    assert recommendations_in("## Recommendations\n\nOne paragraph.\n\nAnother one.") == ["One paragraph.",
                                                                                          "Another one."]
    assert recommendations_in("## Recommandations\n\n- Une seule.") == ["Une seule."]


def test_numbers_stay_when_items_move_are_reworded_removed_or_added():
    earlier = [Earlier(1, "Give each Focal Point a written mandate."), Earlier(2, "Map who can act."),
               Earlier(3, "Share training material among Focal Points.")]
    items = ["Share the training material among all Focal Points.",  # reworded, moved
             "A brand new idea about regional exchanges.",
             "give each focal point a *written* mandate."]  # same words, other case and emphasis
    assert number(items, earlier) == [(3, items[0]), (4, items[1]), (1, items[2])]
    # 2 left the memo: its number is not given to the next new one either.
    assert number(["Something else entirely."], earlier)[0][0] == 4


def _publish(setting, source):
    memo = setting.memo
    if memo.state == "published" or memo.current.source != source:
        memos.save(memo, source, setting.rapporteur, memo.current.number)
    memos.submit_for_review(memo)
    memos.approve(memo, memos.unresolved_names(memo))
    version = memos.publish(memo, setting.organizer, today=date(2030, 7, 1))
    db.session.commit()
    return version


def _numbers(workshop):
    return {rec.number: (rec.text, rec.in_memo) for rec in service.recommendations_of(workshop)}


def test_republishing_keeps_each_recommendations_number(reviewed, client):
    setting = reviewed(prepares_meeting="Second Meeting of the Network")
    _publish(setting, DRAFT)
    first = _numbers(setting.workshop)
    assert first == {1: ("Encourage each government to give its Focal Point a written mandate.", True),
                     2: ("Map who receives early warning information and who can act on it.", True)}
    recs = service.recommendations_of(setting.workshop)
    assert recs[0].meant_for == "Second Meeting of the Network"
    service.record_update(recs[1], status=RecommendationStatus.IN_PROGRESS, on=date.today() - timedelta(days=2),
                          note="A first map exists.", owner="Global Centre", by=setting.organizer)
    db.session.commit()
    reordered = DRAFT.replace(
        "- Encourage each government to give its Focal Point a written mandate.\n"
        "- Map who receives early warning information and who can act on it.\n",
        "- Set up a secure channel between meetings.\n"
        "- Map, for each member state, who receives early warning information and who can act on it.\n")
    _publish(setting, reordered)
    second = _numbers(setting.workshop)
    assert second[2] == ("Map, for each member state, who receives early warning information and who can act on it.",
                         True)
    assert second[1][1] is False  # left the memo, number kept
    assert second[3] == ("Set up a secure channel between meetings.", True)
    # The follow-up stays with its recommendation.
    kept = service.recommendation(setting.workshop, 2)
    assert kept.status == RecommendationStatus.IN_PROGRESS and kept.owner == "Global Centre"
    assert kept.first_version == 1 and kept.last_version == 2
    page = client.get(f"/w/{setting.workshop.slug}/recommendations").get_data(as_text=True)
    assert 'value="2"' in page and "in progress" in page and "A first map exists." in page
    assert "No longer in the memo" in page


def test_a_translation_published_does_not_number_again(reviewed):
    setting = reviewed()
    _publish(setting, DRAFT)
    french = memos.add_translation(setting.memo, "fr")
    memos.save(french, "## Recommandations\n\n- Une autre.\n", setting.rapporteur, None)
    memos.submit_for_review(french)
    memos.approve(french, memos.unresolved_names(french))
    memos.publish(french, setting.organizer)
    assert len(service.recommendations_of(setting.workshop)) == 2


def test_an_update_is_dated_audited_and_never_in_the_future(reviewed, client, login_as):
    setting = reviewed()
    _publish(setting, DRAFT)
    login_as(setting.organizer)
    url = f"/manage/w/{setting.workshop.slug}/recommendations/1"
    tomorrow = date.today() + timedelta(days=1)
    response = client.post(url, data={"status": "done", "on": tomorrow.isoformat(), "note": "", "owner": "",
                                      "meant_for": ""})
    assert response.status_code == 422 and 'role="alert"' in response.get_data(as_text=True)
    response = client.post(url, data={"status": "done", "on": date.today().isoformat(), "note": "Agreed.",
                                      "owner": "Denmark", "meant_for": "Second Meeting"})
    assert response.status_code == 302
    rec = service.recommendation(setting.workshop, 1)
    assert (rec.status, rec.owner, rec.meant_for) == ("done", "Denmark", "Second Meeting")
    assert rec.updates[0].on == date.today() and rec.updates[0].note == "Agreed."
    actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.workshop_id == setting.workshop.id)))
    assert {"recommendation.status_changed", "recommendation.updated", "recommendation.changed"} <= actions
    assert client.post(url, data={"status": "finished", "on": date.today().isoformat()}).status_code == 422


def test_the_series_page_and_the_next_workshop_show_the_recommendations(reviewed, make_workshop, client):
    setting = reviewed()
    workshops.update_workshop(setting.workshop, network="R2P  Focal Points Network")
    _publish(setting, DRAFT)
    first = service.recommendation(setting.workshop, 1)
    service.record_update(first, status=RecommendationStatus.DONE, on=date.today() - timedelta(days=3), by=setting.organizer)
    later = make_workshop(title="The next workshop", slug="next-one", start_date=date(2031, 3, 1),
                          end_date=date(2031, 3, 2), network="r2p focal points network")
    db.session.commit()
    assert later.series_id == setting.workshop.series_id  # one series, whatever the case and spaces
    series = setting.workshop.series
    assert series.slug == "r2p-focal-points-network"
    page = client.get("/series/r2p-focal-points-network/").get_data(as_text=True)
    assert setting.workshop.title in page and "The next workshop" in page
    # Open recommendations only: the done one is not among them.
    open_part = page[page.index("Open recommendations"):]
    assert "Map who receives" in open_part and "Encourage each government" not in open_part
    next_page = client.get("/w/next-one/").get_data(as_text=True)
    assert "Recommendations of the previous workshop" in next_page
    assert "Encourage each government" in next_page and "done" in next_page
    # An update on the earlier workshop shows on the next one's page at once (its cache token moves).
    service.record_update(service.recommendation(setting.workshop, 2), status=RecommendationStatus.DROPPED,
                          on=date.today() - timedelta(days=4), by=setting.organizer)
    db.session.commit()
    assert "dropped" in client.get("/w/next-one/").get_data(as_text=True)
    assert client.get("/series/no-such-series/").status_code == 404


def test_the_workshop_form_still_takes_the_series_by_name(reviewed):
    setting = reviewed()
    workshops.update_workshop(setting.workshop, network="A Network")
    assert setting.workshop.network == "A Network"
    workshops.update_workshop(setting.workshop, network="")
    assert setting.workshop.series is None and setting.workshop.network == ""
    assert db.session.scalar(sa.select(sa.func.count(Recommendation.id))) == 0
