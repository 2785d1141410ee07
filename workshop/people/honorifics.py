"""A person's honorific (H.E., Ambassador, Dr., Ms., ...) and the salutation it calls for.

Pure apart from the current language: takes codes and names, returns text. The honorific is
stored as a code from ``CODES`` (never free text), so a letter can address the person correctly
in each of the six languages; forms show the codes' labels, translated.

With no honorific the salutation is guessed from the name and position as typed ("H.E. Ama
Mensah" -> "Excellency,", an ambassador's position -> "Dear Ambassador,", anyone else "Dear
<name>,"), as letters did before there was a field for it.
"""

import functools
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from workshop.platform.i18n import LANGUAGES, current_language, in_language

HE, AMBASSADOR, MINISTER, DR, PROF, MR, MS, MX = "he", "ambassador", "minister", "dr", "prof", "mr", "ms", "mx"
# The order of the form's list: diplomatic styles first, then academic, then the common ones.
LABELS = {
    HE: _l("H.E. (His or Her Excellency)"),
    AMBASSADOR: _l("Ambassador"),
    MINISTER: _l("Minister"),
    DR: _l("Dr."),
    PROF: _l("Prof."),
    MR: _l("Mr."),
    MS: _l("Ms."),
    MX: _l("Mx."),
}
CODES = tuple(LABELS)
MAX_LENGTH = 20


def known(code: str | None) -> str:
    """``code`` when it is one of ``CODES``; else "" (no honorific)."""
    return code if code in LABELS else ""


def label(code: str | None) -> str:
    """The honorific as the reader's language writes it; "" for none."""
    return str(LABELS[code]) if code in LABELS else ""


def choices(none_label) -> list[tuple[str, object]]:
    """The form's options: none first, then every honorific."""
    return [("", none_label)] + list(LABELS.items())



# What a spreadsheet may say: the code, the label in any of the six languages (an export's
# Honorific column, read back), or the usual short and long English forms.
_ALIASES = {
    "h.e": HE, "his excellency": HE, "her excellency": HE, "excellency": HE, "s.e": HE,
    "amb": AMBASSADOR, "doctor": DR, "professor": PROF,
}


def _spelled(text: str) -> str:
    return " ".join((text or "").split()).casefold().rstrip(".")


@functools.cache
def _spellings() -> dict[str, str]:
    """Every spelling ``from_text`` knows, built once: an import reads up to thousands of rows,
    and the labels in six languages do not change while the process runs."""
    known = {code: code for code in LABELS}
    for language in LANGUAGES:
        with in_language(language):
            for code, words in LABELS.items():
                known.setdefault(_spelled(str(words)), code)
                known.setdefault(_spelled(str(words).split(" (")[0]), code)
    return {**known, **_ALIASES}


def from_text(text: str | None) -> str | None:
    """The code an honorific as typed stands for; "" when there is none; None when it is not
    one we know (the caller says so: guessing a title for someone is worse than asking)."""
    spelled = _spelled(text)
    if not spelled:
        return ""
    return _spellings().get(spelled)


