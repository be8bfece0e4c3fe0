"""Four-eyes nominations: one staff member proposes granting or revoking a nomination-only tier,
a second one confirms (the tier changes) or declines. The proposer may withdraw.

The nomination row is the audit of the decision; a confirmed one also writes the tier
change log and the partner's history, and its members are emailed after the commit.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..evaluation import Programme, evaluate_partner
from ..models import Nomination, Partner, Tier, TierChange
from .tier_emails import tier_changes_notify
from .tiers import locked_partner, log_tier_change


def _target(partner: Partner, kind: str) -> Tier:
    """The tier a proposal of `kind` is about, or a `ValidationError` saying why there is none."""
    if kind == Nomination.Kind.GRANT:
        if partner.status != Partner.Status.ACTIVE:
            raise ValidationError(
                _("Only active partners can be nominated; %(partner)s is %(status)s.")
                % {"partner": partner, "status": partner.get_status_display()}
            )
        target = Programme.load().nomination_target(partner.tier)
        if target is None:
            raise ValidationError(_("%(partner)s already holds the highest nominated tier.") % {"partner": partner})
        return target
    if not partner.tier.nomination_only:
        raise ValidationError(_("%(partner)s holds no nominated tier.") % {"partner": partner})
    return partner.tier


@transaction.atomic
def nomination_propose(*, partner: Partner, kind: str, reason: str, actor: User) -> Nomination:
    """Propose granting the next nomination-only tier, or revoking the one held; nothing changes yet.

    Refused with a `ValidationError` without a reason, for a partner that cannot be nominated
    (or holds nothing to revoke), and while another proposal for the partner waits.
    """
    if not reason.strip():
        raise ValidationError(
            _("A nomination needs a reason.") if kind == Nomination.Kind.GRANT else _("A revocation needs a reason.")
        )
    # The partner's lock makes "no other pending proposal" hold against a concurrent proposal.
    partner = locked_partner(partner)
    target = _target(partner, kind)
    waiting = Nomination.objects.filter(partner=partner, status=Nomination.Status.PENDING).select_related("proposed_by")
    if pending := waiting.first():
        raise ValidationError(
            _("%(partner)s already has a proposal waiting for confirmation (%(kind)s, proposed by %(person)s).")
            % {"partner": partner, "kind": pending.get_kind_display(), "person": pending.proposed_by}
        )
    try:
        with transaction.atomic():
            return Nomination.objects.create(
                partner=partner, kind=kind, tier=target, reason=reason.strip(), proposed_by=actor
            )
    except IntegrityError:  # the constraint, should a proposal slip past the lock (SQLite has no row locks)
        raise ValidationError(
            _("%(partner)s already has a proposal waiting for confirmation.") % {"partner": partner}
        ) from None


def _locked_pending(nomination: Nomination) -> Nomination:
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("partner", "tier", "proposed_by")
        .get(pk=nomination.pk)
    )
    if nomination.status != Nomination.Status.PENDING:
        # decided_by is read after the lock: a join in the locking query may predate the other decision.
        raise ValidationError(
            _("The proposal for %(partner)s was already decided (%(status)s by %(person)s).")
            % {
                "partner": nomination.partner,
                "status": nomination.get_status_display().lower(),
                "person": nomination.decided_by or _("a former staff member"),
            }
        )
    return nomination


@transaction.atomic
def nomination_confirm(*, nomination: Nomination, actor: User) -> Nomination:
    """The second staff member's yes: grant or revoke the tier, log it, email the partner's members.

    Only someone other than the proposer may confirm. The nomination's row is locked, so of
    two confirmations at once one wins and the other is refused as already decided.
    """
    nomination = _locked_pending(nomination)
    if nomination.proposed_by_id == actor.pk:
        raise ValidationError(
            _("You proposed the nomination of %(partner)s; a second staff member must confirm it.")
            % {"partner": nomination.partner}
        )
    partner = locked_partner(nomination.partner)
    if _target(partner, nomination.kind) != nomination.tier:
        raise ValidationError(
            _("%(partner)s now holds %(tier)s, so the proposal no longer applies: decline it and propose again.")
            % {"partner": partner, "tier": partner.tier.name}
        )
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    names = {"reason": nomination.reason, "proposer": nomination.proposed_by, "confirmer": actor}
    if nomination.kind == Nomination.Kind.GRANT:
        kind, to_tier = TierChange.Kind.NOMINATION, nomination.tier
        partner.nominated_by, partner.nominated_at = nomination.proposed_by, timezone.now()
        partner.nomination_reason = nomination.reason
        log_reason = _("%(reason)s (nominated by %(proposer)s, confirmed by %(confirmer)s)") % names
    else:
        # The partner falls to the tier its metrics qualify for.
        kind, to_tier = TierChange.Kind.REVOCATION, evaluation.qualified
        partner.nominated_by, partner.nominated_at, partner.nomination_reason = None, None, ""
        log_reason = _("%(reason)s (revocation proposed by %(proposer)s, confirmed by %(confirmer)s)") % names
    partner.tier, partner.proposed_tier, partner.proposed_on = to_tier, None, None
    partner._history_user = actor
    partner._change_reason = log_reason
    partner.save()
    change = log_tier_change(evaluation, kind=kind, to_tier=to_tier, reason=log_reason, actor=actor)
    change.save()
    nomination.status, nomination.decided_by, nomination.decided_at = Nomination.Status.CONFIRMED, actor, timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at"])
    transaction.on_commit(
        partial(tier_changes_notify, change_ids=[change.pk], notes={change.pk: nomination.reason}), robust=True
    )
    return nomination


@transaction.atomic
def nomination_decline(*, nomination: Nomination, reason: str, actor: User) -> Nomination:
    """Turn a pending proposal down, with a note; the tier stays.

    When the proposer does it, it is a withdrawal: recorded the same way, with the proposer
    as the one who decided.
    """
    if not reason.strip():
        raise ValidationError(_("Declining a proposal needs a reason."))
    nomination = _locked_pending(nomination)
    nomination.status, nomination.decided_by, nomination.decided_at = Nomination.Status.DECLINED, actor, timezone.now()
    nomination.decision_note = reason.strip()
    nomination.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return nomination
