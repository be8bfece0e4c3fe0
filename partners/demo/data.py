"""The demo programme's data: the article's Switzerland, with fictional companies and people."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_noop

DEMO_PASSWORD = "demo-partner-2005"
MANAGER_GROUP = "Channel manager"
SEED = 2005
PROGRAMME_START = datetime.date(2005, 4, 15)
# Days before today: purchases go back two years, and none falls within ten days of the
# 12-month window's edge, so a partner's tier does not hinge on a single day.
HISTORY_DAYS = 720
WINDOW_EDGE = (355, 375)

TERRITORIES = [
    # code, name, country, regions, languages
    (
        "ch-de",
        gettext_noop("German-speaking Switzerland"),
        "CH",
        "AG, AI, AR, BE, BL, BS, GL, GR, LU, NW, OW, SG, SH, SO, SZ, TG, UR, ZG, ZH",
        ["de"],
    ),
    ("ch-fr", gettext_noop("French-speaking Switzerland"), "CH", "FR, GE, JU, NE, VD, VS", ["fr"]),
    ("ch-ti", gettext_noop("Ticino"), "CH", "TI", ["it"]),
    ("de", gettext_noop("Germany"), "DE", "", ["de"]),
    ("at", gettext_noop("Austria"), "AT", "", ["de"]),
]

DISTRIBUTORS = [
    {
        "code": "alpsec",
        "name": "Alpsec Distribution AG",
        "contact_name": "Markus Steiner",
        "contact_email": "markus.steiner@alpsec.demo.example",
        "phone": "+41 44 555 70 00",
        "website": "https://www.alpsec.example",
        "territories": ["ch-de"],
        "prefix": "AS",
    },
    {
        "code": "lemanique",
        "name": "Lémanique Distribution SA",
        "contact_name": "Isabelle Corthay",
        "contact_email": "isabelle.corthay@lemanique.demo.example",
        "phone": "+41 21 555 80 00",
        "website": "https://www.lemanique.example",
        "territories": ["ch-fr"],
        "prefix": "LD",
    },
]

# SKU, name, offered as NFR licence, list price per unit in EUR (only to derive quantities).
PRODUCTS = [
    ("AV-WKS", "Anti-Virus Workstation", True, 35),
    ("AV-FS", "Anti-Virus File Server", True, 240),
    ("IS-SUITE", "Internet Security Suite", True, 49),
    ("MAIL-GW", "Mail Gateway Protection", False, 420),
    ("EP-MGMT", "Endpoint Management Console", False, 890),
]
PRODUCT_MIX = {
    "accredited": ["AV-WKS", "AV-WKS", "IS-SUITE", "IS-SUITE", "AV-FS"],
    "certified": ["AV-WKS", "IS-SUITE", "AV-FS", "MAIL-GW", "AV-WKS"],
    "enterprise": ["AV-WKS", "AV-FS", "MAIL-GW", "EP-MGMT", "IS-SUITE"],
}

# Accredited resellers, one a line: slug | name | street | postcode city canton | phone | bought in the
# last three months ("active") or not | languages.
ACCREDITED = {
    "ch-de": """
