"""A published memo's PDF is served from storage in one query; a revalidation reads no PDF bytes
(benchmark figure 1)."""

from benchmarks.pages import count_queries
from workshop.memos import service


def test_memo_pdf_download_and_revalidation_are_one_query_each(app, db, client, make_user, make_workshop):
    organizer = make_user()
    workshop = make_workshop(organizer, theme="Mass Violence and Atrocities")
    memo = service.memo_for(workshop)
    service.save(memo, "## Context\n\nWe met.\n", organizer, None)
    service.submit_for_review(memo)
    service.approve(memo)
    version = service.publish(memo, organizer)
    url = f"/w/{workshop.slug}/memo.pdf"
    with count_queries(db.engine) as download:
        response = client.get(url)
    assert response.data == version.pdf
    with count_queries(db.engine) as revalidation:
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert (download.count, revalidation.count) == (1, 1)
    assert "memo_versions.pdf " in download.statements[0] or "memo_versions.pdf\n" in download.statements[0]
    assert "memo_versions.pdf " not in revalidation.statements[0]
    stale = client.get(url, headers={"If-None-Match": '"an-older-version"'})
    assert stale.status_code == 200 and stale.data == version.pdf
