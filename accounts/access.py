"""Who must use a second factor before going anywhere else.

Members of a partner whose owner requires it (`Partner.require_mfa`), and staff in the
admin while EXTRANET_REQUIRE_STAFF_MFA is on. Enforced by `accounts.middleware`.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from partners.access import membership_for_request


def mfa_requirement_for_request(request: HttpRequest) -> str | None:
    """Why this signed-in person must use two-factor authentication here, or None if they need not.

    Answers from at most one query (the membership, which the partner gate reuses).
    """
    match = request.resolver_match
    if match is not None and "admin" in match.namespaces:
        if request.user.is_staff and settings.EXTRANET_REQUIRE_STAFF_MFA:
            return _("Staff need two-factor authentication to use the admin. Set up an authenticator app first.")
        return None
    membership = membership_for_request(request)
    if membership is not None and membership.partner.require_mfa:
        return _(
            "%(partner)s requires two-factor authentication for all its members. "
            "Set up an authenticator app to continue."
        ) % {"partner": membership.partner.name}
    return None
