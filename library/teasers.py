"""Locked teasers: what a partner's tier does not reach yet, and what the partner lacks for it."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from partners.evaluation import Programme, evaluate_partners
from partners.models import Partner, Tier

from .models import Resource


@dataclass(frozen=True)
class LockedTier:
    tier: Tier
    missing: list[str]  # sentences for people, from the tier engine
    resources: list[Resource]


def locked_tiers(locked: QuerySet, partner: Partner, *, on: datetime.date) -> list[LockedTier]:
    """The resources of `locked` grouped by minimum tier, lowest first, each with what the partner lacks.

    One query for the resources; three more for the evaluation when anything is locked.
    """
    resources = list(locked.select_related("min_tier").order_by("min_tier__rank", "title"))
    if not resources:
        return []
    programme = Programme.load()
    evaluation = next(evaluate_partners(Partner.objects.filter(pk=partner.pk), on=on, programme=programme))
    groups: dict[int, list[Resource]] = {}
    for resource in resources:
        groups.setdefault(resource.min_tier_id, []).append(resource)
    return [
        LockedTier(
            tier=group[0].min_tier,
            missing=programme.missing(group[0].min_tier, evaluation.volume_12m, evaluation.certified_technicians),
            resources=group,
        )
        for group in groups.values()
    ]
