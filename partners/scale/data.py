"""The tables `seed_scale` draws from: places, company names and descriptions of a DACH channel.

Shares follow the article: most partners are Accredited Resellers (not listed), about one in
nine is certified and one in a hundred an Enterprise Solution Partner. Company names and
descriptions mix common words with rare ones, so a full-text search finds many partners
for "security" and a handful for "Plainpalais" or "cheese dairies".
"""

import random

TIER_WEIGHTS = [88, 11, 1]  # accredited, certified, enterprise
STATUSES = ["active", "suspended", "ended"]
STATUS_WEIGHTS = [95, 2, 3]
CONSENT_SHARE = 0.95

_CH_DE_PREFIXES = (
    "Limmat Töss Glatt Aare Reuss Emme Thur Sihl Pilatus Rigi Säntis Titlis Napf Bodensee Rhein Alpstein "
    "Gotthard Uetliberg Bachtel Lägern Seeland Oberland Mittelland Fricktal Freiamt Entlebuch Toggenburg Linth "
    "Albis Hörnli Weissenstein Randen Calanda Mythen Stanserhorn Brünig Niesen Gantrisch Zugerberg Surental "
    "Wiggertal Ergolz Birs Kyburg Irchel Lindenberg Hallwil Eiger Jungfrau"
).split()
_CH_FR_PREFIXES = (
    "Léman Salève Lavaux Chablais Broye Sarine Gruyère Venoge Jorat Rhône Chasseral Doubs Ajoie Areuse Orbe "
    "Moléson Vully Riviera Plainpalais Ouchy Trois-Lacs Littoral Montagnes Dôle Nyonnais Gros-de-Vaud Morat "
    "Sorne Entremont Octodure Val-de-Travers Pâquis Eaux-Vives Champel Flon Sallaz Vieille-Ville Sauvabelin "
    "Lutry Cossonay"
).split()
_CH_IT_PREFIXES = (
    "Ceresio Verbano Gottardo Maggia Leventina Brè Generoso Tamaro Lucomagno Blenio Malcantone Mendrisiotto "
    "Capriasca Vedeggio Onsernone Centovalli Gambarogno Riviera"
).split()
_DE_PREFIXES = (
    "Spree Elbe Isar Main Neckar Donau Weser Ruhr Mosel Harz Taunus Eifel Allgäu Schwarzwald Ostsee Nordsee "
    "Alster Lech Hanse Brocken Zugspitze Wartburg Spessart Odenwald Havel Saale Fichtel Rhön Hegau Altmühl "
    "Chiemsee Ammersee Kaiserstuhl Wetterau Sauerland Vogelsberg"
).split()
_AT_PREFIXES = (
    "Donau Wienerwald Kahlenberg Mur Drau Enns Traun Salzach Inn Dachstein Glockner Wachau Semmering Arlberg "
    "Montafon Kaiser Schöckl Ötscher Pyhrn Tauern Mühlviertel Waldviertel Bregenzerwald Zillertal"
).split()

_GERMAN_CORES = (
    "Informatik|IT-Service|IT-Solutions|Systemhaus|Datentechnik|EDV|Computer|Netzwerktechnik|Security|IT-Sicherheit|"
    "Datacom|PC-Service|Systems|Technologies|Consulting|Networks|ICT|Bürotechnik|Datenschutz|Telematik"
).split("|")
_FRENCH_CORES = (
    "Informatique|Réseaux|Sécurité Informatique|Systèmes|Micro|PC Services|Solutions IT|Bureautique|Télécom|"
    "Conseil IT|Data|Protection Numérique"
).split("|")
_ITALIAN_CORES = (
    "Informatica|Sistemi|Reti|Sicurezza Informatica|Computer|Servizi IT|Tecnologie|Ufficio Digitale"
).split("|")
_BLENDS = "net data soft tec com it link byte web logic".split()

