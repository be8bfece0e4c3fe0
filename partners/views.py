from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import MarginBand, Tier


@dataclass(frozen=True)
class TierOffer:
    """A tier as the public programme page presents it."""

    tier: Tier
    benefits: list[str]
    includes: Tier | None  # the tier below, whose benefits this one has too
    margin_low: Decimal | None
    margin_high: Decimal | None


def _margins_in_force(bands: list[MarginBand]) -> list[Decimal]:
    """The margin of each threshold's latest version; `bands` must be newest first."""
    latest: dict[Decimal, Decimal] = {}
    for band in bands:
        latest.setdefault(band.min_volume, band.margin_percent)
    return list(latest.values())


def tier_offers() -> list[TierOffer]:
    """Every tier in rank order with its margin range today, in two queries."""
    in_force = MarginBand.objects.filter(effective_from__lte=timezone.localdate()).order_by("-effective_from")
    tiers = Tier.objects.order_by("rank").prefetch_related(
        Prefetch("margin_bands", queryset=in_force, to_attr="bands_in_force")
    )
    offers, below = [], None
    for tier in tiers:
        margins = _margins_in_force(tier.bands_in_force)
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
    offers = tier_offers()
    lows = [offer.margin_low for offer in offers if offer.margin_low is not None]
    highs = [offer.margin_high for offer in offers if offer.margin_high is not None]
    return render(
        request,
        "partners/programme.html",
        {
            "offers": offers,
            "margin_low": min(lows, default=None),
            "margin_high": max(highs, default=None),
            "partner_desk_email": settings.EXTRANET_PARTNER_DESK_EMAIL,
        },
    )


@require_GET
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page says; the icon's static URL changes with its content.
    return redirect(static("favicon.svg"))
