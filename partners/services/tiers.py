"""The tier engine's writes: the scheduled review and staff decisions on downgrades. Each is logged.

Every applied change, and every newly proposed downgrade, is emailed to the partner's
members after the commit (see `tier_emails`). Nominations are in `nominations`.
"""

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history, update_change_reason

from accounts.models import User

from ..evaluation import Evaluation, evaluate_partner, evaluate_partners
from ..models import Partner, Tier, TierChange
from ..signals import partners_bulk_changed
from .tier_emails import downgrade_proposals_notify, tier_changes_notify


def log_tier_change(evaluation: Evaluation, *, kind: str, to_tier: Tier, reason: str, actor: User | None) -> TierChange:
    return TierChange(
        partner=evaluation.partner,
        kind=kind,
        from_tier=evaluation.held,
        to_tier=to_tier,
        reason=reason,
        volume_12m=evaluation.volume_12m,
        certified_technicians=evaluation.certified_technicians,
        decided_by=actor,
    )


def locked_partner(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


@dataclass
class ReviewSummary:
    evaluated: int = 0
    upgrades: list[Evaluation] = field(default_factory=list)
    proposed_downgrades: list[Evaluation] = field(default_factory=list)
    applied_downgrades: list[Evaluation] = field(default_factory=list)
    flags: list[Evaluation] = field(default_factory=list)
    withdrawn_proposals: list[Evaluation] = field(default_factory=list)


def tier_review(
    *, on: datetime.date | None = None, actor: User | None = None, dry_run: bool = False, partners=None
) -> ReviewSummary:
    """Evaluate active partners and act on the result, set-based.

    Upgrades apply at once. A downgrade is first proposed; it applies once the held
    tier's grace period has passed since the proposal. Nominated tiers are never changed
    here, only flagged. With `dry_run` nothing is written. The number of queries does
    not depend on the number of partners.
    """
    on = on or timezone.localdate()
    summary = ReviewSummary()
    # Re-select by id: the caller's queryset may be DISTINCT or sliced, which cannot be locked.
    queryset = Partner.objects.active()
    if partners is not None:
        queryset = queryset.filter(pk__in=partners.order_by().values("pk"))
    with transaction.atomic():
        if not dry_run:
            queryset = queryset.select_for_update(of=("self",))
        changed: list[Partner] = []
        log: list[TierChange] = []
        for evaluation in evaluate_partners(queryset, on=on):
            summary.evaluated += 1
            partner = evaluation.partner
            if evaluation.is_flagged:
                summary.flags.append(evaluation)
            elif evaluation.is_upgrade:
                summary.upgrades.append(evaluation)
                reason = _("Meets the criteria of %(tier)s.") % {"tier": evaluation.qualified.name}
                log.append(
                    log_tier_change(
                        evaluation,
                        kind=TierChange.Kind.UPGRADE,
                        to_tier=evaluation.qualified,
                        reason=reason,
                        actor=actor,
                    )
                )
                partner.tier, partner.proposed_tier, partner.proposed_on = evaluation.qualified, None, None
                changed.append(partner)
            elif evaluation.is_downgrade:
                grace_ends = partner.proposed_on and partner.proposed_on + datetime.timedelta(
                    days=evaluation.held.downgrade_grace_days
                )
                if grace_ends and grace_ends <= on:
                    summary.applied_downgrades.append(evaluation)
                    reason = _("Grace period since %(date)s ended; lacks %(missing)s.") % {
                        "date": partner.proposed_on.isoformat(),
                        "missing": ", ".join(evaluation.missing_for_held),
                    }
                    log.append(
                        log_tier_change(
                            evaluation,
                            kind=TierChange.Kind.DOWNGRADE,
                            to_tier=evaluation.qualified,
                            reason=reason,
                            actor=actor,
                        )
                    )
                    partner.tier, partner.proposed_tier, partner.proposed_on = evaluation.qualified, None, None
                    changed.append(partner)
                elif partner.proposed_tier_id != evaluation.qualified.pk:
                    summary.proposed_downgrades.append(evaluation)
                    partner.proposed_tier, partner.proposed_on = evaluation.qualified, partner.proposed_on or on
                    changed.append(partner)
            elif partner.proposed_tier_id:
                summary.withdrawn_proposals.append(evaluation)
                partner.proposed_tier, partner.proposed_on = None, None
                changed.append(partner)
        if not dry_run and changed:
            bulk_update_with_history(
                changed,
                Partner,
                ["tier", "proposed_tier", "proposed_on"],
                batch_size=500,
                default_user=actor,
                default_change_reason="tier review",
            )
            TierChange.objects.bulk_create(log, batch_size=500)
            transaction.on_commit(lambda: partners_bulk_changed.send(sender=Partner))
            # Mail only once the changes are committed, and without holding the partners' locks.
            if log:
                change_ids = [change.pk for change in log]
                transaction.on_commit(partial(tier_changes_notify, change_ids=change_ids), robust=True)
            if proposed := [evaluation.partner.pk for evaluation in summary.proposed_downgrades]:
                transaction.on_commit(partial(downgrade_proposals_notify, partner_ids=proposed, on=on), robust=True)
    return summary


@transaction.atomic
def downgrade_apply(*, partner: Partner, actor: User) -> Partner:
    """Apply a proposed downgrade now, before its grace period ends."""
    partner = locked_partner(partner)
    if partner.proposed_tier_id is None:
        raise ValidationError(_("%(partner)s has no proposed downgrade.") % {"partner": partner})
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    target = partner.proposed_tier
    reason = _("Proposed downgrade approved; lacks %(missing)s.") % {
        "missing": ", ".join(evaluation.missing_for_held) or "-"
    }
    partner.tier, partner.proposed_tier, partner.proposed_on = target, None, None
    partner._history_user = actor
    partner.save()
    change = log_tier_change(evaluation, kind=TierChange.Kind.DOWNGRADE, to_tier=target, reason=reason, actor=actor)
    change.save()
    transaction.on_commit(partial(tier_changes_notify, change_ids=[change.pk]), robust=True)
    return partner


@transaction.atomic
def downgrade_reject(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Keep the partner's tier; the proposal is dropped and the decision kept in its history."""
    if not reason.strip():
        raise ValidationError(_("Rejecting a downgrade needs a reason."))
    partner = locked_partner(partner)
    if partner.proposed_tier_id is None:
        raise ValidationError(_("%(partner)s has no proposed downgrade.") % {"partner": partner})
    partner.proposed_tier, partner.proposed_on = None, None
    partner._history_user = actor
    partner.save()
    update_change_reason(partner, _("Downgrade rejected: %(reason)s") % {"reason": reason.strip()})
    return partner