_SURNAMES = {
    "ch-de": "Müller Meier Schmid Keller Weber Huber Schneider Steiner Fischer Gerber Brunner Baumann Frei "
    "Zimmermann Moser Widmer Wyss Graf Roth Bachmann Kälin Zbinden Wüthrich Egli Suter Hess Ammann",
    "ch-fr": "Favre Rochat Perrin Berset Mercier Jeanneret Bonvin Rey Morand Chevalley Pittet Dubois Girard "
    "Cuendet Monnier Jaquet Python Gremaud Cretton Fragnière",
    "ch-ti": "Rossi Bernasconi Ferrari Bianchi Galli Fontana Lurati Crivelli Pedrazzini Cattaneo Guscetti Ghirlanda",
    "de": "Schulz Wagner Becker Hoffmann Koch Richter Klein Wolf Schröder Neumann Schwarz Braun Krüger Hartmann",
    "at": "Gruber Huber Wagner Pichler Moser Steiner Hofer Leitner Berger Fuchs Eder Fischer Schmid Winkler",
}

_CH_DE_STREETS = (
    "Bahnhofstrasse|Hauptstrasse|Dorfstrasse|Industriestrasse|Seestrasse|Kirchgasse|Poststrasse|Gewerbestrasse|"
    "Schulhausstrasse|Bernstrasse|Zürcherstrasse|Landstrasse|Rosenweg|Feldstrasse|Werkstrasse|Austrasse"
).split("|")
_CH_FR_STREETS = (
    "Rue de la Gare|Avenue de la Gare|Rue du Lac|Route de Lausanne|Rue Centrale|Chemin des Vignes|Rue du Marché|"
    "Avenue des Alpes|Rue de l'Industrie|Grand-Rue|Route de Genève|Rue du Simplon"
).split("|")
_CH_IT_STREETS = (
    "Via Cantonale|Via San Gottardo|Via Nassa|Corso San Gottardo|Via della Stazione|Piazza Indipendenza|Via Lugano"
).split("|")
_DE_STREETS = (
    "Hauptstraße|Bahnhofstraße|Schillerstraße|Goethestraße|Industriestraße|Gartenstraße|Lindenstraße|Marktplatz|"
    "Friedrichstraße|Berliner Straße|Kirchstraße|Mühlenweg"
).split("|")
_AT_STREETS = (
    "Hauptplatz|Mariahilfer Straße|Landstraße|Bahnhofstraße|Kirchengasse|Wiener Straße|Herrengasse|Grazer Straße"
).split("|")

