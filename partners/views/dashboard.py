"""`/extranet/`: where the partner stands in the programme and what its next tier takes."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import User

from ..access import partner_member_required
from ..evaluation import Evaluation, Programme, evaluate_partners
from ..models import Certification, Distributor, Partner, Tier
from ..services import distributor_for_territory

EXPIRY_WARNING_DAYS = 60
PROGRESS_STEP = 5  # the progress bar's width classes come in steps of 5 % (CSP: no inline styles)


@dataclass(frozen=True)
class Progress:
    """The 12-month volume against the next tier's minimum."""

    tier: Tier
    volume: Decimal
    target: Decimal
    percent: int  # 0..100, rounded down
    width: int  # percent rounded down to the step, for the bar's CSS class


@dataclass(frozen=True)
class LockedTier:
    tier: Tier
    benefits: list[str]
    missing: list[str]


@dataclass(frozen=True)
class Dashboard:
    partner: Partner
    evaluation: Evaluation
    progress: Progress | None
    unlocked: list[tuple[Tier, list[str]]]
    locked: list[LockedTier]
    expiring: list[Certification]
    proposed_tier: Tier | None
    account_manager: User | None
    distributor: Distributor | None


def volume_progress(tier: Tier, volume: Decimal) -> Progress:
    target = tier.min_annual_volume
    percent = 100 if target <= 0 else min(100, int(volume * 100 / target))
    return Progress(
        tier=tier, volume=volume, target=target, percent=percent, width=percent // PROGRESS_STEP * PROGRESS_STEP
    )


def partner_distributor(partner: Partner) -> Distributor | None:
    """Who serves the partner's territory now; else the distributor its record names, while active."""
    serving = distributor_for_territory(partner.territory_id)
    if serving is None and partner.distributor_id:
        serving = Distributor.objects.active().filter(pk=partner.distributor_id).first()
    return serving


def dashboard_for(partner: Partner, on: datetime.date) -> Dashboard:
    """Everything the dashboard shows, from the tier engine, in a fixed number of queries."""
    programme = Programme.load()
    evaluation = next(evaluate_partners(Partner.objects.filter(pk=partner.pk), on=on, programme=programme))
    held, volume, technicians = evaluation.held, evaluation.volume_12m, evaluation.certified_technicians
    expiring = list(
        Certification.objects.current(on=on)
        .filter(partner=partner, expires_on__lte=on + datetime.timedelta(days=EXPIRY_WARNING_DAYS))
        .select_related("holder")
        .order_by("expires_on", "holder__last_name")
    )
    # Looked after by a channel account manager is a benefit above the entry tier.
    above_entry = held.rank > programme.entry_tier.rank
    tiers = {tier.pk: tier for tier in programme.tiers}
    return Dashboard(
        partner=partner,
        evaluation=evaluation,
        progress=volume_progress(evaluation.next_tier, volume) if evaluation.next_tier else None,
        unlocked=[(tier, tier.benefit_list()) for tier in programme.tiers if tier.rank <= held.rank],
        locked=[
            LockedTier(tier=tier, benefits=tier.benefit_list(), missing=programme.missing(tier, volume, technicians))
            for tier in programme.tiers
            if tier.rank > held.rank
        ],
        expiring=expiring,
        proposed_tier=tiers.get(evaluation.partner.proposed_tier_id),
        account_manager=partner.account_manager if above_entry else None,
        distributor=partner_distributor(partner),
    )


@require_GET
@partner_member_required
def dashboard(request: HttpRequest) -> HttpResponse:
    data = dashboard_for(request.partner, timezone.localdate())
    return render(
        request,
        "partners/dashboard.html",
        {"dashboard": data, "evaluation": data.evaluation, "partner_desk_email": settings.EXTRANET_PARTNER_DESK_EMAIL},
    )
