"""`/extranet/settings/`: a member's own preferences, and the owners' security rule for everyone."""

from allauth.account.decorators import reauthentication_required
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..access import partner_member_required, partner_owner_required
from ..extranet_forms import MfaRequirementForm, PreferencesForm
from ..models import Membership
from ..services import membership_preferences_update, partner_mfa_requirement_set


def _in_language(request: HttpRequest, language: str) -> HttpResponseRedirect:
    """Back to the settings page in `language`: the URL prefix decides a page's language."""
    with translation.override(language):
        response = redirect(reverse("partners:settings"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@partner_member_required
def settings_page(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = PreferencesForm(
        request.POST or None,
        initial={"language": request.user.language, "receives_newsletter": membership.receives_newsletter},
    )
    if form.is_valid():
        language = form.cleaned_data["language"]
        membership_preferences_update(
            membership=membership, language=language, receives_newsletter=form.cleaned_data["receives_newsletter"]
        )
        with translation.override(language):
            messages.success(request, _("Your settings are saved."))
        return _in_language(request, language)
    is_owner = membership.role == Membership.Role.OWNER
    return render(
        request,
        "partners/settings.html",
        {
            "form": form,
            "is_owner": is_owner,
            "mfa_form": MfaRequirementForm(initial={"require_mfa": request.partner.require_mfa}) if is_owner else None,
            "uses_mfa": is_owner and is_mfa_enabled(request.user),
        },
    )


@require_POST
@partner_owner_required
@reauthentication_required
def settings_mfa(request: HttpRequest) -> HttpResponse:
    form = MfaRequirementForm(request.POST)
    form.is_valid()  # a checkbox: absent means off, nothing can be invalid
    required = form.cleaned_data.get("require_mfa", False)
    partner_mfa_requirement_set(partner=request.partner, required=required, actor=request.user)
    if required:
        messages.success(request, _("Every member now needs two-factor authentication to use the extranet."))
    else:
        messages.success(request, _("Two-factor authentication is now each member's own choice."))
    return redirect("partners:settings")
