"""The memo as a printable document: facts gathered once, rendered to HTML, then to PDF."""

import base64
from dataclasses import dataclass, field
from datetime import date

from flask import render_template

from workshop.platform.pdf import render_pdf
from workshop.platform.templating import format_date_range, format_month_year


@dataclass(frozen=True)
class Convener:
    name: str
    logo_data_url: str | None = None


@dataclass(frozen=True)
class MemoDocument:
    title: str  # "<theme> | Discussion Takeaways"
    theme: str
    workshop_title: str
    conference: str
    dates: str
    place: str
    conveners: tuple[Convener, ...]
    dated: date
    body_html: str
    disclaimer: str
    credit: str
    lang: str = "en"
    draft: bool = False
    co_organizers: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def author(self) -> str:
        return "; ".join(c.name for c in self.conveners)

    @property
    def month_year(self) -> str:
        return format_month_year(self.dated, self.lang)

    @classmethod
    def from_memo(cls, workshop, title, source, html, disclaimer, credit, dated, *, draft=False, lang="en"):
        conveners = tuple(
            Convener(org.name, _logo_data_url(org)) for org in workshop.conveners
        )
        return cls(
            title=title,
            theme=workshop.theme or workshop.title,
            workshop_title=workshop.title,
            conference=workshop.conference,
            dates=format_date_range(workshop.start_date, workshop.end_date),
            place=", ".join(part for part in (workshop.venue, workshop.city) if part),
            conveners=conveners,
            co_organizers=co_organizers_of(workshop),
            dated=dated,
            body_html=html,
            disclaimer=disclaimer,
            credit=credit,
            draft=draft,
            lang=lang,
        )


def co_organizers_of(workshop) -> tuple[str, ...]:
    """The co-organizers the title block names beside the conveners (a convener that is also a
    co-organizer is named once, as convener)."""
    conveners = {org.id for org in workshop.conveners}
    return tuple(org.name for org in workshop.co_organizers if org.id not in conveners)


def _logo_data_url(organization) -> str | None:
    if not organization.has_logo or not organization.logo:
        return None
    encoded = base64.b64encode(organization.logo).decode("ascii")
    return f"data:{organization.logo_mimetype};base64,{encoded}"


def memo_html(document: MemoDocument) -> str:
    return render_template("pdf/memo.html", doc=document)


def render_memo_pdf(document: MemoDocument, fetcher=None) -> bytes:
    return render_pdf(memo_html(document), fetcher=fetcher)
