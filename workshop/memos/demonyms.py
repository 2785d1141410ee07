"""Adjectives (demonyms) of the UN member states and observer States, and the other names a memo
may use for them, by ISO 3166-1 alpha-2 code. A small table shipped with the code: neither
pycountry nor Babel's CLDR data has demonyms. The names pycountry gives are added to these.

Each line: code, then the adjectives and nouns for a national separated by "/", then after ";"
other names for the country (short forms, older names)."""

TABLE = """
AF Afghan
AL Albanian
DZ Algerian
AD Andorran
AO Angolan
AG Antiguan/Barbudan ; Antigua
AR Argentine/Argentinian
AM Armenian
AU Australian
AT Austrian
AZ Azerbaijani
BS Bahamian ; the Bahamas
BH Bahraini
BD Bangladeshi
BB Barbadian
BY Belarusian
BE Belgian
BZ Belizean
BJ Beninese
BT Bhutanese
BO Bolivian ; Bolivia
BA Bosnian/Herzegovinian ; Bosnia
BW Botswanan/Motswana
BR Brazilian
BN Bruneian ; Brunei
BG Bulgarian
BF Burkinabe/Burkinabè ; Burkina
BI Burundian
CV Cabo Verdean/Cape Verdean ; Cape Verde
KH Cambodian
CM Cameroonian
CA Canadian
CF Central African ; CAR
TD Chadian
CL Chilean
CN Chinese
CO Colombian
KM Comoran/Comorian
CG Congolese ; Congo-Brazzaville
CD Congolese ; DRC/Congo-Kinshasa/Democratic Republic of the Congo
CR Costa Rican
CI Ivorian ; Côte d'Ivoire/Ivory Coast
HR Croatian
CU Cuban
CY Cypriot
CZ Czech ; Czech Republic
DK Danish/Dane
DJ Djiboutian
DM Dominican
DO Dominican
EC Ecuadorian
EG Egyptian
SV Salvadoran/Salvadorian
GQ Equatorial Guinean/Equatoguinean
ER Eritrean
EE Estonian
SZ Swazi/Eswatini ; Swaziland
ET Ethiopian
FJ Fijian
FI Finnish/Finn
FR French
GA Gabonese
GM Gambian ; the Gambia
GE Georgian
DE German
GH Ghanaian
GR Greek
GD Grenadian
GT Guatemalan
GN Guinean
GW Bissau-Guinean
GY Guyanese
HT Haitian
HN Honduran
HU Hungarian
IS Icelandic/Icelander
IN Indian
ID Indonesian
IR Iranian ; Iran
IQ Iraqi
IE Irish
IL Israeli
IT Italian
JM Jamaican
JP Japanese
JO Jordanian
KZ Kazakh/Kazakhstani
KE Kenyan
KI I-Kiribati
KW Kuwaiti
KG Kyrgyz/Kyrgyzstani
LA Lao/Laotian ; Laos
LV Latvian
LB Lebanese
LS Basotho/Mosotho
LR Liberian
LY Libyan
LI Liechtensteiner
LT Lithuanian
LU Luxembourgish/Luxembourger
MG Malagasy
MW Malawian
MY Malaysian
MV Maldivian
ML Malian
MT Maltese
MH Marshallese
MR Mauritanian
MU Mauritian
MX Mexican
FM Micronesian ; Micronesia
MD Moldovan ; Moldova
MC Monegasque
MN Mongolian
ME Montenegrin
MA Moroccan
MZ Mozambican
MM Burmese ; Burma
NA Namibian
NR Nauruan
NP Nepali/Nepalese
NL Dutch ; the Netherlands/Holland
NZ New Zealander
NI Nicaraguan
NE Nigerien
NG Nigerian
KP North Korean ; North Korea/DPRK
MK North Macedonian/Macedonian
NO Norwegian
OM Omani
PK Pakistani
PW Palauan
PA Panamanian
PG Papua New Guinean
PY Paraguayan
PE Peruvian
PH Filipino/Philippine ; the Philippines
PL Polish/Pole
PT Portuguese
QA Qatari
KR South Korean ; South Korea/Republic of Korea
RO Romanian
RU Russian ; Russia
RW Rwandan
KN Kittitian/Nevisian
LC Saint Lucian
VC Vincentian
WS Samoan
SM Sammarinese
ST Santomean
SA Saudi/Saudi Arabian
SN Senegalese
RS Serbian
SC Seychellois
SL Sierra Leonean
SG Singaporean
SK Slovak
SI Slovenian/Slovene
SB Solomon Islander
SO Somali
ZA South African
SS South Sudanese
ES Spanish/Spaniard
LK Sri Lankan
SD Sudanese
SR Surinamese
SE Swedish/Swede
CH Swiss
SY Syrian ; Syria
TJ Tajik/Tajikistani
TZ Tanzanian ; Tanzania
TH Thai
TL Timorese ; East Timor
TG Togolese
TO Tongan
TT Trinidadian/Tobagonian ; Trinidad
TN Tunisian
TR Turkish/Turk ; Turkey
TM Turkmen
TV Tuvaluan
UG Ugandan
UA Ukrainian
AE Emirati ; UAE/the Emirates
GB British ; UK/Britain/Great Britain
US American ; US/USA/United States/America
UY Uruguayan
UZ Uzbek/Uzbekistani
VU Ni-Vanuatu
VE Venezuelan ; Venezuela
VN Vietnamese ; Viet Nam/Vietnam
YE Yemeni
ZM Zambian
ZW Zimbabwean
PS Palestinian ; Palestine
VA ; the Holy See
"""


def _parse() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    table = {}
    for line in TABLE.strip().splitlines():
        code, _, rest = line.partition(" ")
        adjectives, _, names = rest.partition(";")
        table[code] = (tuple(a.strip() for a in adjectives.split("/") if a.strip()),
                       tuple(n.strip() for n in names.split("/") if n.strip()))
    return table


DEMONYMS = _parse()
