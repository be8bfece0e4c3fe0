"""The only gate: which person may see which partner's data, at which tier.

Every extranet view goes through `partner_member_required` (or `partner_owner_required`),
and every object lookup through an `access_*_for_user` function, which answers 404 alike
for "does not exist" and "not yours", so ids of other partners reveal nothing.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import Membership, Partner, Tier

# Members of these partners see only their application's status page.
UNDER_REVIEW = (Partner.Status.APPLIED, Partner.Status.REJECTED)


def membership_for_user(user) -> Membership | None:
    """The person's membership with its partner and tier, or None (anonymous, staff, nobody's member)."""
    if not user.is_authenticated:
        return None
    try:
        return Membership.objects.select_related("partner__tier", "partner__account_manager").get(user=user)
    except Membership.DoesNotExist:
        return None


def membership_for_request(request: HttpRequest) -> Membership | None:
    """`membership_for_user(request.user)`, queried once per request (the MFA gate asks first)."""
    if not hasattr(request, "_cached_membership"):
        request._cached_membership = membership_for_user(request.user)
    return request._cached_membership


def tier_reaches(partner: Partner, minimum: Tier | None) -> bool:
    """Benefits accumulate upward: a tier reaches everything meant for its rank and below."""
    return minimum is None or partner.tier.rank >= minimum.rank


def partner_member_required(view: Callable) -> Callable:
    """Let through members of an active partner; set `request.membership` and `request.partner`.

    Anonymous visitors go to the login page; a member of a partner whose application is
    under review goes to its status page; everybody else gets 403 with the reason.
    """

    @wraps(view)
    def gate(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_for_request(request)
        if membership is None:
            raise PermissionDenied(_("Your account does not belong to a partner of the programme."))
        if membership.partner.status in UNDER_REVIEW:
            return redirect("partners:application-status")
        if membership.partner.status != Partner.Status.ACTIVE:
            raise PermissionDenied(
                _("The partnership of %(partner)s is %(status)s; the extranet is closed to it.")
                % {"partner": membership.partner.name, "status": membership.partner.get_status_display().lower()}
            )
        request.membership, request.partner = membership, membership.partner
        return view(request, *args, **kwargs)

    return gate


def partner_applicant_required(view: Callable) -> Callable:
    """Let through members of a partner whose application is under review or was rejected.

    Sets `request.membership` (not `request.partner`: the extranet's navigation stays hidden).
    Anonymous visitors go to the login page; members of an active partner to the dashboard;
    everybody else gets 403.
    """

    @wraps(view)
    def gate(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = membership_for_request(request)
        if membership is None:
            raise PermissionDenied(_("Your account does not belong to a partner of the programme."))
        if membership.partner.status == Partner.Status.ACTIVE:
            return redirect("partners:dashboard")
        if membership.partner.status not in UNDER_REVIEW:
            raise PermissionDenied(
                _("The partnership of %(partner)s is %(status)s; the extranet is closed to it.")
                % {"partner": membership.partner.name, "status": membership.partner.get_status_display().lower()}
            )
        request.membership = membership
        return view(request, *args, **kwargs)

    return gate


def partner_owner_required(view: Callable) -> Callable:
    """Like `partner_member_required`, for what only the partner's owners may do."""

    @partner_member_required
    @wraps(view)
    def gate(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.membership.role != Membership.Role.OWNER:
            raise PermissionDenied(_("Only an owner of %(partner)s may do this.") % {"partner": request.partner.name})
        return view(request, *args, **kwargs)

    return gate


def get_or_404(queryset: QuerySet, **lookup) -> Model:
    """The object if `queryset` (already scoped to the person) holds it; 404 otherwise."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
