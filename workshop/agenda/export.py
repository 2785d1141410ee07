"""The agenda as a JSON document (shape documented in the README). Pure: no database, no request."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from workshop.calendar.ics import CalendarSettings, session_page_url, session_uid, workshop_uid

FORMAT_VERSION = 1


def _person(contact) -> dict:
    return {"name": contact.name, "organization": contact.organization or ""}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def agenda_document(workshop, items, settings: CalendarSettings) -> dict:
    zone = ZoneInfo(workshop.timezone)
    base = f"/w/{workshop.slug}"
    return {
        "format": FORMAT_VERSION,
        "workshop": {
            "id": workshop.id,
            "uid": workshop_uid(workshop, settings.host),
            "slug": workshop.slug,
            "title": workshop.title,
            "timezone": workshop.timezone,
            "start_date": workshop.start_date.isoformat(),
            "end_date": workshop.end_date.isoformat(),
            "venue": workshop.venue or "",
            "city": workshop.city or "",
            "url": settings.url(f"{base}/"),
            "agenda_url": settings.url(f"{base}/agenda"),
            "calendar_url": settings.url(f"{base}/calendar.ics"),
            # on_record, chatham_house or closed: what may be reported of the discussions.
            "attribution_rule": str(workshop.attribution_rule),
        },
        "items": [
            {
                "id": item.id,
                "uid": session_uid(item, settings.host),
                "kind": item.kind,
                "status": item.status,
                "title": item.title,
                "description": item.description or "",
                "guiding_questions": _lines(item.guiding_questions),
                "starts_at": item.starts_at.astimezone(zone).isoformat(timespec="seconds"),
                "ends_at": item.ends_at.astimezone(zone).isoformat(timespec="seconds"),
                "room": item.room or "",
                # The rule the session is held under: its own, else the workshop's.
                "attribution_rule": str(item.rule),
                "chairs": [_person(c) for c in item.chairs],
                "speakers": [_person(c) for c in item.speakers],
                "sequence": item.sequence or 0,
                "updated_at": item.updated_at.isoformat(timespec="seconds"),
                "url": session_page_url(workshop, item, settings),
                "ics_url": settings.url(f"{base}/sessions/{item.id}.ics")
                if item.status == "scheduled" else None,
            }
            for item in sorted(items, key=lambda i: (i.starts_at, i.ends_at, i.id))
        ],
    }
