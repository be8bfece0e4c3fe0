"""Writes with side effects. Each one is transactional and leaves an audit trail."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history, update_change_reason

from accounts.models import User

from .evaluation import Evaluation, Programme, evaluate_partner, evaluate_partners
from .models import Distributor, Partner, Territory, Tier, TierChange


def _log_change(evaluation: Evaluation, *, kind: str, to_tier: Tier, reason: str, actor: User | None) -> TierChange:
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


def _locked(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


# Tier review -------------------------------------------------------------------------


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
                    _log_change(
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
                        _log_change(
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
    return summary


# Decisions by staff ------------------------------------------------------------------


@transaction.atomic
def partner_approve(*, partner: Partner, actor: User) -> Partner:
    """Admit an applicant into the programme's entry tier."""
    partner = _locked(partner)
    if partner.status != Partner.Status.APPLIED:
        raise ValidationError(_("%(partner)s is not an open application.") % {"partner": partner})
    programme = Programme.load()
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    partner.status = Partner.Status.ACTIVE
    partner.tier = programme.entry_tier
    partner.joined_on = partner.joined_on or timezone.localdate()
    partner._history_user = actor
    partner.save()
    _log_change(
        evaluation,
        kind=TierChange.Kind.ADMISSION,
        to_tier=programme.entry_tier,
        reason=_("Application approved."),
        actor=actor,
    ).save()
    return partner


@transaction.atomic
def partner_nominate(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Grant the nomination-only tier above the partner's current one."""
    if not reason.strip():
        raise ValidationError(_("A nomination needs a reason."))
    partner = _locked(partner)
    if partner.status != Partner.Status.ACTIVE:
        raise ValidationError(
            _("Only active partners can be nominated; %(partner)s is %(status)s.")
            % {"partner": partner, "status": partner.get_status_display()}
        )
    target = Programme.load().nomination_target(partner.tier)
    if target is None:
        raise ValidationError(_("%(partner)s already holds the highest nominated tier.") % {"partner": partner})
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    partner.tier, partner.proposed_tier, partner.proposed_on = target, None, None
    partner.nominated_by, partner.nominated_at, partner.nomination_reason = actor, timezone.now(), reason.strip()
    partner._history_user = actor
    partner.save()
    _log_change(evaluation, kind=TierChange.Kind.NOMINATION, to_tier=target, reason=reason.strip(), actor=actor).save()
    return partner


@transaction.atomic
def partner_revoke_nomination(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Take a nominated tier away; the partner falls to the tier its metrics qualify for."""
    if not reason.strip():
        raise ValidationError(_("A revocation needs a reason."))
    partner = _locked(partner)
    if not partner.tier.nomination_only:
        raise ValidationError(_("%(partner)s holds no nominated tier.") % {"partner": partner})
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    partner.tier = evaluation.qualified
    partner.nominated_by, partner.nominated_at, partner.nomination_reason = None, None, ""
    partner._history_user = actor
    partner.save()
    _log_change(
        evaluation, kind=TierChange.Kind.REVOCATION, to_tier=evaluation.qualified, reason=reason.strip(), actor=actor
    ).save()
    return partner


@transaction.atomic
def downgrade_apply(*, partner: Partner, actor: User) -> Partner:
    """Apply a proposed downgrade now, before its grace period ends."""
    partner = _locked(partner)
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
    _log_change(evaluation, kind=TierChange.Kind.DOWNGRADE, to_tier=target, reason=reason, actor=actor).save()
    return partner


@transaction.atomic
def downgrade_reject(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Keep the partner's tier; the proposal is dropped and the decision kept in its history."""
    if not reason.strip():
        raise ValidationError(_("Rejecting a downgrade needs a reason."))
    partner = _locked(partner)
    if partner.proposed_tier_id is None:
        raise ValidationError(_("%(partner)s has no proposed downgrade.") % {"partner": partner})
    partner.proposed_tier, partner.proposed_on = None, None
    partner._history_user = actor
    partner.save()
    update_change_reason(partner, _("Downgrade rejected: %(reason)s") % {"reason": reason.strip()})
    return partner


# Distributors ------------------------------------------------------------------------


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
