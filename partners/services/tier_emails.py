"""Emails to a partner's people about its tier: a change applied, a downgrade proposed.

They are sent after the commit that made the change, each in the member's language, with
one mail connection for the lot, so a review that changes many partners does not open
one connection per email. A mail server that refuses is logged, never undoes the change.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.core.mail import EmailMultiAlternatives, mailers
from django.utils import translation

from accounts.emails import email_message_for_user

from ..evaluation import Programme
from ..models import Membership, Partner, TierChange

logger = logging.getLogger(__name__)

CHANGE_TEMPLATE = "emails/partners/tier_changed"
PROPOSAL_TEMPLATE = "emails/partners/tier_downgrade_proposed"


def _members_by_partner(partner_ids: Iterable[int]) -> dict[int, list[Membership]]:
    members = defaultdict(list)
    memberships = (
        Membership.objects.filter(partner_id__in=list(partner_ids), user__is_active=True)
        .select_related("user")
        .order_by("partner_id", "pk")
    )
    for membership in memberships:
        members[membership.partner_id].append(membership)
    return members


def _send(messages: list[EmailMultiAlternatives], what: str) -> None:
    if not messages:
        return
    try:
        mailers.default.send_messages(messages)
    except Exception:  # the change stands; staff find the failure in the log
        logger.exception("Could not send %d %s emails", len(messages), what)
    else:
        logger.info("Sent %d %s emails", len(messages), what)


def tier_changes_notify(*, change_ids: Iterable[int], notes: Mapping[int, str] | None = None) -> int:
    """Email every active member of each changed partner: old tier, new tier, and why.

    `notes` maps a change's id to the staff's own words for the partner (a nomination's
    reason); otherwise an upgrade names the criteria met and a downgrade what is missing,
    computed from the metrics logged with the change. Returns the number of emails.
    """
    notes = notes or {}
    changes = list(TierChange.objects.filter(pk__in=list(change_ids)).select_related("partner", "from_tier", "to_tier"))
    if not changes:
        return 0
    programme = Programme.load()
    members = _members_by_partner(change.partner_id for change in changes)
    messages = []
    for change in changes:
        for membership in members[change.partner_id]:
            with translation.override(membership.user.language):
                missing = (
                    programme.missing(change.from_tier, change.volume_12m, change.certified_technicians)
                    if change.kind == TierChange.Kind.DOWNGRADE and change.from_tier
                    else []
                )
            context = {"partner": change.partner, "change": change, "missing": missing, "note": notes.get(change.pk)}
            messages.append(email_message_for_user(user=membership.user, template=CHANGE_TEMPLATE, context=context))
    _send(messages, "tier change")
    return len(messages)


def downgrade_proposals_notify(*, partner_ids: Iterable[int], on: datetime.date) -> int:
    """Tell each active member of these partners that a downgrade is proposed, what is missing and when it applies.

    The partners are read again after the commit, so a proposal dropped since is not announced.
    """
    partners = list(
        Partner.objects.filter(pk__in=list(partner_ids), proposed_tier__isnull=False, proposed_on__isnull=False)
        .with_metrics(on=on)
        .select_related("tier", "proposed_tier")
    )
    if not partners:
        return 0
    programme = Programme.load()
    members = _members_by_partner(partner.pk for partner in partners)
    messages = []
    for partner in partners:
        applies_on = partner.proposed_on + datetime.timedelta(days=partner.tier.downgrade_grace_days)
        for membership in members[partner.pk]:
            with translation.override(membership.user.language):
                missing = programme.missing(partner.tier, partner.volume_12m, partner.certified_technicians)
            context = {"partner": partner, "applies_on": applies_on, "missing": missing}
            messages.append(email_message_for_user(user=membership.user, template=PROPOSAL_TEMPLATE, context=context))
    _send(messages, "downgrade proposal")
    return len(messages)
