"""What the channel managers' dashboard shows, read in a fixed number of queries however large the data.

Every figure is grouped in the database (counts and sums per tier, territory, distributor or month);
only the short list of expiring certifications fetches rows, and it is capped.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext

from nfr.models import Licence

from .models import (
    Certification,
    DistributorApplication,
    Nomination,
    Partner,
    Purchase,
    RecruitmentTarget,
    Territory,
    Tier,
)
from .models.organisations import one_year_before
from .targets import TargetProgress, target_progress

EXPIRY_WARNING_DAYS = 60  # as the certification list's "expires within 60 days" filter
EXPIRING_SHOWN = 20
MONTHS = 12


@dataclasses.dataclass(frozen=True)
class TierCounts:
    """One territory's row of the partners-by-tier table; `territory` None collects partners without one."""

    territory: Territory | None
    counts: list[int]  # in the order of `Dashboard.tiers`

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclasses.dataclass(frozen=True)
class Waiting:
    applications: int
    nfr_approvals: int
    downgrades: int
    nominations: int
    distributor_applications: int


@dataclasses.dataclass(frozen=True)
class Dashboard:
    on: datetime.date
    tiers: list[Tier]
    by_territory: list[TierCounts]
    targets: list[TargetProgress]
    revenue_by_territory: list[tuple[str, Decimal]]  # largest first
    revenue_by_distributor: list[tuple[str, Decimal]]  # largest first
    revenue_by_month: list[tuple[datetime.date, Decimal]]  # oldest first, first day of each month
    waiting: Waiting
    expiring: list[Certification]
    expiring_total: int

    @property
    def tier_totals(self) -> list[int]:
        return [sum(row.counts[index] for row in self.by_territory) for index in range(len(self.tiers))]

    @property
    def partner_total(self) -> int:
        return sum(row.total for row in self.by_territory)


def dashboard_load(*, on: datetime.date) -> Dashboard:
    """Everything the dashboard shows as of `on`, with names in the active language."""
    tiers = list(Tier.objects.all())
    territories = list(Territory.objects.all())
    # Territory names go through Territory.__str__, which translates the default ones.
    names = {territory.pk: str(territory) for territory in territories} | {None: gettext("No territory")}
    return Dashboard(
        on=on,
        tiers=tiers,
        by_territory=partners_by_tier_and_territory(tiers, territories),
        targets=target_progress(RecruitmentTarget.objects.current(on=on).select_related("territory"), on=on),
        revenue_by_territory=[(names[pk], total) for pk, total in revenue_by(on=on, field="partner__territory")],
        revenue_by_distributor=revenue_by(on=on, field="distributor__name"),
        revenue_by_month=revenue_by_month(on=on),
        waiting=waiting_counts(),
        **expiring_certifications(on=on),
    )


def partners_by_tier_and_territory(tiers: list[Tier], territories: list[Territory]) -> list[TierCounts]:
    """Active partners (by status) per territory and tier; every territory gets a row, even an empty one."""
    counts = {
        (row["territory"], row["tier"]): row["n"]
        for row in Partner.objects.active().order_by().values("territory", "tier").annotate(n=Count("pk"))
    }
    rows = [
        TierCounts(territory, [counts.get((territory and territory.pk, tier.pk), 0) for tier in tiers])
        for territory in [*territories, None]
    ]
    # Partners without a territory only get a row when there are some.
    return [row for row in rows if row.territory is not None or row.total]


def revenue_by(*, on: datetime.date, field: str) -> list[tuple]:
    """The last 12 months' purchases, (on minus one year, on], summed per value of `field`, largest first."""
    rows = (
        Purchase.objects.in_window(one_year_before(on), on)
        .order_by()
        .values(field)
        .annotate(total=Sum("amount_eur"))
        .values_list(field, "total")
    )
    return sorted(rows, key=lambda pair: (-pair[1], str(pair[0])))


def revenue_by_month(*, on: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    """Purchases per calendar month, the current month (up to `on`) and the 11 before it; empty months are 0."""
    months = [month_start(on, back) for back in reversed(range(MONTHS))]
    rows = (
        Purchase.objects.filter(invoice_date__gte=months[0], invoice_date__lte=on)
        .annotate(month=TruncMonth("invoice_date"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount_eur"))
        .values_list("month", "total")
    )
    totals = {month: total for month, total in rows}
    return [(month, totals.get(month, Decimal(0))) for month in months]


def month_start(day: datetime.date, back: int) -> datetime.date:
    """The first day of the month `back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def waiting_counts() -> Waiting:
    partners = Partner.objects.aggregate(
        applications=Count("pk", filter=Q(status=Partner.Status.APPLIED)),
        # As the tier review counts them: a proposal on a partner no longer active waits for nobody.
        downgrades=Count("pk", filter=Q(status=Partner.Status.ACTIVE, proposed_tier__isnull=False)),
    )
    return Waiting(
        applications=partners["applications"],
        downgrades=partners["downgrades"],
        nfr_approvals=Licence.objects.pending().count(),
        nominations=Nomination.objects.filter(status=Nomination.Status.PENDING).count(),
        distributor_applications=DistributorApplication.objects.filter(
            status=DistributorApplication.Status.PENDING
        ).count(),
    )


def expiring_certifications(*, on: datetime.date) -> dict:
    """Certifications expiring from `on` to EXPIRY_WARNING_DAYS later, soonest first, at most EXPIRING_SHOWN."""
    expiring = Certification.objects.filter(
        expires_on__gte=on, expires_on__lte=on + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    )
    shown = list(expiring.select_related("partner", "holder").order_by("expires_on", "pk")[:EXPIRING_SHOWN])
    return {"expiring": shown, "expiring_total": expiring.count()}