limmat-informatik | Limmat Informatik GmbH | Hardstrasse 219 | 8005 Zürich ZH | 44 555 12 40 | active | de en
toesstal-it | Tösstal IT-Service GmbH | Zürcherstrasse 48 | 8400 Winterthur ZH | 52 555 31 08 | - | de
glatt-pc | Glatt PC-Werkstatt AG | Wallisellenstrasse 12 | 8600 Dübendorf ZH | 44 555 27 71 | active | de
seefeld-systems | Seefeld Systems GmbH | Seefeldstrasse 88 | 8008 Zürich ZH | 44 555 63 02 | - | de en
zimmerberg-edv | Zimmerberg EDV AG | Gotthardstrasse 9 | 8800 Thalwil ZH | 44 555 40 19 | - | de
aarenetz | Aarenetz Informatik GmbH | Monbijoustrasse 61 | 3007 Bern BE | 31 555 18 90 | active | de fr
seeland-computer | Seeland Computer AG | Zentralstrasse 42 | 2502 Biel/Bienne BE | 32 555 22 47 | - | de fr
thunersee-it | Thunersee IT GmbH | Frutigenstrasse 6 | 3600 Thun BE | 33 555 71 30 | - | de
emmental-datentechnik | Emmental Datentechnik GmbH | Lyssachstrasse 23 | 3400 Burgdorf BE | 34 555 09 66 | - | de
pilatus-pc | Pilatus PC-Support AG | Obergrundstrasse 70 | 6003 Luzern LU | 41 555 38 15 | active | de
surental-informatik | Surental Informatik GmbH | Bahnhofstrasse 31 | 6210 Sursee LU | 41 555 84 02 | - | de
zugerberg-it | Zugerberg IT-Partner AG | Baarerstrasse 43 | 6300 Zug ZG | 41 555 60 73 | active | de en
saentis-edv | Säntis EDV-Dienste GmbH | Rorschacher Strasse 150 | 9000 St. Gallen SG | 71 555 44 20 | active | de
fuerstenland-it | Fürstenland IT GmbH | Obere Bahnhofstrasse 20 | 9500 Wil SG | 71 555 93 11 | - | de
aarauer-netzwerktechnik | Aarauer Netzwerktechnik AG | Bahnhofstrasse 29 | 5000 Aarau AG | 62 555 17 84 | - | de
limmattal-datacom | Limmattal Datacom GmbH | Mellingerstrasse 2 | 5400 Baden AG | 56 555 26 39 | active | de
wiggertal-pc | Wiggertal PC-Center GmbH | Vordere Hauptgasse 54 | 4800 Zofingen AG | 62 555 50 62 | - | de
rheinknie-informatik | Rheinknie Informatik AG | Güterstrasse 120 | 4053 Basel BS | 61 555 32 95 | active | de fr en
ergolz-it | Ergolz IT-Service GmbH | Rheinstrasse 16 | 4410 Liestal BL | 61 555 77 04 | - | de
weissenstein-edv | Weissenstein EDV GmbH | Hauptgasse 33 | 4500 Solothurn SO | 32 555 61 28 | - | de
dreitannen-systemhaus | Dreitannen Systemhaus AG | Aarburgerstrasse 9 | 4600 Olten SO | 62 555 43 57 | - | de
thurgauer-pc-dienst | Thurgauer PC-Dienst GmbH | Zürcherstrasse 194 | 8500 Frauenfeld TG | 52 555 19 86 | - | de
munot-informatik | Munot Informatik GmbH | Vordergasse 61 | 8200 Schaffhausen SH | 52 555 88 13 | - | de
calanda-it | Calanda IT AG | Gürtelstrasse 24 | 7000 Chur GR | 81 555 30 42 | - | de
mythen-computer | Mythen Computer GmbH | Bahnhofstrasse 5 | 6430 Schwyz SZ | 41 555 71 92 | - | de
""",
    "ch-fr": """
