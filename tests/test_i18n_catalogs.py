"""The five catalogs beside English are complete, and each entry can be used safely.

Read with babel.messages.pofile, as `make translations` writes them: every message of the
template (translations/messages.pot) is translated, none fuzzy, the placeholders of each
translation are those of its English message, and a plural entry has as many forms as the
language's Plural-Forms header says, and that header is Babel's CLDR rule for the language
(Arabic six, Russian three, French and Spanish three, Chinese one with Babel 2.19).
"""

import gettext
import re
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("fr", "es", "ar", "zh", "ru")
# Integers that reach every CLDR category of the six languages (a million for the French and
# Spanish "many"; 100-102 for the Arabic "other").
SAMPLE_NUMBERS = [*range(0, 250), 1000, 1001, 1_000_000, 2_000_000, 1_000_001]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def key(message):
    """A message's msgid (the singular of a plural) and its context: the same English word in
    two contexts ("draft" memo, "draft" workshop) is two messages."""
    return (message.id if isinstance(message.id, str) else message.id[0], message.context)


def template_ids():
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {key(message) for message in read_po(handle) if message.id}


def placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    messages = {key(m): m for m in catalog(language) if m.id}
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


def cldr_categories(language):
    """CLDR's plural category of each sample integer, from Babel's locale data. A category only
    fractions reach (Russian "other") has no form in a gettext catalog, which counts integers."""
    rule = Locale.parse(language).plural_form
    return [rule(n) for n in SAMPLE_NUMBERS]


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_header_is_babels_cldr_rule(language):
    translations = catalog(language)
    categories = cldr_categories(language)
    assert translations.num_plurals == len(set(categories))
    # The header's expression sends two numbers to the same form exactly when CLDR puts them
    # in the same category.
    header_form = gettext.c2py(translations.plural_expr)
    pairs = {(category, header_form(n)) for category, n in zip(categories, SAMPLE_NUMBERS)}
    assert len(pairs) == len(set(categories)) == len({form for _, form in pairs})
    assert {form for _, form in pairs} == set(range(translations.num_plurals))


def test_the_expected_counts_per_language():
    """What the glossary says, held against Babel's data."""
    assert {language: len(set(cldr_categories(language))) for language in LANGUAGES} == {
        "fr": 3, "es": 3, "ar": 6, "zh": 1, "ru": 3}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_entry_fills_every_form(language):
    translations = catalog(language)
    plurals = [m for m in translations if m.id and not isinstance(m.id, str)]
    assert plurals, "the catalog has plural messages to check"
    assert [m.id[0] for m in plurals if len(m.string) != translations.num_plurals or not all(m.string)] == []


def test_the_template_is_current():
    """`make translations` was run after the last message was added: every gettext call in the
    code is in messages.pot (new strings would otherwise ship untranslated)."""
    from babel.messages.frontend import CommandLineInterface
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "fresh.pot"
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                    "-k", "_l", "-k", "N_", "-k", "lazy_pgettext:1c,2", "--no-location", "-o", str(output), str(ROOT)])
        with open(output, "rb") as handle:
            fresh = {key(m) for m in read_po(handle) if m.id}
    assert sorted(fresh - template_ids()) == []
