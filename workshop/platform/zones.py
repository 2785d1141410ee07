"""Time zones as people name them: by city, in their language, as well as by IANA name.

The form field offers every zone as "Europe/Zurich — Zurich, Geneva (UTC+01:00)" and takes
back an IANA name, one of those labels, or a city ("Geneva", "Genève", "New York")."""

import unicodedata
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import get_timezone_location

REGIONS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/",
           "Indian/", "Pacific/")
# Cities where workshops meet that are not the city a zone is named after.
CITY_ZONES = {
    "geneva": "Europe/Zurich", "geneve": "Europe/Zurich", "ginebra": "Europe/Zurich", "bern": "Europe/Zurich",
    "женева": "Europe/Zurich", "جنيف": "Europe/Zurich", "日内瓦": "Europe/Zurich",
    "washington": "America/New_York", "washington dc": "America/New_York", "boston": "America/New_York",
    "ottawa": "America/Toronto", "montreal": "America/Toronto", "san francisco": "America/Los_Angeles",
    "the hague": "Europe/Amsterdam", "la haye": "Europe/Amsterdam", "beijing": "Asia/Shanghai",
    "new delhi": "Asia/Kolkata", "delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
    "canberra": "Australia/Sydney", "abuja": "Africa/Lagos", "geneva switzerland": "Europe/Zurich",
}
LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")


def _key(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace(".", " ").replace("-", " ").casefold().split())


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(z for z in available_timezones() if z.startswith(REGIONS)))


@lru_cache(maxsize=1)
def _by_city() -> dict[str, str]:
    found = {}
    for zone in zone_names():
        found.setdefault(_key(zone.rsplit("/", 1)[-1]), zone)
        for language in LANGUAGES:
            found.setdefault(_key(get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)), zone)
    found.update({_key(city): zone for city, zone in CITY_ZONES.items()})
    return found


def zone_for(text: str) -> str | None:
    """The IANA zone ``text`` names (an IANA name, an option's label, or a city); None if none."""
    text = (text or "").strip()
    if text in available_timezones():
        return text
    head = text.split(" — ", 1)[0].strip()
    if head in available_timezones():
        return head
    return _by_city().get(_key(head.split(",")[0]))


def _offset(zone: str) -> str:
    minutes = int(datetime.now(timezone.utc).astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=8)
def zone_options(language: str) -> tuple[tuple[str, str], ...]:
    """(IANA name, label) for every zone, the label naming its cities in ``language``."""
    extra: dict[str, list[str]] = {}
    for city, zone in CITY_ZONES.items():
        extra.setdefault(zone, []).append(city.title())
    options = []
    for zone in zone_names():
        # A ZoneInfo, not the name: given a name, Babel loads the zone through pytz, whose cache
        # then keeps all ~400 zones (3.5 MiB) in every worker that ever drew this field.
        city = get_timezone_location(ZoneInfo(zone), locale=language, return_city=True)
        cities = ", ".join(dict.fromkeys([city, *extra.get(zone, [])[:1]]))  # the best-known other city
        options.append((zone, f"{zone} — {cities} ({_offset(zone)})"))
    return tuple(options)
