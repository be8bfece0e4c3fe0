"""The demo's running programme: distributor applications, regional recruitment targets, a
nomination waiting for its second pair of eyes and the import log; STAFF are the extra logins.

Run by `demo_load` after the partners exist. Idempotent: every row is found by a natural key;
dates follow today, so a second run on the same day writes nothing.
"""

import datetime

from django.utils import timezone

from accounts.models import User

from ..models import (
    Distributor,
    DistributorApplication,
    Nomination,
    Partner,
    RecruitmentTarget,
    SalesImport,
    Territory,
    Tier,
)
from ..roles import CHANNEL_MANAGER, PARTNER_DESK
from ..services import distributor_application_save

# email, first name, last name, language, group
STAFF = [
    ("lead@demo.example", "Thomas", "Aebi", "de", CHANNEL_MANAGER),
    ("desk@demo.example", "Nadia", "Rossi", "fr", PARTNER_DESK),
]

# company, contact, email, language, territories, received so many days ago, refusal reason (refused) or None
APPLICATIONS = [
    (
        "Ticino Distribuzione SA",
        "Luca Bernasconi",
        "luca.bernasconi@ticino-distribuzione.demo.example",
        "en",
        ["ch-ti"],
        3,
        "We distribute security and backup software to about 60 resellers in Ticino and would like to add "
        "your products. We have two pre-sales engineers and a warehouse in Lugano.",
        None,
    ),
    (
        "Helvetia Software Vertrieb AG",
        "Reto Blaser",
        "reto.blaser@helvetia-software.demo.example",
        "de",
        ["ch-de"],
        9,
        "Wir beliefern über 200 Fachhändler in der Deutschschweiz und möchten Ihre Sicherheitsprodukte ins "
        "Sortiment aufnehmen.",
        None,
    ),
    (
        "Donau IT Distribution GmbH",
        "Eva Hofbauer",
        "eva.hofbauer@donau-it.demo.example",
        "de",
        ["at"],
        40,
        "We would like to distribute your products in Austria.",
        "We are not opening Austria this year; we will contact you when we plan it.",
    ),
]

# territory, goal: more active partners from .. to (None: a single figure)
TARGETS = [("ch-de", 15, 20), ("ch-fr", 8, 12), ("ch-ti", 3, None)]

DEMO_IMPORT_FILE = "demo-purchases.csv"

NOMINATION = (
    "uetliberg-security",
    "Runs the security roll-out for two cantonal hospitals and offers second-level support to end customers.",
)


def operations_demo_load(*, today: datetime.date, manager: User, summary) -> None:
    """Load the running programme's demo rows (after the partners and `manager` exist)."""
    _load_applications(summary, today=today, manager=manager)
    _load_targets(summary, today=today)
    _load_nomination(summary, manager=manager)
    _load_sales_imports(summary, manager=manager)


def _load_applications(summary, *, today: datetime.date, manager: User) -> None:
    territories = {territory.code: territory for territory in Territory.objects.all()}
    for company, contact, email, language, codes, days_ago, message, refusal in APPLICATIONS:
        if DistributorApplication.objects.filter(company=company).exists():
            summary.add("distributor applications", "unchanged")
            continue
        application = DistributorApplication(
            company=company,
            contact_name=contact,
            contact_email=email,
            language=language,
            message=message,
            received_on=today - datetime.timedelta(days=days_ago),
        )
        if refusal:
            application.status = DistributorApplication.Status.REFUSED
            application.refusal_reason = refusal
            application.decided_by = manager
            application.decided_at = timezone.now() - datetime.timedelta(days=days_ago - 5)
        distributor_application_save(application=application, territories=[territories[code] for code in codes])
        summary.add("distributor applications", "created")


def _load_targets(summary, *, today: datetime.date) -> None:
    territories = {territory.code: territory for territory in Territory.objects.all()}
    # Twelve months from the first of this month.
    starts_on = today.replace(day=1)
    ends_on = starts_on.replace(year=starts_on.year + 1) - datetime.timedelta(days=1)
    for code, low, high in TARGETS:
        _target, created = RecruitmentTarget.objects.get_or_create(
            territory=territories[code],
            starts_on=starts_on,
            defaults={"ends_on": ends_on, "more_active_min": low, "more_active_max": high},
        )
        summary.add("recruitment targets", "created" if created else "unchanged")


def _load_nomination(summary, *, manager: User) -> None:
    slug, reason = NOMINATION
    partner = Partner.objects.get(slug=slug)
    if partner.nominations.exists():
        summary.add("nominations", "unchanged")
        return
    tier = Tier.objects.filter(nomination_only=True).order_by("rank").first()
    Nomination.objects.create(
        partner=partner, kind=Nomination.Kind.GRANT, tier=tier, reason=reason, proposed_by=manager
    )
    summary.add("nominations", "created")


def _load_sales_imports(summary, *, manager: User) -> None:
    """The demo's purchases as each distributor's import, so the import log is not empty."""
    for distributor in Distributor.objects.filter(purchases__isnull=False).distinct().order_by("code"):
        rows = distributor.purchases.count()
        _import, created = SalesImport.objects.update_or_create(
            distributor=distributor,
            file_name=DEMO_IMPORT_FILE,
            defaults={"rows": rows, "created": rows, "imported_by": manager},
        )
        summary.add("sales imports", "created" if created else "unchanged")
