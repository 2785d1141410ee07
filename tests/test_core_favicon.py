"""The site has an icon: every page links it, and /favicon.ico (which browsers ask for
regardless) answers with it instead of a 404."""

import re


def test_every_page_links_the_icon_and_favicon_ico_answers(client):
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link, "the page links no icon"
    icon = client.get(link.group(1))
    assert icon.status_code == 200 and icon.data.startswith(b"<svg")
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 200 and legacy.mimetype == "image/svg+xml"
    assert legacy.data == icon.data
