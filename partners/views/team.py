"""The partner's team: every member sees it; owners invite, re-invite and remove people."""

import datetime

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import get_or_404, partner_member_required, partner_owner_required
from ..extranet_forms import InvitationForm
from ..models import Certification, Membership, Partner
from ..services import invitation_cancel, invitation_create, invitation_resend, membership_remove


def team_members(partner: Partner, on: datetime.date):
    """The partner's members with their valid certifications and whether they use a second factor."""
    second_factor = Authenticator.objects.filter(user_id=OuterRef("user_id")).exclude(
        type=Authenticator.Type.RECOVERY_CODES
    )
    certifications = Certification.objects.filter(partner=partner, issued_on__lte=on, expires_on__gte=on).order_by(
        "expires_on"
    )
    return (
        partner.memberships.select_related("user")
        .annotate(uses_mfa=Exists(second_factor))
        .prefetch_related(Prefetch("user__certifications", queryset=certifications, to_attr="valid_certifications"))
        .order_by("role", "user__last_name", "user__first_name", "user__email")
    )


def _is_owner(request: HttpRequest) -> bool:
    return request.membership.role == Membership.Role.OWNER


@require_GET
@partner_member_required
def team(request: HttpRequest) -> HttpResponse:
    is_owner = _is_owner(request)
    invitations = (
        request.partner.invitations.pending().select_related("invited_by").order_by("-created_at") if is_owner else []
    )
    return render(
        request,
        "partners/team.html",
        {
            "members": team_members(request.partner, timezone.localdate()),
            "invitations": invitations,
            "is_owner": is_owner,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@partner_owner_required
@reauthentication_required(allow_get=True)
def team_invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, initial={"language": request.user.language})
    if form.is_valid():
        try:
            invitation = invitation_create(partner=request.partner, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link in it is valid for 14 days.") % {"email": invitation.email},
            )
            return redirect("partners:team")
    return render(request, "partners/team_invite.html", {"form": form})


def _report(request: HttpRequest, action, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("partners:team")


@require_POST
@partner_owner_required
@reauthentication_required
def invitation_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_or_404(request.partner.invitations.pending(), pk=pk)
    return _report(
        request,
        lambda: invitation_resend(invitation=invitation, actor=request.user),
        _("Invitation sent to %(email)s again, with a new link.") % {"email": invitation.email},
    )


@require_POST
@partner_owner_required
@reauthentication_required
def invitation_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_or_404(request.partner.invitations.pending(), pk=pk)
    return _report(
        request,
        lambda: invitation_cancel(invitation=invitation, actor=request.user),
        _("The invitation to %(email)s is cancelled; its link no longer works.") % {"email": invitation.email},
    )


@require_POST
@partner_owner_required
@reauthentication_required
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_or_404(request.partner.memberships.select_related("user"), pk=pk)
    return _report(
        request,
        lambda: membership_remove(membership=membership, actor=request.user),
        _("%(person)s is no longer a member of %(partner)s.")
        % {"person": membership.user, "partner": request.partner.name},
    )
