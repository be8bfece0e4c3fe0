from functools import partial

from django.conf import settings
from django.http import HttpRequest

from .access import membership_for_request
from .models import Partner


def _active_partner(request: HttpRequest) -> Partner | None:
    membership = membership_for_request(request) if request.user.is_authenticated else None
    return membership.partner if membership and membership.partner.status == Partner.Status.ACTIVE else None


def programme(request):
    """What every page may show: the partner desk, and the signed-in person's active partner.

    The partner is looked up only when a template uses it (the templates call it), from the
    membership the MFA gate usually read already for this request.
    """
    return {
        "partner_desk_email": settings.EXTRANET_PARTNER_DESK_EMAIL,
        "extranet_partner": partial(_active_partner, request),
    }
