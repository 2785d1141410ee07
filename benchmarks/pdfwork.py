"""The PDF work the benchmarks time: the app's memo renderer and raw WeasyPrint on the same input.

``memo_renderer(slug)`` is the hook to the memo feature (``workshop.memos``). On a build
without it, ``raw_render_seed`` renders a six-page document made from the seed memo with a
plain stylesheet, so the raw-WeasyPrint baseline and the memory figure still have something
real to measure.

The agenda PDF and the memo's draft preview are rendered by the mail worker, not in the web
request: a route answers 202 "being prepared" until then. ``fetch_stored_pdf`` asks, runs the
worker's PDF round in this process against the benchmark's database, and checks that the answer
is then the PDF, so the figures measure the PDF and never the waiting page.
"""

from dataclasses import dataclass
from collections.abc import Callable
from functools import lru_cache
from html import escape

import weasyprint

# The body of the seed memo (shared/seed/discussion-takeaways-2012.txt), kept here so a fresh
# clone has the same input.
SEED_PARAGRAPHS = (
    'The 2005 United Nations World Summit Outcome Document outlined the unequivocal responsibility of states and the international community to protect populations from genocide, crimes against humanity, ethnic cleansing and war crimes. In doing so, states committed to taking steps at the domestic, regional, and international level to protect populations from mass atrocities and making the promise of “never again” a reality.',
    'In September 2010 the Global Centre for the Responsibility to Protect, in association with the governments of Denmark and Ghana, launched an initiative to support governments in their efforts to operationalize the Responsibility to Protect (R2P) at the national level through the appointment of R2P Focal Points.',
    'Focal Points are senior officials mandated to enable national efforts to improve mass atrocity prevention and response. The initiative seeks to expand the number of R2P Focal Points appointed by national governments and to link these Focal Points within a global network designed to facilitate international cooperation and coordination in pursuit of protection-focused objectives. Costa Rica and Australia have since joined Denmark, Ghana and the Global Centre for the Responsibility to Protect as co-organizers of the initiative and the Focal Points Network.',
    'In advance of the second formal meeting of this Focal Points Network, the Global Centre for the Responsibility to Protect and the Stanley Center convened R2P Focal Points and other national representatives, UN mission ambassadors and experts, UN officials, and mass atrocity specialists for a preparatory workshop to address the challenges faced by individual R2P Focal Points and their developing global network. They gathered February 24-26, 2012, as part of the Stanley Center’s 43rd United Nations Issues Conference.',
)

SEED_CSS = """
@page { size: A4; margin: 25mm 20mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
body { font-family: serif; font-size: 11pt; line-height: 1.45; }
h1 { font-family: sans-serif; font-size: 20pt; } h2 { font-family: sans-serif; font-size: 13pt; }
"""


def memo_source(sections: int = 7) -> str:
    """Markdown for a long memo: the seed's paragraphs under numbered session headings.

    ``sections`` is calibrated so the published memo comes out at six pages."""
    paragraphs = SEED_PARAGRAPHS
    parts = ["Observations from the discussion are outlined in this policy memo."]
    for number in range(1, sections + 1):
        parts.append(f"## Session {number}: observations")
        parts.extend(paragraphs)
        parts.append("- Focal Points need a clear mandate.\n- Networks help share practice.\n"
                     "- Early warning needs follow-up.")
    return "\n\n".join(parts)


@lru_cache(maxsize=1)
def seed_html(sections: int = 7) -> str:
    body = []
    for block in memo_source(sections).split("\n\n"):
        if block.startswith("## "):
            body.append(f"<h2>{escape(block[3:])}</h2>")
        elif block.startswith("- "):
            items = "".join(f"<li>{escape(line[2:])}</li>" for line in block.splitlines())
            body.append(f"<ul>{items}</ul>")
        else:
            body.append(f"<p>{escape(block)}</p>")
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Benchmark memo</title>"
        f"<style>{SEED_CSS}</style></head><body><h1>Mass Violence and Atrocities | "
        f"Discussion Takeaways</h1>{''.join(body)}</body></html>"
    )


def raw_render(html: str, base_url: str | None = None) -> bytes:
    """WeasyPrint with nothing of ours around it: default fetcher, default options."""
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()


def raw_render_seed() -> bytes:
    return raw_render(seed_html())


@dataclass
class MemoRenderer:
    """The app's memo render and raw WeasyPrint on the same HTML and CSS."""

    html: str
    base_url: str
    render: Callable[[], bytes]  # the app's own path (template, fetcher, options)

    def raw(self) -> bytes:
        return raw_render(self.html, self.base_url)


def memo_renderer(slug: str) -> MemoRenderer | None:
    """Hook for feature/memo. Needs an app context. None when the memo feature is missing or
    the workshop has no memo."""
    try:
        from workshop.memos import service as memos
        from workshop.memos.document import MemoDocument, memo_html, render_memo_pdf
    except ImportError:
        return None
    import sqlalchemy as sa

    from workshop.platform.db import db
    from workshop.paths import STATIC_DIR
    from workshop.workshops.models import Workshop

    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    memo = memos.get_memo(workshop) if workshop is not None else None
    if memo is None or memo.current is None:
        return None
    head = memo.current
    document = MemoDocument.from_memo(
        workshop, memos.memo_title(workshop), head.source, head.html, memo.disclaimer,
        memo.credit, memo.dated or workshop.end_date,
    )
    html = memo_html(document)
    return MemoRenderer(html=html, base_url=STATIC_DIR.as_uri() + "/",
                        render=lambda: render_memo_pdf(document))


# PDFs the web asks for and the mail worker renders (workshop/platform/stored_pdfs.py) ----------


def render_stored_pdfs(app) -> int:
    """The mail worker's PDF round (``stored_pdfs.render_waiting``, which ``flask worker`` runs
    before it delivers mail) in this process and committed, until nothing waits; how many PDFs
    it rendered. Only that round: the queued mail and the memo's published versions are left to
    the figures that time ``flask worker`` itself."""
    from workshop.platform import stored_pdfs
    from workshop.platform.db import db

    rendered = 0
    with app.app_context():
        while done := stored_pdfs.render_waiting():
            db.session.commit()
            rendered += done
        db.session.commit()
    return rendered


def require_pdf(what: str, status: int, content_type: str | None, body: bytes) -> None:
    """Raises unless the answer is the PDF itself: a figure must never time the 202 "being
    prepared" page in its place."""
    if status != 200 or not (content_type or "").startswith("application/pdf") or not body.startswith(b"%PDF"):
        raise RuntimeError(f"{what} answered {status} {content_type or '(no type)'}, not a 200 application/pdf")


def fetch_stored_pdf(app, get: Callable[[], tuple[int, str | None, bytes]], what: str) -> bytes:
    """The PDF ``get()`` answers once the worker has rendered it: the first answer, a 202 "being
    prepared", is what asks for it; the worker's round renders it here; the second answer must
    be the PDF (``require_pdf``). ``get() -> (status, content type, body)``."""
    status, content_type, body = get()
    if status == 202:
        render_stored_pdfs(app)
        status, content_type, body = get()
    require_pdf(what, status, content_type, body)
    return body
