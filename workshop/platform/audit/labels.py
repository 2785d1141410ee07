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
    "memo.notes_added": _l("Memo: newly approved notes added"),
    "memo.restored": _l("Memo: older revision restored"),
    "memo.settings_changed": _l("Memo settings changed"),
    "memo.state_changed": _l("Memo: status changed"),
    "memo.name_accepted": _l("Memo: words the check flagged accepted, with a reason"),
    "memo.acceptance_withdrawn": _l("Memo: accepted words flagged again"),
    "registration.personal_data_purged": _l("Participants' personal data removed (retention period over)"),
    "registration.links_revoked": _l("Registrant's links revoked"),
    "invitation.links_revoked": _l("Invitee's links revoked"),
    "registration.state_changed": _l("Registration: status changed"),
    "registration.seated_above_capacity": _l("Registration: seated above capacity on purpose"),
    "registration.exported": _l("Registration list exported"),
    "registration.settings_changed": _l("Registration settings changed"),
    "invitation.accepted": _l("Invitation accepted"),
    "invitation.declined": _l("Invitation declined"),
    "invitation.expired": _l("Invitation expired or withdrawn"),
    "organization.merged": _l("Organization merged into another"),
    "category.added": _l("Participant category added"),
    "category.renamed": _l("Participant category renamed"),
    "category.deleted": _l("Participant category deleted"),
    "category.contacts_filed": _l("Contacts put in a participant category"),
}


def describe(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
