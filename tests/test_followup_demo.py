"""The demo as the contract describes it: the R2P memo's recommendations have a status at
/w/r2p-focal-points-2012/recommendations, the workshop belongs to the series
/series/r2p-focal-points-network/, and the open demo workshop, the next of the series, shows them."""

from datetime import date

import sqlalchemy as sa

from workshop.demo import OPEN_SLUG, R2P_SLUG, load_demo
from workshop.followup.models import Recommendation, RecommendationUpdate
from workshop.platform.db import db


def test_the_demo_recommendations_have_statuses_and_the_series_its_page(client):
    load_demo(today=date(2030, 1, 1))
    page = client.get(f"/w/{R2P_SLUG}/recommendations").get_data(as_text=True)
    assert "Set up a secure channel for Focal Points" in page
    for status in ("in progress", "done", "dropped", "open"):
        assert f">{status}<" in page, status
    assert "illustrative" in page
    series = client.get("/series/r2p-focal-points-network/")
    assert series.status_code == 200
    text = series.get_data(as_text=True)
    assert "R2P Focal Points Network" in text and "Mass Violence and Atrocities | Discussion Takeaways" in text
    assert "Map, for each member state" in text  # open
    assert "Set up a secure channel" not in text.split("Open recommendations")[1]  # done
    following = client.get(f"/w/{OPEN_SLUG}/").get_data(as_text=True)
    assert "Recommendations of the previous workshop" in following and "Set up a secure channel" in following
    counts = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Recommendation, RecommendationUpdate)]
    load_demo(today=date(2030, 1, 1))
    assert [db.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (Recommendation, RecommendationUpdate)] == counts == [6, 6]
    french = client.get(f"/w/{R2P_SLUG}/recommendations?lang=fr").get_data(as_text=True)
    assert "réalisée" in french and "Les recommandations et leur suivi" in french
