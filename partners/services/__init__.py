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
from .distributors import (
    distributor_for_territory,
    distributor_save,
    distributor_territory_conflicts,
    territory_for_address,
)
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
from .tiers import (
    ReviewSummary,
    downgrade_apply,
    downgrade_reject,
    partner_nominate,
    partner_revoke_nomination,
    tier_review,
)

__all__ = [
    "Applicant",
    "ReviewSummary",
    "account_for_email",
    "application_address_taken_notify",
    "application_approved_notify",
    "application_rejected_notify",
    "distributor_for_territory",
    "distributor_save",
    "distributor_territory_conflicts",
    "downgrade_apply",
    "downgrade_reject",
    "invitation_accept",
    "invitation_accept_new_account",
    "invitation_cancel",
    "invitation_create",
    "invitation_resend",
    "membership_preferences_update",
    "membership_remove",
    "partner_apply",
    "partner_approve",
    "partner_mfa_requirement_set",
    "partner_nominate",
    "partner_profile_update",
    "partner_reject",
    "partner_revoke_nomination",
    "territory_for_address",
    "tier_review",
]