# Territory code -> where its partners are. Cities: name, canton (Swiss only), postcodes, phone area, weight.
REGIONS = {
    "ch-de": {
        "country": "CH",
        "weight": 42,
        "postcode": "{:04d}",
        "phone": "+41 {area} 555 {a:02d} {b:02d}",
        "languages": [("de", 1.0), ("en", 0.45), ("fr", 0.2), ("it", 0.05)],
        "prefixes": _CH_DE_PREFIXES,
        "cores": _GERMAN_CORES,
        "legal": [("AG", 45), ("GmbH", 55)],
        "surnames": _SURNAMES["ch-de"].split(),
        "streets": _CH_DE_STREETS,
        "cities": [
            ("Zürich", "ZH", range(8001, 8065), "44", 90),
            ("Winterthur", "ZH", range(8400, 8411), "52", 25),
            ("Uster", "ZH", range(8610, 8611), "44", 8),
            ("Dübendorf", "ZH", range(8600, 8601), "44", 6),
            ("Dietikon", "ZH", range(8953, 8954), "44", 6),
            ("Wädenswil", "ZH", range(8820, 8821), "44", 5),
            ("Bülach", "ZH", range(8180, 8181), "44", 5),
            ("Bern", "BE", range(3001, 3031), "31", 40),
            ("Biel/Bienne", "BE", range(2502, 2506), "32", 12),
            ("Thun", "BE", range(3600, 3609), "33", 10),
            ("Burgdorf", "BE", range(3400, 3401), "34", 5),
            ("Langenthal", "BE", range(4900, 4901), "62", 4),
            ("Köniz", "BE", range(3098, 3099), "31", 5),
            ("Luzern", "LU", range(6003, 6007), "41", 25),
            ("Emmen", "LU", range(6032, 6033), "41", 6),
            ("Sursee", "LU", range(6210, 6211), "41", 4),
            ("Kriens", "LU", range(6010, 6011), "41", 5),
            ("Zug", "ZG", range(6300, 6301), "41", 15),
            ("Baar", "ZG", range(6340, 6341), "41", 6),
            ("Cham", "ZG", range(6330, 6331), "41", 4),
            ("St. Gallen", "SG", range(9000, 9017), "71", 22),
            ("Wil", "SG", range(9500, 9501), "71", 5),
            ("Rapperswil-Jona", "SG", range(8640, 8646), "55", 6),
            ("Buchs", "SG", range(9470, 9471), "81", 3),
            ("Aarau", "AG", range(5000, 5005), "62", 12),
            ("Baden", "AG", range(5400, 5406), "56", 12),
            ("Wettingen", "AG", range(5430, 5431), "56", 5),
            ("Brugg", "AG", range(5200, 5201), "56", 4),
            ("Zofingen", "AG", range(4800, 4801), "62", 4),
            ("Basel", "BS", range(4051, 4060), "61", 30),
            ("Riehen", "BS", range(4125, 4126), "61", 4),
            ("Liestal", "BL", range(4410, 4411), "61", 6),
            ("Allschwil", "BL", range(4123, 4124), "61", 4),
            ("Muttenz", "BL", range(4132, 4133), "61", 4),
            ("Solothurn", "SO", range(4500, 4501), "32", 6),
            ("Olten", "SO", range(4600, 4601), "62", 7),
            ("Grenchen", "SO", range(2540, 2541), "32", 3),
            ("Frauenfeld", "TG", range(8500, 8501), "52", 6),
            ("Kreuzlingen", "TG", range(8280, 8281), "71", 5),
            ("Weinfelden", "TG", range(8570, 8571), "71", 3),
            ("Schaffhausen", "SH", range(8200, 8201), "52", 7),
            ("Chur", "GR", range(7000, 7001), "81", 7),
            ("Davos", "GR", range(7270, 7271), "81", 3),
            ("Schwyz", "SZ", range(6430, 6431), "41", 3),
            ("Pfäffikon", "SZ", range(8808, 8809), "55", 4),
            ("Herisau", "AR", range(9100, 9101), "71", 3),
            ("Appenzell", "AI", range(9050, 9051), "71", 2),
            ("Glarus", "GL", range(8750, 8751), "55", 2),
            ("Stans", "NW", range(6370, 6371), "41", 2),
            ("Sarnen", "OW", range(6060, 6061), "41", 2),
            ("Altdorf", "UR", range(6460, 6461), "41", 2),
        ],
    },
    "ch-fr": {
        "country": "CH",
        "weight": 18,
        "postcode": "{:04d}",
        "phone": "+41 {area} 555 {a:02d} {b:02d}",
        "languages": [("fr", 1.0), ("en", 0.45), ("de", 0.3), ("it", 0.05)],
        "prefixes": _CH_FR_PREFIXES,
        "cores": _FRENCH_CORES,
        "legal": [("SA", 45), ("Sàrl", 55)],
        "surnames": _SURNAMES["ch-fr"].split(),
        "streets": _CH_FR_STREETS,
        "cities": [
            ("Genève", "GE", range(1201, 1210), "22", 40),
            ("Carouge", "GE", range(1227, 1228), "22", 6),
            ("Meyrin", "GE", range(1217, 1218), "22", 5),
            ("Vernier", "GE", range(1214, 1215), "22", 5),
            ("Lancy", "GE", range(1212, 1213), "22", 5),
            ("Lausanne", "VD", range(1003, 1019), "21", 35),
            ("Yverdon-les-Bains", "VD", range(1400, 1401), "24", 8),
            ("Montreux", "VD", range(1820, 1821), "21", 6),
            ("Nyon", "VD", range(1260, 1261), "22", 6),
            ("Vevey", "VD", range(1800, 1801), "21", 6),
            ("Morges", "VD", range(1110, 1111), "21", 5),
            ("Renens", "VD", range(1020, 1021), "21", 5),
            ("Gland", "VD", range(1196, 1197), "22", 3),
            ("Fribourg", "FR", range(1700, 1709), "26", 12),
            ("Bulle", "FR", range(1630, 1631), "26", 5),
            ("Murten", "FR", range(3280, 3281), "26", 3),
            ("Neuchâtel", "NE", range(2000, 2001), "32", 10),
            ("La Chaux-de-Fonds", "NE", range(2300, 2301), "32", 7),
            ("Le Locle", "NE", range(2400, 2401), "32", 3),
            ("Delémont", "JU", range(2800, 2801), "32", 4),
            ("Porrentruy", "JU", range(2900, 2901), "32", 3),
            ("Sion", "VS", range(1950, 1951), "27", 8),
            ("Martigny", "VS", range(1920, 1921), "27", 5),
            ("Monthey", "VS", range(1870, 1871), "24", 4),
            ("Sierre", "VS", range(3960, 3961), "27", 4),
        ],
    },
    "ch-ti": {
        "country": "CH",
        "weight": 4,
        "postcode": "{:04d}",
        "phone": "+41 {area} 555 {a:02d} {b:02d}",
        "languages": [("it", 1.0), ("de", 0.45), ("en", 0.35), ("fr", 0.2)],
        "prefixes": _CH_IT_PREFIXES,
        "cores": _ITALIAN_CORES,
        "legal": [("SA", 55), ("Sagl", 45)],
        "surnames": _SURNAMES["ch-ti"].split(),
        "streets": _CH_IT_STREETS,
        "cities": [
            ("Lugano", "TI", range(6900, 6913), "91", 20),
            ("Bellinzona", "TI", range(6500, 6501), "91", 8),
            ("Locarno", "TI", range(6600, 6601), "91", 7),
            ("Mendrisio", "TI", range(6850, 6851), "91", 5),
            ("Chiasso", "TI", range(6830, 6831), "91", 4),
        ],
    },
    "de": {
        "country": "DE",
        "weight": 26,
        "postcode": "{:05d}",
        "phone": "+49 {area} 555 {a:02d}{b:02d}",
        "languages": [("de", 1.0), ("en", 0.5), ("fr", 0.03)],
        "prefixes": _DE_PREFIXES,
        "cores": _GERMAN_CORES,
        "legal": [("GmbH", 60), ("GmbH & Co. KG", 15), ("AG", 8), ("UG", 7), ("e.K.", 10)],
        "surnames": _SURNAMES["de"].split(),
        "streets": _DE_STREETS,
        "cities": [
            ("Berlin", "", range(10115, 10999, 7), "30", 40),
            ("Hamburg", "", range(20095, 22769, 23), "40", 25),
            ("München", "", range(80331, 81929, 11), "89", 30),
            ("Köln", "", range(50667, 51149, 9), "221", 18),
            ("Frankfurt am Main", "", range(60311, 60599, 4), "69", 16),
            ("Stuttgart", "", range(70173, 70619, 6), "711", 16),
            ("Düsseldorf", "", range(40210, 40629, 7), "211", 12),
            ("Leipzig", "", range(4103, 4357, 5), "341", 10),
            ("Dresden", "", range(1067, 1328, 5), "351", 9),
            ("Hannover", "", range(30159, 30659, 8), "511", 9),
            ("Nürnberg", "", range(90402, 90491, 3), "911", 9),
            ("Freiburg im Breisgau", "", range(79098, 79117, 2), "761", 7),
            ("Konstanz", "", range(78462, 78468, 2), "7531", 4),
            ("Augsburg", "", range(86150, 86199, 3), "821", 5),
            ("Karlsruhe", "", range(76131, 76229, 4), "721", 6),
            ("Mannheim", "", range(68159, 68309, 6), "621", 6),
            ("Ulm", "", range(89073, 89081, 2), "731", 4),
            ("Regensburg", "", range(93047, 93059, 2), "941", 4),
            ("Lindau", "", range(88131, 88132), "8382", 2),
            ("Kempten", "", range(87435, 87440), "831", 3),
        ],
    },
    "at": {
        "country": "AT",
        "weight": 10,
        "postcode": "{:04d}",
        "phone": "+43 {area} 555 {a:02d}{b:02d}",
        "languages": [("de", 1.0), ("en", 0.45), ("it", 0.05)],
        "prefixes": _AT_PREFIXES,
        "cores": _GERMAN_CORES,
        "legal": [("GmbH", 70), ("KG", 10), ("OG", 10), ("e.U.", 10)],
        "surnames": _SURNAMES["at"].split(),
        "streets": _AT_STREETS,
        "cities": [
            ("Wien", "", range(1010, 1240, 10), "1", 45),
            ("Graz", "", range(8010, 8064, 10), "316", 12),
            ("Linz", "", range(4020, 4041, 10), "732", 10),
            ("Salzburg", "", range(5020, 5027), "662", 8),
            ("Innsbruck", "", range(6020, 6081, 10), "512", 8),
            ("Klagenfurt", "", range(9020, 9074, 10), "463", 5),
            ("Villach", "", range(9500, 9505), "4242", 3),
            ("Wels", "", range(4600, 4601), "7242", 3),
            ("St. Pölten", "", range(3100, 3101), "2742", 3),
            ("Dornbirn", "", range(6850, 6851), "5572", 3),
            ("Bregenz", "", range(6900, 6901), "5574", 2),
            ("Feldkirch", "", range(6800, 6801), "5522", 2),
        ],
    },
}