rhone-informatique | Rhône Informatique Sàrl | Rue de Lausanne 64 | 1202 Genève GE | 22 555 14 30 | active | fr en
carouge-reseaux | Carouge Réseaux SA | Rue Saint-Joseph 27 | 1227 Carouge GE | 22 555 47 81 | active | fr
saleve-pc-services | Salève PC Services Sàrl | Route de Meyrin 123 | 1217 Meyrin GE | 22 555 63 19 | - | fr
ouchy-systemes | Ouchy Systèmes SA | Avenue de Rhodanie 58 | 1007 Lausanne VD | 21 555 20 64 | active | fr en
broye-informatique | Broye Informatique Sàrl | Rue du Lac 10 | 1400 Yverdon-les-Bains VD | 24 555 38 02 | active | fr
lavaux-it | Lavaux IT Sàrl | Rue du Simplon 12 | 1800 Vevey VD | 21 555 91 45 | active | fr
morges-bureautique | Morges Bureautique SA | Grand-Rue 66 | 1110 Morges VD | 21 555 72 16 | - | fr
la-cote-net | La Côte Net Sàrl | Rue de la Gare 21 | 1260 Nyon VD | 22 555 85 50 | active | fr en
chablais-informatique | Chablais Informatique SA | Avenue de la Gare 9 | 1870 Monthey VS | 24 555 43 27 | active | fr
riviera-micro | Riviera Micro Sàrl | Avenue des Alpes 40 | 1820 Montreux VD | 21 555 67 08 | - | fr en
littoral-securite | Littoral Sécurité Informatique SA | Rue du Seyon 30 | 2000 Neuchâtel NE | 32 555 24 93 | active | fr
montagnes-micro | Montagnes Micro Sàrl | Av. Léopold-Robert 76 | 2300 La Chaux-de-Fonds NE | 32 555 58 61 | active | fr
sorne-it | Sorne IT Sàrl | Route de Bâle 25 | 2800 Delémont JU | 32 555 80 34 | - | fr
ajoie-informatique | Ajoie Informatique Sàrl | Rue des Annonciades 8 | 2900 Porrentruy JU | 32 555 13 72 | - | fr
sarine-systemes | Sarine Systèmes SA | Boulevard de Pérolles 55 | 1700 Fribourg FR | 26 555 36 49 | active | fr de
gruyere-pc | Gruyère PC Sàrl | Rue de Vevey 31 | 1630 Bulle FR | 26 555 62 85 | active | fr
valais-reseaux | Valais Réseaux SA | Avenue de la Gare 32 | 1950 Sion VS | 27 555 29 13 | - | fr de
octodure-it | Octodure IT Sàrl | Avenue de la Gare 45 | 1920 Martigny VS | 27 555 74 56 | active | fr
""",
}

ACCREDITED_SERVICES = [["installation"], ["installation", "consulting"], ["installation", "training"]]
ACCREDITED_DESCRIPTIONS = [
    "IT partner for small businesses and practices in and around {city}: workstations, networks and virus protection.",
    "{name} installs and maintains office networks in the region of {city} and keeps their security software current.",
    "Computer shop and service desk in {city}. Sells and installs security software for home offices and small firms.",
    "Family-run IT service company in {city}, looking after about forty small business customers.",
]

# Certified partners and the enterprise solution partner, with their certified technicians:
# first name, last name, exam, certificate number, expires in days (negative: expired).
NOMINATED_AT = datetime.datetime(2005, 4, 15, 9, 0, tzinfo=ZoneInfo("Europe/Zurich"))
CERTIFIED = [
    {
        "slug": "uetliberg-security",
        "name": "Uetliberg Security AG",
        "territory": "ch-de",
        "address": ("Badenerstrasse 329", "8003", "Zürich", "ZH", "44 555 90 10"),
        "languages": "de en",
        "services": ["installation", "consulting", "managed"],
        "description": "Security specialists for Zurich's small and mid-sized companies. "
        "Uetliberg Security runs virus protection and mail filtering for its customers as a managed service.",
        "technicians": [("Lukas", "Meier", "Certified Security Professional", "CSP-104711", 402)],
    },
    {
        "slug": "rigi-security",
        "name": "Rigi Security Solutions AG",
        "territory": "ch-de",
        "address": ("Haldenstrasse 23", "6006", "Luzern", "LU", "41 555 19 27"),
        "languages": "de",
        "services": ["installation", "consulting", "training"],
        "description": "Central Switzerland's address for endpoint security: planning, roll-out and staff training.",
        "technicians": [
            ("Sandra", "Widmer", "Certified Security Professional", "CSP-104958", 288),
            ("Patrick", "Achermann", "Endpoint Management Specialist", "EMS-201377", 530),
        ],
    },
    {
        "slug": "rheintal-netsec",
        "name": "Rheintal Netsec AG",
        "territory": "ch-de",
        "address": ("Bahnhofstrasse 6", "9450", "Altstätten", "SG", "71 555 83 44"),
        "languages": "de",
        "services": ["installation", "managed"],
        "description": "Network and security services for manufacturers in the Rhine valley.",
        # It withdrew its consent to the public directory: a listed tier that is not listed.
        "directory_consent": False,
        "technicians": [("Daniel", "Kobler", "Certified Security Professional", "CSP-105230", 175)],
    },
    {
        "slug": "leman-securite",
        "name": "Léman Sécurité Informatique SA",
        "territory": "ch-fr",
        "address": ("Avenue de la Gare 17", "1003", "Lausanne", "VD", "21 555 40 70"),
        "languages": "fr de en",
        "services": ["installation", "consulting", "training"],
        "description": "Security for small and mid-sized companies around Lake Geneva: audits, installation and "
        "training, in French, German and English.",
        "technicians": [
            # Expires within the month: the dashboard warns, the second technician keeps the tier.
            ("Julien", "Favre", "Certified Security Professional", "CSP-104802", 21),
            ("Nathalie", "Perrin", "Mail Gateway Specialist", "MGS-300415", 455),
        ],
    },
    {
        "slug": "plainpalais-securite",
        "name": "Plainpalais Sécurité SA",
        "territory": "ch-fr",
        "address": ("Boulevard Carl-Vogt 44", "1205", "Genève", "GE", "22 555 71 21"),
        "languages": "fr en",
        "services": ["installation", "consulting", "managed"],
        "description": "Geneva security integrator for international organisations, fiduciaries and law firms.",
        "technicians": [
            ("Olivier", "Berset", "Certified Security Professional", "CSP-105064", 330),
            ("Sophie", "Mercier", "Endpoint Management Specialist", "EMS-201590", 610),
        ],
    },
    {
        "slug": "trois-lacs-informatique",
        "name": "Trois-Lacs Informatique SA",
        "territory": "ch-fr",
        "address": ("Faubourg du Lac 43", "2000", "Neuchâtel", "NE", "32 555 66 02"),
        "languages": "fr de",
        "services": ["installation", "training"],
        "description": "IT services and security training for companies between the three lakes, in French and German.",
        "technicians": [("Yann", "Jeanneret", "Certified Security Professional", "CSP-105311", 240)],
    },
]
ENTERPRISE = {
    "slug": "aaregarde-security",
    "name": "Aaregarde Security AG",
    "territory": "ch-de",
    "address": ("Effingerstrasse 47", "3008", "Bern", "BE", "31 555 42 00"),
    "languages": "de fr en",
    "services": ["installation", "consulting", "managed", "training", "end-customer-support"],
    "description": "Enterprise Solution Partner for large customer projects in administration, health care and "
    "industry. Aaregarde runs the support desk for its end customers in German, French and English.",
    "nomination_reason": "Enterprise Partner of the previous programme: a certified team, large projects in the "
    "public sector and support services for end customers. Carried over into the new programme.",
    "technicians": [
        ("Beat", "Schneeberger", "Certified Security Professional", "CSP-098844", -230),
        ("Beat", "Schneeberger", "Certified Security Professional", "CSP-106120", 520),
        ("Laura", "Gerber", "Endpoint Management Specialist", "EMS-201102", 365),
        ("Reto", "Wüthrich", "Mail Gateway Specialist", "MGS-300288", 140),
    ],
}

# The demo logins: email, first name, last name, the partner they own (none: the manager).
MANAGER = ("manager@demo.example", "Andrea", "Kälin", "de")
OWNERS = [
    ("accredited@demo.example", "Simone", "Baumgartner", "limmat-informatik"),
    ("certified@demo.example", "Céline", "Rochat", "leman-securite"),
    ("enterprise@demo.example", "Martin", "Zbinden", "aaregarde-security"),
]
USER_LANGUAGE = {"ch-de": "de", "ch-fr": "fr"}
# The accredited demo login has bought this share of the Certified Partner threshold: a visible gap.
ACCREDITED_LOGIN_PARTNER = "limmat-informatik"
ACCREDITED_LOGIN_SHARE = Decimal("0.76")
# ... and has its certified technician already: importing docs/samples/alpsec-sales-report-2026-11.csv
# (EUR 2,600 more) makes it a Certified Partner, which shows the sales import and the tier review at work.
ACCREDITED_LOGIN_TECHNICIAN = ("Marco", "Frei", "Certified Security Professional", "CSP-107311", 300)


def partner_specs() -> dict[str, dict]:
    """Every demo partner by slug, as the builders read it."""
    specs = {}
    for territory, table in ACCREDITED.items():
        for index, line in enumerate(table.strip().splitlines()):
            slug, name, street, place, phone, active, languages = (cell.strip() for cell in line.split("|"))
            postcode, rest = place.split(" ", 1)
            city, canton = rest.rsplit(" ", 1)
            specs[slug] = {
                "slug": slug,
                "name": name,
                "tier": "accredited",
                "territory": territory,
                "address": (street, postcode, city, canton, phone),
                "languages": languages,
                "services": ACCREDITED_SERVICES[index % len(ACCREDITED_SERVICES)],
                "description": ACCREDITED_DESCRIPTIONS[index % len(ACCREDITED_DESCRIPTIONS)].format(
                    name=name, city=city
                ),
                "active": active == "active",
            }
    for data in CERTIFIED:
        specs[data["slug"]] = {**data, "tier": "certified", "active": True}
    specs[ENTERPRISE["slug"]] = {**ENTERPRISE, "tier": "enterprise", "active": True}
    return specs
