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
}


def describe(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
