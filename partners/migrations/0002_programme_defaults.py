"""The programme of the article, as the default configuration of a fresh install.

Staff change every figure in admin afterwards; this only runs once.
"""

import datetime
from decimal import Decimal

from django.db import migrations

PROGRAMME_START = datetime.date(2005, 4, 15)

TIERS = [
    {
        "code": "accredited",
        "name": "Accredited Reseller",
        "rank": 1,
        "min_annual_volume": Decimal("1000"),
        "min_certified_technicians": 0,
        "nomination_only": False,
        "listed_in_directory": False,
        "nfr_licences_per_year": 2,
        "description": "The entry level of the programme for every reseller of our products.",
        "benefits": "Starter kit with marketing and sales information\n"
        "NFR (not-for-resale) licences\n"
        "Monthly partner newsletter\n"
        "Access to the partner extranet",
    },
    {
        "code": "certified",
        "name": "Certified Partner",
        "rank": 2,
        "min_annual_volume": Decimal("10000"),
        "min_certified_technicians": 1,
        "nomination_only": False,
        "listed_in_directory": True,
        "nfr_licences_per_year": 5,
        "description": "For resellers with a steady business and at least one technician certified by us.",
        "benefits": "Better purchase conditions\n"
        "Extended extranet access: price lists and technical resources\n"
        "Looked after directly by a channel account manager\n"
        "Listed as a partner in the public partner directory",
    },
    {
        "code": "enterprise",
        "name": "Enterprise Solution Partner",
        "rank": 3,
        "min_annual_volume": Decimal("50000"),
        "min_certified_technicians": 2,
        "nomination_only": True,
        "listed_in_directory": True,
        "nfr_licences_per_year": 10,
        "description": "Nominated by the vendor: technical certifications, high volume and a fit with our philosophy.",
        "benefits": "Called in by the vendor for large customer projects\n"
        "Provides support services to end customers\n"
        "Project material in the extranet",
    },
]

# (tier code, from 12-month volume, margin %): 18 % at entry up to 35 % at the top.
MARGIN_BANDS = [
    ("accredited", "0", "18"),
    ("accredited", "5000", "20"),
    ("certified", "0", "24"),
    ("certified", "25000", "27"),
    ("enterprise", "0", "30"),
    ("enterprise", "100000", "33"),
    ("enterprise", "250000", "35"),
]

LANGUAGES = [("de", "German"), ("fr", "French"), ("it", "Italian"), ("en", "English")]

SERVICES = [
    ("installation", "Installation and roll-out"),
    ("consulting", "Security consulting"),
    ("managed", "Managed security services"),
    ("training", "Training"),
    ("end-customer-support", "Support for end customers"),
]


def create_defaults(apps, schema_editor):
    Tier = apps.get_model("partners", "Tier")
    MarginBand = apps.get_model("partners", "MarginBand")
    Language = apps.get_model("partners", "Language")
    Service = apps.get_model("partners", "Service")
    tiers = {}
    for data in TIERS:
        tiers[data["code"]], _ = Tier.objects.get_or_create(code=data["code"], defaults=data)
    for code, volume, margin in MARGIN_BANDS:
        MarginBand.objects.get_or_create(
            tier=tiers[code],
            min_volume=Decimal(volume),
            effective_from=PROGRAMME_START,
            defaults={"margin_percent": Decimal(margin)},
        )
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in SERVICES:
        Service.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
