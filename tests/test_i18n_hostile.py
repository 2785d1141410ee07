"""The hostile corpus through the language inputs: `?lang=` on a page (and the other arguments
the switcher carries over), the workshop's language fields and a contact's preferred language.
A hostile value is ignored or refused in words, never printed unescaped, never a 500."""

import re

import pytest

from tests.support.hostile import HOSTILE, form_body
from tests.test_security_hostile_input import VALID_WORKSHOP, Findings, post


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def organizer(make_user, login_as):
    user = make_user(email="hostile-languages@example.org", can_create_workshops=True)
    login_as(user)
    return user


def test_hostile_lang_and_other_arguments_are_ignored_or_escaped(client, make_workshop):
    make_workshop(slug="nyc")
    findings = Findings()
    for label, value in HOSTILE.items():
        for path in ("/", "/w/nyc/"):
            response = client.get(path + "?" + form_body({"lang": value, "q": value}).decode("ascii"))
            # A NUL anywhere in the address is refused before any view (platform.security).
            findings.check(response, label, value, f"{path}?lang=", allowed=(200, 400))
            tag = re.search(r"<html[^>]*>", response.get_data(as_text=True)).group()
            if tag not in {f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">'
                           for code in ("en", "fr", "es", "ar", "zh", "ru")}:
                findings.append(f"{label!r}: {tag}")
            cookie = response.headers.get("Set-Cookie", "")
            if cookie and not re.match(r"lang=(en|fr|es|ar|zh|ru);", cookie):
                findings.append(f"{label!r}: cookie {cookie!r}")
        client.delete_cookie("lang")
    assert findings == []


def test_hostile_workshop_languages_are_refused_in_words(client, organizer):
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        fields = {"title": f"Plain {n}", "slug": f"languages-{n}", **VALID_WORKSHOP,
                  "default_language": value, "languages": value}
        findings.check(post(client, "/manage/workshops/new", fields), label, value,
                       "new workshop (languages)", allowed=(422,))
    assert findings == []


def test_hostile_contact_language_is_refused_in_words(client, organizer, make_workshop):
    make_workshop(organizer)  # the contact directory is for organizers
    findings = Findings()
    for n, (label, value) in enumerate(HOSTILE.items()):
        fields = {"name": f"Contact {n}", "email": f"language-{n}@example.org", "language": value}
        findings.check(post(client, "/manage/contacts/new", fields), label, value,
                       "new contact (language)", allowed=(422,))
    assert findings == []
