"""Countries by ISO 3166-1 alpha-2 code, from pycountry."""

from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    countries = sorted(pycountry.countries, key=lambda c: getattr(c, "common_name", c.name))
    return [(c.alpha_2, getattr(c, "common_name", c.name)) for c in countries]


def country_name(code: str) -> str:
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", country.name) if country else code


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
