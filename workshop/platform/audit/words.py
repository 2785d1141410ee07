"""The audit log in words: what each detail key means, the states and kinds of record it names,
translated. Stored entries keep their codes (``from_state``, ``AgendaItem``); only the page
that shows them turns them into words, so a new language reads old entries too."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DETAIL_LABELS = {
    "title": _l("Title"), "name": _l("Name"), "email": _l("Email"), "role": _l("Role"),
    "reason": _l("Reason"), "revision": _l("Revision"), "from_revision": _l("Restored from revision"),
    "session": _l("Session"), "agenda_item_id": _l("Agenda item (reference)"),
    "tell_participants": _l("Participants told"), "sessions": _l("Sessions"), "item": _l("Item"),
    "tokens": _l("Links revoked"), "contacts": _l("Contacts"), "changes": _l("Changes"),
    "workshops": _l("Workshops"), "slug": _l("Web address"), "seats_taken": _l("Seats taken"),
    "rows": _l("Rows"), "registrations": _l("Registrations"), "old": _l("Before"), "new": _l("After"),
    "messages": _l("Messages"), "merged": _l("Merged"), "into": _l("Into"),
    "logo_replaced": _l("Logo replaced"), "invitations": _l("Invitations"), "format": _l("Format"),
    "filters": _l("Filters"), "files": _l("Files"), "fields": _l("Fields"), "changed": _l("Changed"),
    "capacity": _l("Capacity"), "sensitive": _l("Sensitive answers included"), "number": _l("Number"), "by": _l("By"), "audit_entries": _l("Log entries"),
    # Fields named inside "changes".
    "venue": _l("Venue"), "city": _l("City"), "timezone": _l("Time zone"),
    "start_date": _l("First day"), "end_date": _l("Last day"), "description": _l("Description"),
    "position": _l("Title or position"), "organization": _l("Organization"), "country": _l("Country"),
    "language": _l("Language"), "starts_at": _l("Starts"), "ends_at": _l("Ends"), "room": _l("Room"),
    "honorific": _l("Honorific"),
}
# A from_<x> and to_<x> pair is one line: "Status: pending → confirmed".
PAIRS = {"state": _l("Status"), "status": _l("Visibility")}
VALUE_WORDS = {
    "unconfirmed": _l("unconfirmed"), "pending": _l("pending"), "confirmed": _l("confirmed"),
    "waitlisted": _l("waitlisted"), "rejected": _l("rejected"), "withdrawn": _l("withdrawn"),
    "expired": _l("expired"), "accepted": _l("accepted"), "declined": _l("declined"),
    "draft": _l("draft"), "submitted": _l("submitted"), "approved": _l("approved"),
    "in_review": _l("in review"), "published": _l("published"), "archived": _l("archived"),
    "cancelled": _l("cancelled"), "organizer": _l("organizer"), "rapporteur": _l("rapporteur"),
}
KIND_WORDS = {
    "Registration": _l("registration"), "Invitation": _l("invitation"),
    "AgendaItem": _l("agenda item"), "Memo": _l("memo"), "Note": _l("session notes"),
    "Category": _l("participant category"), "Contact": _l("contact"),
    "WorkshopMember": _l("team member"), "Organization": _l("organization"),
    "RegistrationSettings": _l("registration settings"), "User": _l("account"),
}
# Details that already say what the entry is about: the kind of record adds nothing then.
NAMING_KEYS = ("title", "name", "email", "session")


def value_words(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "; ".join(f"{label_of(k)}: {_change(v)}" for k, v in sorted(value.items()))
    if isinstance(value, (list, tuple)):
        return ", ".join(value_words(v) for v in value)
    return str(VALUE_WORDS.get(value, value)) if isinstance(value, str) else str(value)


def _change(value) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{value_words(value[0])} → {value_words(value[1])}"
    return value_words(value)


def label_of(key: str) -> str:
    return str(DETAIL_LABELS.get(key, key.replace("_", " ")))


def detail_lines(detail: dict | None) -> list[tuple[str, str]]:
    """(label, words) for each detail of an entry, in a stable order."""
    detail = dict(detail or {})
    lines = []
    for key, label in PAIRS.items():
        if f"from_{key}" in detail or f"to_{key}" in detail:
            lines.append((str(label), f"{value_words(detail.pop(f'from_{key}', None))} → "
                                      f"{value_words(detail.pop(f'to_{key}', None))}"))
    if "session" in detail:
        detail.pop("agenda_item_id", None)
    lines += [(label_of(key), value_words(value)) for key, value in sorted(detail.items())]
    return lines


def object_words(object_type: str, detail: dict | None) -> str:
    """The kind of record an entry is about ("registration"), or "" when its details name it
    already or it is the workshop itself."""
    if not object_type or object_type.lower() == "workshop" or any(k in (detail or {}) for k in NAMING_KEYS):
        return ""
    return str(KIND_WORDS.get(object_type, object_type))


# Actors recorded in words rather than as an account.
ACTOR_WORDS = {
    "system": _l("the system (scheduled task)"),
    "registrant via token": _l("the registrant, through their personal link"),
    "invitee via link": _l("the invitee, through their personal link"),
}


def actor_words(label: str) -> str:
    return str(ACTOR_WORDS.get(label, label))
