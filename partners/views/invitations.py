"""`/invitations/<token>/`: joining a partner's team from the emailed link."""

from http import HTTPStatus

from allauth.account.models import EmailAddress
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..access import membership_for_user
from ..extranet_forms import InvitationAcceptForm
from ..models import Invitation
from ..services import account_for_email, invitation_accept, invitation_accept_new_account


def _refused(request: HttpRequest, invitation: Invitation, reason: str) -> HttpResponse:
    return render(
        request,
        "partners/invitation_refused.html",
        {"invitation": invitation, "reason": reason},
        status=HTTPStatus.FORBIDDEN,
    )


def _joined(request: HttpRequest, invitation: Invitation) -> None:
    messages.success(
        request,
        _("Welcome to the team of %(partner)s.") % {"partner": invitation.partner.name},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.usable().select_related("partner", "invited_by").filter(token=token).first()
    if invitation is None:
        # Unknown, used, expired or cancelled: one answer, so a link reveals nothing about others.
        return render(request, "partners/invitation_invalid.html", status=HTTPStatus.NOT_FOUND)
    if request.user.is_authenticated:
        return _accept_signed_in(request, invitation)
    if account_for_email(invitation.email) is not None:
        login_url = f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: request.path})}"
        return render(request, "partners/invitation_sign_in.html", {"invitation": invitation, "login_url": login_url})
    form = InvitationAcceptForm(request.POST or None, email=invitation.email, initial={"language": invitation.language})
    if form.is_valid():
        try:
            membership = invitation_accept_new_account(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _joined(request, invitation)
            return perform_login(request, membership.user, redirect_url=reverse("partners:dashboard"), signup=True)
    return render(request, "partners/invitation_accept.html", {"invitation": invitation, "form": form})


def _accept_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    membership = membership_for_user(request.user)
    if membership is not None:
        if membership.partner_id == invitation.partner_id:
            messages.info(request, _("You are a member of %(partner)s already.") % {"partner": invitation.partner.name})
            return redirect("partners:dashboard")
        return _refused(
            request,
            invitation,
            _(
                "Your account belongs to %(partner)s. A person can belong to one partner only: "
                "ask an owner of %(partner)s to remove you first, or sign in with another account."
            )
            % {"partner": membership.partner.name},
        )
    addresses = {
        address.lower() for address in EmailAddress.objects.filter(user=request.user).values_list("email", flat=True)
    }
    if invitation.email.lower() not in addresses | {request.user.email.lower()}:
        # Whoever got the link forwarded must not join with another account.
        return _refused(
            request,
            invitation,
            _("This invitation was sent to %(invited)s, but you are signed in as %(email)s.")
            % {"invited": invitation.email, "email": request.user.email},
        )
    if request.user.is_staff:
        return _refused(request, invitation, _("Staff accounts cannot join a partner's team."))
    if request.method == "POST":
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            return _refused(request, invitation, " ".join(error.messages))
        _joined(request, invitation)
        return redirect("partners:dashboard")
    return render(request, "partners/invitation_join.html", {"invitation": invitation})
