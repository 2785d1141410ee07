"""The five catalogs beside English are complete, and each entry can be used safely.

Read with babel.messages.pofile, as `make translations` writes them: every message of the
template (translations/messages.pot) is translated, none fuzzy, the placeholders of each
translation are those of its English message, and a plural entry has as many forms as the
language's Plural-Forms header says (Arabic six, Russian three, French and Spanish three in
CLDR's reckoning, Chinese one).
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("fr", "es", "ar", "zh", "ru")
EXPECTED_PLURALS = {"fr": 3, "es": 3, "ar": 6, "zh": 1, "ru": 3}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def template_ids():
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {message.id if isinstance(message.id, str) else message.id[0]
                for message in read_po(handle) if message.id}


def placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog(language) if m.id}
    missing = sorted(template_ids() - set(messages))
    empty = sorted(key for key, m in messages.items()
                   if not (m.string if isinstance(m.string, str) else all(m.string)))
    fuzzy = sorted(key for key, m in messages.items() if m.fuzzy)
    assert (missing, empty, fuzzy) == ([], [], [])


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_the_english(language):
    wrong = []
    for message in catalog(language):
        if not message.id:
            continue
        if isinstance(message.id, str):
            if placeholders(message.string) != placeholders(message.id):
                wrong.append((message.id, message.string))
        else:
            english = placeholders(message.id[1])
            wrong += [(message.id[1], form) for form in message.string if placeholders(form) != english]
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_fit_the_language(language):
    translations = catalog(language)
    assert translations.num_plurals == EXPECTED_PLURALS[language]
    plurals = [m for m in translations if m.id and not isinstance(m.id, str)]
    assert plurals, "the catalog has plural messages to check"
    assert [m.id[0] for m in plurals if len(m.string) != translations.num_plurals] == []


def test_the_template_is_current():
    """`make translations` was run after the last message was added: every gettext call in the
    code is in messages.pot (new strings would otherwise ship untranslated)."""
    from babel.messages.frontend import CommandLineInterface
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "fresh.pot"
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                    "-k", "_l", "-k", "N_", "--no-location", "-o", str(output), str(ROOT)])
        with open(output, "rb") as handle:
            fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert sorted(fresh - template_ids()) == []