_KINDS = [
    "IT service company",
    "Security integrator",
    "Systems house",
    "Network specialist",
    "Managed service provider",
    "Computer shop and service desk",
    "IT consultancy",
    "Family-run IT business",
    "Software and hardware reseller",
    "ICT partner",
]
_SECTORS = (
    "small businesses|medical practices|law firms|fiduciaries|municipalities|schools|hotels|restaurants|"
    "manufacturers|retailers|architects|engineering offices|insurance brokers|real-estate agencies|"
    "logistics companies|non-profit organisations|home offices|construction companies|car dealers|pharmacies|"
    "dental practices|care homes|public administrations|hospitals|universities|print shops|agencies|craft businesses"
).split("|")
_PRODUCTS = (
    "endpoint protection|mail filtering|firewalls|backups|file servers|mobile devices|VPN access|workstations|"
    "terminal servers|web filtering|patch management|disk encryption|network monitoring|Wi-Fi networks|"
    "cloud storage|Microsoft 365 tenants|server virtualisation|printers and scanners"
).split("|")
_VERBS = [
    "installs and maintains",
    "plans, rolls out and supports",
    "runs",
    "audits and hardens",
    "sells and installs",
    "looks after",
]
# Rare on purpose: each appears in under one description in a hundred.
_SPECIALITIES = (
    "watchmaking workshops|cheese dairies|ski schools|mountain railways|wineries|sawmills|orthodontists|notaries|"
    "opticians|bakeries|breweries|chocolate makers|alpine huts|organic farms|riding schools|music schools|"
    "physiotherapy practices|radiology institutes|laboratories|foundations|parishes|sports clubs|museums|libraries|"
    "theatres|campsites|veterinary clinics|funeral homes|driving schools|translation agencies|cooperatives|"
    "garden centres|joiners|plumbers|electricians|dairy farms|tour operators|ferry companies|spas|casinos"
).split("|")


