"""Distributors and their territories: no two active distributors serve the same ground."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Distributor, Territory


def distributor_territory_conflicts(*, distributor: Distributor, territories: Iterable[Territory]) -> list[str]:
    """Messages naming each active distributor already serving one of `territories`."""
    territories = list(territories)
    if not territories:
        return []
    countries = {t.country for t in territories}
    others = (
        Distributor.objects.active()
        .exclude(pk=distributor.pk)
        .filter(territories__country__in=countries)
        .distinct()
        .prefetch_related("territories")
    )
    conflicts = []
    for other in others:
        for theirs in other.territories.all():
            for mine in territories:
                if mine.overlaps(theirs):
                    conflicts.append(
                        _("%(territory)s is already served by %(distributor)s (%(their_territory)s).")
                        % {"territory": mine.name, "distributor": other.name, "their_territory": theirs.name}
                    )
    return conflicts


@transaction.atomic
def distributor_save(
    *, distributor: Distributor, territories: Iterable[Territory], actor: User | None = None
) -> Distributor:
    """Save a distributor and its territories; refuse a territory another active distributor serves."""
    territories = list(territories)
    # Lock the contested territories so two staff members cannot assign them at once.
    list(Territory.objects.select_for_update().filter(country__in={t.country for t in territories}))
    if distributor.is_active:
        conflicts = distributor_territory_conflicts(distributor=distributor, territories=territories)
        if conflicts:
            raise ValidationError(conflicts)
    distributor._history_user = actor
    distributor.save()
    distributor.territories.set(territories)
    return distributor


def territory_for_address(*, country: str, region: str) -> Territory | None:
    """The territory covering a company's country and canton: one listing the canton, else one covering the country."""
    region = region.strip().upper()
    whole_country = None
    for territory in Territory.objects.filter(country=country).order_by("pk"):
        codes = territory.region_codes()
        if region and region in codes:
            return territory
        if not codes and whole_country is None:
            whole_country = territory
    return whole_country


def distributor_for_territory(territory: Territory | int | None) -> Distributor | None:
    """The active distributor serving `territory` (or its id); overlaps are refused, so there is at most one."""
    if territory is None:
        return None
    return Distributor.objects.active().filter(territories=territory).order_by("pk").first()
