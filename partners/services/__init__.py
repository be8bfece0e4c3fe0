"""Writes with side effects. Each one is transactional and leaves an audit trail.

Import services from here; the modules group them by concern.
"""

from .applications import (
    Applicant,
    account_for_email,
    application_address_taken_notify,
    application_approved_notify,
    application_rejected_notify,
    partner_apply,
    partner_approve,
    partner_reject,
)
from .distributor_applications import (
    distributor_application_accept,
    distributor_application_notify,
    distributor_application_overlap,
    distributor_application_refuse,
    distributor_application_save,
)
from .distributors import (
    distributor_for_territory,
    distributor_save,
    distributor_territory_conflicts,
    territory_for_address,
)
from .nominations import nomination_confirm, nomination_decline, nomination_propose
from .profile import partner_profile_update
from .team import (
    invitation_accept,
    invitation_accept_new_account,
    invitation_cancel,
    invitation_create,
    invitation_resend,
    membership_preferences_update,
    membership_remove,
    partner_mfa_requirement_set,
)
from .tier_emails import downgrade_proposals_notify, tier_changes_notify
from .tiers import ReviewSummary, downgrade_apply, downgrade_reject, tier_review

__all__ = [
    "Applicant",
    "ReviewSummary",
    "account_for_email",
    "application_address_taken_notify",
    "application_approved_notify",
    "application_rejected_notify",
    "distributor_application_accept",
    "distributor_application_notify",
    "distributor_application_overlap",
    "distributor_application_refuse",
    "distributor_application_save",
    "distributor_for_territory",
    "distributor_save",
    "distributor_territory_conflicts",
    "downgrade_apply",
    "downgrade_proposals_notify",
    "downgrade_reject",
    "invitation_accept",
    "invitation_accept_new_account",
    "invitation_cancel",
    "invitation_create",
    "invitation_resend",
    "membership_preferences_update",
    "membership_remove",
    "nomination_confirm",
    "nomination_decline",
    "nomination_propose",
    "partner_apply",
    "partner_approve",
    "partner_mfa_requirement_set",
    "partner_profile_update",
    "partner_reject",
    "territory_for_address",
    "tier_changes_notify",
    "tier_review",
]
