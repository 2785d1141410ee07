"""The five regional groups of the United Nations, by ISO 3166-1 alpha-2 code: how delegations
are grouped in the General Assembly and how a diplomatic workshop counts its balance. A country
in none of them (an observer, a territory) is counted as "not in a regional group". Türkiye
and the United States take part in the Western European and Others Group for elections."""

from flask_babel import lazy_gettext as _l

AFRICA, ASIA_PACIFIC, EASTERN_EUROPE, LATIN_AMERICA, WEOG, NONE = (
    "africa", "asia_pacific", "eastern_europe", "latin_america", "weog", "none")

GROUP_NAMES = {
    AFRICA: _l("African Group"),
    ASIA_PACIFIC: _l("Asia-Pacific Group"),
    EASTERN_EUROPE: _l("Eastern European Group"),
    LATIN_AMERICA: _l("Latin American and Caribbean Group"),
    WEOG: _l("Western European and Others Group"),
    NONE: _l("Not in a regional group"),
}

_MEMBERS = {
    AFRICA: "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG "
            "MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TZ TG TN UG ZM ZW",
    ASIA_PACIFIC: "AF BH BD BT BN KH CN CY FJ IN ID IR IQ JP JO KZ KI KW KG LA LB MY MV MH FM MN MM NR NP "
                  "KP OM PK PW PG PH QA KR WS SA SB SG LK SY TJ TH TL TO TM TV AE UZ VU VN YE",
    EASTERN_EUROPE: "AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MD PL RO RU RS SK SI MK UA",
    LATIN_AMERICA: "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC "
                   "VC SR TT UY VE",
    WEOG: "AD AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ NO PT SM ES SE CH TR GB AU US",
}
GROUP_OF = {code: group for group, codes in _MEMBERS.items() for code in codes.split()}
ORDER = (AFRICA, ASIA_PACIFIC, EASTERN_EUROPE, LATIN_AMERICA, WEOG, NONE)


def group_of(country: str) -> str:
    return GROUP_OF.get((country or "").upper(), NONE)
