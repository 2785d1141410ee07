"""The attribution rule a workshop, or one of its sessions, is held under.

On the record: what is said may be attributed. Chatham House Rule: what is said may be reported,
but not who said it, nor their affiliation; the participant list is for the participants. Closed:
nothing is recorded, so a closed session's notes never enter the memo.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class AttributionRule(StrEnum):
    ON_RECORD = "on_record"
    CHATHAM_HOUSE = "chatham_house"
    CLOSED = "closed"


DEFAULT_RULE = AttributionRule.CHATHAM_HOUSE
# From the least strict to the strictest.
STRICTNESS = (AttributionRule.ON_RECORD, AttributionRule.CHATHAM_HOUSE, AttributionRule.CLOSED)

LABELS = {
    AttributionRule.ON_RECORD: _l("On the record"),
    AttributionRule.CHATHAM_HOUSE: _l("Chatham House Rule"),
    AttributionRule.CLOSED: _l("Closed (no record)"),
}
EXPLANATIONS = {
    AttributionRule.ON_RECORD: _l("On the record: what is said may be attributed to the speaker."),
    AttributionRule.CHATHAM_HOUSE: _l(
        "Chatham House Rule: participants are free to use the information received, but neither the "
        "identity nor the affiliation of the speaker, nor that of any other participant, may be revealed."),
    AttributionRule.CLOSED: _l("Closed: the discussion is not recorded, and nothing of it enters the memo."),
}


def strictest(rules, default: str = DEFAULT_RULE) -> str:
    """The strictest of ``rules``; ``default`` when there are none."""
    known = [rule for rule in rules if rule in STRICTNESS]
    return max(known, key=STRICTNESS.index) if known else default


def label(rule: str) -> str:
    return str(LABELS.get(rule, rule))


def explanation(rule: str) -> str:
    return str(EXPLANATIONS.get(rule, ""))
