"""A published memo's PDF is served from storage: a revalidation costs one query and reads no
PDF bytes; a download two queries (issue 8, figure 1)."""

from benchmarks.pages import count_queries
from workshop.memos import service


def test_memo_pdf_revalidation_is_one_query_and_a_download_two(app, db, client, make_user, make_workshop):
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
    assert (download.count, revalidation.count) == (2, 1)
    assert not any("memo_versions.pdf," in s or "memo_versions.pdf " in s for s in revalidation.statements)