def company_name(rng: random.Random, region: dict) -> str:
    legal = rng.choices([form for form, _ in region["legal"]], [weight for _, weight in region["legal"]])[0]
    draw = rng.random()
    if draw < 0.55:
        return f"{rng.choice(region['prefixes'])} {rng.choice(region['cores'])} {legal}"
    if draw < 0.8:
        return f"{rng.choice(region['surnames'])} {rng.choice(region['cores'])} {legal}"
    return f"{rng.choice(region['prefixes'])}{rng.choice(_BLENDS)} {legal}"


def services(rng: random.Random, tier: str) -> list[str]:
    """Higher tiers offer more; every Enterprise Solution Partner supports end customers."""
    level = {"accredited": 0, "certified": 1, "enterprise": 2}[tier]
    shares = {
        "installation": (0.9, 0.95, 1.0),
        "consulting": (0.35, 0.7, 1.0),
        "managed": (0.1, 0.4, 0.9),
        "training": (0.15, 0.45, 0.8),
        "end-customer-support": (0.03, 0.2, 1.0),
    }
    offered = [code for code, share in shares.items() if rng.random() < share[level]]
    return offered or ["installation"]


def phone(rng: random.Random, region: dict, area: str) -> str:
    return region["phone"].format(area=area, a=rng.randrange(100), b=rng.randrange(100))


def description(rng: random.Random, *, city: str, name: str) -> str:
    sectors = rng.sample(_SECTORS, 2)
    products = rng.sample(_PRODUCTS, 3)
    sentences = [
        f"{rng.choice(_KINDS)} in {city} for {sectors[0]} and {sectors[1]}.",
        f"{name} {rng.choice(_VERBS)} {products[0]}, {products[1]} and {products[2]}.",
    ]
    if rng.random() < 0.4:
        sentences.append(f"Many of our customers are {rng.choice(_SPECIALITIES)}.")
    sentences.append(f"Founded in {rng.randint(1985, 2004)}, {rng.randint(2, 80)} employees.")
    return " ".join(sentences)
