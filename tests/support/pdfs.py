"""Fetching a PDF that the worker renders (``workshop.platform.stored_pdfs``)."""

from tests.support.smtp import deliver_outbox


def fetch_pdf(client, url: str, **options):
    """What ``url`` serves once the worker has rendered it: the first answer says, in words, that
    the PDF is being prepared and reloads itself; a worker round stores it; the second answer is
    the PDF. An answer that is not "being prepared" (a 404, a PDF stored already) is returned."""
    first = client.get(url, **options)
    if first.status_code != 202:
        return first
    # (In the page's language: "being prepared" is checked in English by the tests of the route.)
    assert first.headers["Refresh"] and 'http-equiv="refresh"' in first.get_data(as_text=True)
    deliver_outbox(client.application)
    return client.get(url, **options)
