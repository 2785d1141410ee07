"""Countries by ISO 3166-1 alpha-2 code, from pycountry; their names in the reader's language
from Babel's CLDR data (English names from pycountry where CLDR has none)."""

from functools import lru_cache

import pycountry
from babel import Locale

from workshop.platform.i18n import current_language


def _english(country) -> str:
    return getattr(country, "common_name", country.name)


@lru_cache(maxsize=8)
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(language).territories
    named = [(c.alpha_2, territories.get(c.alpha_2) or _english(c)) for c in pycountry.countries]
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    return list(_choices_in(language or current_language()))


def country_name(code: str, language: str | None = None) -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return Locale.parse(language or current_language()).territories.get(country.alpha_2) or _english(country)


def country_code(value: str) -> str | None:
    """The alpha-2 code for a code (alpha-2 or alpha-3) or a name; None when unknown."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) in (2, 3):
        country = pycountry.countries.get(**{"alpha_%d" % len(value): value.upper()})
        if country:
            return country.alpha_2
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None
