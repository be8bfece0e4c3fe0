"""The public programme page: the tiers, their criteria, margins and benefits."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..evaluation import Programme
from ..models import Tier


@dataclass(frozen=True)
class TierOffer:
    """A tier as the public programme page presents it."""

    tier: Tier
    benefits: list[str]
    includes: Tier | None  # the tier below, whose benefits this one has too
    margin_low: Decimal | None
    margin_high: Decimal | None


def tier_offers(programme: Programme, on: datetime.date) -> list[TierOffer]:
    """Every tier in rank order with its margin range on `on`."""
    offers, below = [], None
    for tier in programme.tiers:
        margins = programme.bands_in_force(tier, on).values()
        offers.append(
            TierOffer(
                tier=tier,
                benefits=tier.benefit_list(),
                includes=below,
                margin_low=min(margins, default=None),
                margin_high=max(margins, default=None),
            )
        )
        below = tier
    return offers


@require_GET
def programme(request):
    offers = tier_offers(Programme.load(), timezone.localdate())
    lows = [offer.margin_low for offer in offers if offer.margin_low is not None]
    highs = [offer.margin_high for offer in offers if offer.margin_high is not None]
    return render(
        request,
        "partners/programme.html",
        {
            "offers": offers,
            "margin_low": min(lows, default=None),
            "margin_high": max(highs, default=None),
        },
    )
