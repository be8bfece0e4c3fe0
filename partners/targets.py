"""Regional recruitment targets: how far each territory has come towards its goal of more active partners.

An active partner is one whose partnership is active (`Partner.objects.active()`) and which bought in the
last EXTRANET_ACTIVE_PARTNER_DAYS (as `Partner.objects.buying`): a suspended or ended partner's last
purchases do not count. The status is today's: history would cost a query per partner.
A target's progress compares the territory's active partners at the start of its period (the baseline)
with those on the day measured (today, or the period's end once it is over).
"""

import dataclasses
import datetime
import math
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .models import Partner, Purchase, RecruitmentTarget


class Status(models.TextChoices):
    """Where a target stands; `target_progress` documents how each is decided."""

    NOT_STARTED = "not-started", _("Not started")
    REACHED = "reached", _("Reached")
    ON_TRACK = "on-track", _("On track")
    BEHIND = "behind", _("Behind")
    MISSED = "missed", _("Missed")


@dataclasses.dataclass(frozen=True)
class TargetProgress:
    target: RecruitmentTarget
    measured_on: datetime.date
    baseline: int
    current: int
    expected: int  # the least gain that still counts as on track on `measured_on`
    status: Status

    @property
    def gained(self) -> int:
        return self.current - self.baseline

    @property
    def goal_min(self) -> int:
        return self.target.more_active_min

    @property
    def goal_max(self) -> int:
        return self.target.more_active_max or self.target.more_active_min


def goal_display(target: RecruitmentTarget) -> str:
    """The goal as people write it: "15–20", or "15" for a single figure."""
    low, high = target.more_active_min, target.more_active_max
    return f"{low}–{high}" if high and high != low else str(low)


def buying_counts(territory_ids: Iterable[int], days: Iterable[datetime.date]) -> dict[tuple[int, datetime.date], int]:
    """Active partners (status active, buying) per territory on each day, as {(territory_id, day): count}, in one query.

    Each day is a conditional count over the same rows, so more targets or days never mean more queries.
    """
    territory_ids, days = sorted(set(territory_ids)), sorted(set(days))
    if not territory_ids or not days:
        return {}
    window = datetime.timedelta(days=settings.EXTRANET_ACTIVE_PARTNER_DAYS)
    counts = {
        f"on_{index}": Count(
            "pk",
            filter=Exists(Purchase.objects.in_window(day - window, day).filter(partner=OuterRef("pk"))),
        )
        for index, day in enumerate(days)
    }
    rows = (
        Partner.objects.active()
        .filter(territory__in=territory_ids)
        .order_by()
        .values("territory")
        .annotate(**counts)
        .values_list("territory", *counts)
    )
    found = {(territory, day): row[index] for territory, *row in rows for index, day in enumerate(days)}
    return {(territory, day): found.get((territory, day), 0) for territory in territory_ids for day in days}


def target_progress(targets: Iterable[RecruitmentTarget], *, on: datetime.date) -> list[TargetProgress]:
    """Progress of each target on `on`, in the given order, with one query for all of them.

    - baseline: the territory's active partners on the day the period starts;
    - current: its active partners on `on`, or on the last day of the period once that is over
      (before the period starts, on its first day, so nothing is gained yet);
    - status: *not started* before the period; *reached* once the gain is at least the goal's lower
      end; otherwise *on track* while the gain is at least that lower end pro rata of the period
      elapsed (rounded down), *behind* when it is less, and *missed* once the period is over.
    """
    targets = list(targets)
    measured = {target.pk: min(max(on, target.starts_on), target.ends_on) for target in targets}
    counts = buying_counts(
        (target.territory_id for target in targets),
        [*(target.starts_on for target in targets), *measured.values()],
    )
    return [_progress(target, measured[target.pk], counts, on=on) for target in targets]


def _progress(target, measured_on, counts, *, on) -> TargetProgress:
    baseline = counts[(target.territory_id, target.starts_on)]
    current = counts[(target.territory_id, measured_on)]
    elapsed = (measured_on - target.starts_on) / (target.ends_on - target.starts_on)
    expected = math.floor(target.more_active_min * elapsed)
    gained = current - baseline
    if on < target.starts_on:
        status = Status.NOT_STARTED
    elif gained >= target.more_active_min:
        status = Status.REACHED
    elif on > target.ends_on:
        status = Status.MISSED
    elif gained >= expected:
        status = Status.ON_TRACK
    else:
        status = Status.BEHIND
    return TargetProgress(target, measured_on, baseline, current, expected, status)
