"""Words for the actions in the audit log. Features add their own: ``ACTION_LABELS[code] = _l(...)``."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "workshop.created": _l("Workshop created"),
    "workshop.updated": _l("Workshop details changed"),
    "workshop.status_changed": _l("Visibility changed"),
    "team.member_added": _l("Added to the team"),
    "team.member_removed": _l("Removed from the team"),
    "organization.created": _l("Organization created"),
    "organization.updated": _l("Organization changed"),
    "agenda.item_created": _l("Agenda item added"),
    "agenda.item_changed": _l("Agenda item changed"),
    "agenda.item_cancelled": _l("Agenda item cancelled"),
    "agenda.item_reinstated": _l("Agenda item reinstated"),
    "notes.state_changed": _l("Session notes: status changed"),
    "notes.restored": _l("Session notes: older revision restored"),
    "memo.compiled": _l("Memo compiled from the notes"),
    "memo.restored": _l("Memo: older revision restored"),
    "memo.settings_changed": _l("Memo settings changed"),
    "memo.state_changed": _l("Memo: status changed"),
}


def describe(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