# Salutations --------------------------------------------------------------------------------
#
# One table per language rather than catalog entries: languages differ in whether the name
# belongs in a formal salutation at all (French says "Monsieur l'Ambassadeur," with no name;
# English "Dear Ambassador Okafor,"), and a catalog entry must keep its English placeholders.
# "{surname}" is the name without its first word (the counterpart of {first_name}): "Chinedu
# Okafor" -> "Okafor", "Ana Ruiz García" -> "Ruiz García" (both Spanish surnames, as Spanish
# letters use them), "Anne van der Berg" -> "van der Berg"; a one-word name is used whole.
# "{name}" is the full name as typed.
#
# Where the honorific does not say the person's gender (H.E., Ambassador, Minister, Dr., Prof.,
# Mx.) the salutation does not guess it: English needs nothing; Chinese and Russian titles are
# not gendered (Russian "Уважаемый(ая)", the form Russian forms use for either); French,
# Spanish and Arabic give both forms, the usual practice in their formal letters when the
# gender is not known. Mr. and Ms. say it, so their salutations use it.
SALUTATIONS = {
    # Diplomatic English: "Excellency," alone; "Dear Ambassador <surname>,", as the UN writes.
    "en": {
        HE: "Excellency,",
        AMBASSADOR: "Dear Ambassador {surname},",
        MINISTER: "Dear Minister {surname},",
        DR: "Dear Dr. {surname},",
        PROF: "Dear Professor {surname},",
        MR: "Dear Mr. {surname},",
        MS: "Dear Ms. {surname},",
        MX: "Dear Mx. {surname},",
    },
    # French puts no name in a formal salutation: the title alone, with its article ("Monsieur
    # l'Ambassadeur,"). "Docteur," is invariable. French has no settled neutral civility for
    # Mx., so the full name alone opens the letter ("Camille Dupont,"), which is formal and
    # says no gender.
    "fr": {
        HE: "Excellence,",
        AMBASSADOR: "Madame l'Ambassadrice, Monsieur l'Ambassadeur,",
        MINISTER: "Madame la Ministre, Monsieur le Ministre,",
        DR: "Docteur,",
        PROF: "Madame la Professeure, Monsieur le Professeur,",
        MR: "Monsieur,",
        MS: "Madame,",
        MX: "{name},",
    },
    # Spanish formal letters end the salutation with a colon. Both genders with a slash
    # ("Estimado/a"), the usual neutral form of Spanish forms and letters.
    "es": {
        HE: "Excelencia:",
        AMBASSADOR: "Estimado/a Embajador/a {surname}:",
        MINISTER: "Estimado/a Ministro/a {surname}:",
        DR: "Estimado/a Dr./Dra. {surname}:",
        PROF: "Estimado/a Profesor/a {surname}:",
        MR: "Estimado Sr. {surname}:",
        MS: "Estimada Sra. {surname}:",
        MX: "Estimado/a {name}:",
    },
    # Arabic protocol: "سعادة" (Excellency) for heads of mission, "معالي" for ministers; both
    # genders with a slash. "حضرة" opens a formal address without saying the gender.
    "ar": {
        HE: "صاحب/صاحبة السعادة،",
        AMBASSADOR: "سعادة السفير/السفيرة {surname}،",
        MINISTER: "معالي الوزير/الوزيرة {surname}،",
        DR: "حضرة الدكتور/الدكتورة {surname} المحترم/المحترمة،",
        PROF: "حضرة الأستاذ الدكتور/الأستاذة الدكتورة {surname} المحترم/المحترمة،",
        MR: "السيد {surname} المحترم،",
        MS: "السيدة {surname} المحترمة،",
        MX: "حضرة {name} المحترم/المحترمة،",
    },
    # Chinese: "尊敬的" + surname + title + full-width colon; the surname stays as typed
    # (a Latin name is not transliterated). Titles have no gender but 先生 and 女士.
    "zh": {
        HE: "尊敬的阁下：",
        AMBASSADOR: "尊敬的{surname}大使：",
        MINISTER: "尊敬的{surname}部长：",
        DR: "尊敬的{surname}博士：",
        PROF: "尊敬的{surname}教授：",
        MR: "尊敬的{surname}先生：",
        MS: "尊敬的{surname}女士：",
        MX: "尊敬的{name}：",
    },
    # Russian formal letters end the salutation with "!". Protocol addresses an ambassador or a
    # minister by title alone ("Уважаемый господин Посол!"), with both genders given; "доктор"
    # and "профессор" serve either gender and take the surname; "Уважаемый(ая)" is the neutral form.
    "ru": {
        HE: "Ваше Превосходительство!",
        AMBASSADOR: "Уважаемый(ая) господин (госпожа) Посол!",
        MINISTER: "Уважаемый(ая) господин (госпожа) Министр!",
        DR: "Уважаемый(ая) доктор {surname}!",
        PROF: "Уважаемый(ая) профессор {surname}!",
        MR: "Уважаемый господин {surname}!",
        MS: "Уважаемая госпожа {surname}!",
        MX: "Уважаемый(ая) {name}!",
    },
}

# A title people type into the name field ("Dr. Jin Lee", "H.E. Ama Mensah"): not part of the
# surname once the honorific field says it.
_TITLE_WORDS = re.compile(r"^(?:H\.\s?E\.|S\.\s?E\.(?:\s?M\.)?|Dr\.?|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Mx\.?|Amb\.?)\s+",
                          re.IGNORECASE)


def surname(name: str) -> str:
    """The name without its first word (and without a title typed into it); a one-word name whole."""
    words = _TITLE_WORDS.sub("", " ".join((name or "").split())).split()
    return " ".join(words[1:]) if len(words) > 1 else " ".join(words)


def salutation(name: str, position: str = "", code: str | None = "", language: str | None = None) -> str:
    """The opening line for this person, in ``language`` (default: the current one)."""
    code = known(code)
    if not code:
        return guessed_salutation(name, position)
    table = SALUTATIONS.get(language or current_language(), SALUTATIONS["en"])
    clean = " ".join((name or "").split())
    return table[code].format(surname=surname(clean), name=clean)


# Without an honorific: the guess ---------------------------------------------------------------

_EXCELLENCY = re.compile(r"^\s*(?:H\.\s?E\.|HE\b|His Excellency|Her Excellency|S\.\s?E\.(?:\s?M\.)?|Son Excellence|"
                         r"Su Excelencia|Его Превосходительство|Ее Превосходительство|Её Превосходительство|"
                         r"阁下|سعادة|معالي)", re.IGNORECASE)
_AMBASSADOR = re.compile(r"ambassador|permanent representative|ambassadeur|ambassadrice|représentant\w* permanent|"
                         r"embajador|embajadora|representante permanente|посол|постоянный представитель|"
                         r"大使|常驻代表|سفير|سفيرة|المندوب الدائم|المندوبة الدائمة", re.IGNORECASE)

EXCELLENCY, AMBASSADOR_GUESS, PLAIN = "excellency", "ambassador", "plain"


def guess(name: str, position: str = "") -> str:
    if _EXCELLENCY.match(name or ""):
        return EXCELLENCY
    if _AMBASSADOR.search(position or ""):
        return AMBASSADOR_GUESS
    return PLAIN


def guessed_salutation(name: str, position: str = "") -> str:
    """The salutation the name and position as typed suggest, in the current language."""
    kind = guess(name, position)
    if kind == EXCELLENCY:
        return _("Excellency,")
    if kind == AMBASSADOR_GUESS:
        return _("Dear Ambassador,")
    return _("Dear %(name)s,", name=name)
