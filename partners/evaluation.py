"""The tier engine's reading side: what a partner qualifies for, its margin, what it lacks.

Pure computation over a snapshot of the programme's rules. `Programme.load()` costs two
queries, `evaluate_partners()` one more, whatever the number of partners.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import MarginBand, Partner, Tier


@dataclass(frozen=True)
class Evaluation:
    partner: Partner
    held: Tier
    qualified: Tier
    volume_12m: Decimal
    certified_technicians: int
    margin: Decimal | None
    next_tier: Tier | None
    missing_for_next: list[str]
    missing_for_held: list[str]

    @property
    def is_upgrade(self) -> bool:
        return not self.held.nomination_only and self.qualified.rank > self.held.rank

    @property
    def is_downgrade(self) -> bool:
        return not self.held.nomination_only and self.qualified.rank < self.held.rank

    @property
    def is_flagged(self) -> bool:
        """A nominated partner that no longer meets the criteria of the tier below its own."""
        return self.held.nomination_only and bool(self.missing_for_held)


class Programme:
    """The tiers and margin bands in force, loaded once and consulted many times."""

    def __init__(self, tiers: Iterable[Tier], bands: Iterable[MarginBand]):
        self.tiers = sorted(tiers, key=lambda tier: tier.rank)
        if not self.tiers:
            raise LookupError("The programme has no tiers: run the migrations.")
        self.bands = list(bands)

    @classmethod
    def load(cls) -> "Programme":
        return cls(Tier.objects.all(), MarginBand.objects.all())

    @property
    def entry_tier(self) -> Tier:
        return self.tiers[0]

    def meets(self, tier: Tier, volume: Decimal, technicians: int) -> bool:
        return volume >= tier.min_annual_volume and technicians >= tier.min_certified_technicians

    def qualified_tier(self, volume: Decimal, technicians: int) -> Tier:
        """The highest tier reachable by evaluation whose criteria are met; the entry tier at least."""
        reached = [t for t in self.tiers if not t.nomination_only and self.meets(t, volume, technicians)]
        return reached[-1] if reached else self.entry_tier

    def tier_above(self, tier: Tier) -> Tier | None:
        return next((t for t in self.tiers if t.rank > tier.rank), None)

    def nomination_target(self, tier: Tier) -> Tier | None:
        """The nomination-only tier a partner holding `tier` would be nominated to."""
        return next((t for t in self.tiers if t.nomination_only and t.rank > tier.rank), None)

    def reachable_tier_below(self, tier: Tier) -> Tier | None:
        below = [t for t in self.tiers if t.rank < tier.rank and not t.nomination_only]
        return below[-1] if below else None

    def bands_in_force(self, tier: Tier, on: datetime.date) -> dict[Decimal, Decimal]:
        """Volume threshold -> margin % for `tier`, each threshold in its latest version on `on`."""
        in_force = sorted(
            (b for b in self.bands if b.tier_id == tier.pk and b.effective_from <= on), key=lambda b: b.effective_from
        )
        return {band.min_volume: band.margin_percent for band in in_force}

    def margin(self, tier: Tier, volume: Decimal, on: datetime.date) -> Decimal | None:
        """The margin of the highest threshold the volume reaches."""
        bands = self.bands_in_force(tier, on)
        reached = [threshold for threshold in bands if threshold <= volume]
        return bands[max(reached)] if reached else None

    def missing(self, tier: Tier, volume: Decimal, technicians: int) -> list[str]:
        """What a partner with these metrics still lacks for `tier`, as sentences for people."""
        lacking = []
        if volume < tier.min_annual_volume:
            amount = number_format(tier.min_annual_volume - volume, decimal_pos=0, force_grouping=True)
            lacking.append(_("EUR %(amount)s more purchase volume") % {"amount": amount})
        if technicians < tier.min_certified_technicians:
            count = tier.min_certified_technicians - technicians
            lacking.append(
                ngettext("%(count)d certified technician", "%(count)d certified technicians", count) % {"count": count}
            )
        if tier.nomination_only:
            lacking.append(_("a nomination by the vendor"))
        return lacking

    def evaluate(self, partner: Partner, on: datetime.date) -> Evaluation:
        """Evaluate a partner annotated by `Partner.objects.with_metrics(on=on)`."""
        volume, technicians = partner.volume_12m, partner.certified_technicians
        held = partner.tier
        # A nominated partner is measured against the tier it would otherwise hold.
        measured = self.reachable_tier_below(held) if held.nomination_only else held
        next_tier = self.tier_above(held)
        return Evaluation(
            partner=partner,
            held=held,
            qualified=self.qualified_tier(volume, technicians),
            volume_12m=volume,
            certified_technicians=technicians,
            margin=self.margin(held, volume, on),
            next_tier=next_tier,
            missing_for_next=self.missing(next_tier, volume, technicians) if next_tier else [],
            missing_for_held=self.missing(measured, volume, technicians) if measured else [],
        )


def evaluate_partners(partners, *, on: datetime.date, programme: Programme | None = None) -> Iterator[Evaluation]:
    """Evaluate every partner of a queryset with three queries in all."""
    programme = programme or Programme.load()
    tiers = {tier.pk: tier for tier in programme.tiers}
    for partner in partners.with_metrics(on=on).order_by("pk"):
        # Share the programme's tier objects instead of joining them in again.
        partner.tier = tiers[partner.tier_id]
        yield programme.evaluate(partner, on)


def evaluate_partner(partner: Partner, *, on: datetime.date) -> Evaluation:
    return next(evaluate_partners(Partner.objects.filter(pk=partner.pk), on=on))
