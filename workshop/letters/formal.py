"""The formal parts of a letter: the salutation a person's honorific calls for.

Pure: takes a name and a position as people typed them. "H.E. Ama Mensah" (or "His/Her
Excellency", "S.E.", "S.E.M.") is addressed "Excellency,"; an ambassador or a permanent
representative "Dear Ambassador,"; anyone else "Dear <name>,". Words come from the catalog, so
each language says them its own way.
"""

import re

from flask_babel import gettext as _

_EXCELLENCY = re.compile(r"^\s*(?:H\.\s?E\.|HE\b|His Excellency|Her Excellency|S\.\s?E\.(?:\s?M\.)?|Son Excellence|"
                         r"Su Excelencia|Его Превосходительство|Ее Превосходительство|Её Превосходительство|"
                         r"阁下|سعادة|معالي)", re.IGNORECASE)
_AMBASSADOR = re.compile(r"ambassador|permanent representative|ambassadeur|ambassadrice|représentant\w* permanent|"
                         r"embajador|embajadora|representante permanente|посол|постоянный представитель|"
                         r"大使|常驻代表|سفير|سفيرة|المندوب الدائم|المندوبة الدائمة", re.IGNORECASE)

EXCELLENCY, AMBASSADOR, PLAIN = "excellency", "ambassador", "plain"


def honorific(name: str, position: str = "") -> str:
    if _EXCELLENCY.match(name or ""):
        return EXCELLENCY
    if _AMBASSADOR.search(position or ""):
        return AMBASSADOR
    return PLAIN


def salutation(name: str, position: str = "") -> str:
    """The opening line for this person, in the current language."""
    kind = honorific(name, position)
    if kind == EXCELLENCY:
        return _("Excellency,")
    if kind == AMBASSADOR:
        return _("Dear Ambassador,")
    return _("Dear %(name)s,", name=name)
