"""`/extranet/profile/`: the partner's public profile as the directory shows it; owners edit it.

The page is always the member's own partner: there is no id in the URL to try another one.
"""

import hashlib

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ..access import partner_member_required, partner_owner_required
from ..extranet_forms import PublicProfileForm
from ..logos import logo_content_type
from ..models import Membership, Partner, Tier
from ..services import partner_profile_update

# allauth keeps a POST's fields while it asks for the password again, and replays them after;
# an uploaded file is lost on the way. This field, added to the kept fields, tells the replay.
LOGO_CHOSEN = "_logo_chosen"


def _render(request: HttpRequest, form: PublicProfileForm | None, *, logo_lost: bool = False) -> HttpResponse:
    partner = request.partner
    tier_listed = partner.tier.listed_in_directory
    context = {
        "form": form,
        "is_owner": form is not None,
        "partner": partner,
        "listed": Partner.objects.listed().filter(pk=partner.pk).exists(),
        "tier_listed": tier_listed,
        "listed_tiers": [] if tier_listed else list(Tier.objects.listed().values_list("name", flat=True)),
        "logo_lost": logo_lost,
        # A new logo is stored under a new name, so its URL changes and no cached copy lingers.
        "logo_version": hashlib.sha256(partner.logo.name.encode()).hexdigest()[:12] if partner.logo else "",
    }
    if form is None:
        context["services"], context["languages"] = partner.services.all(), partner.languages.all()
    return render(request, "partners/profile_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@partner_member_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _profile_save(request)
    is_owner = request.membership.role == Membership.Role.OWNER
    return _render(request, PublicProfileForm(instance=request.partner) if is_owner else None)


@partner_owner_required
def _profile_save(request: HttpRequest) -> HttpResponse:
    if request.FILES.get("logo"):
        request.POST = request.POST.copy()
        request.POST[LOGO_CHOSEN] = "1"
    return _profile_save_confirmed(request)


@reauthentication_required
def _profile_save_confirmed(request: HttpRequest) -> HttpResponse:
    # A copy to validate against: an invalid form changes its instance, and the page shows the saved profile.
    form = PublicProfileForm(request.POST, request.FILES, instance=Partner.objects.get(pk=request.partner.pk))
    if request.POST.get(LOGO_CHOSEN) and not request.FILES.get("logo"):
        return _render(request, form, logo_lost=True)
    if not form.is_valid():
        return _render(request, form)
    data = form.cleaned_data
    partner = partner_profile_update(
        partner=request.partner,
        description=data["description"],
        website=data["website"],
        phone=data["phone"],
        services=data["services"],
        languages=data["languages"],
        directory_consent=data["directory_consent"],
        logo=data["logo"],
        remove_logo=data.get("remove_logo", False),
        actor=request.user,
    )
    if not partner.directory_consent:
        messages.success(
            request,
            _("Your public profile is saved. Without your consent, the public directory does not list %(partner)s.")
            % {"partner": partner.name},
        )
    else:
        messages.success(request, _("Your public profile is saved."))
    return redirect("partners:profile")


@require_safe
@partner_member_required
def profile_logo(request: HttpRequest) -> HttpResponse:
    """The partner's current logo, for its members, listed in the directory or not.

    Only a PNG, JPEG or WebP file by content is sent, and never as anything a browser would run.
    Its URL names the stored file (`?v=`), which a new logo changes, so browsers may keep it.
    """
    logo = request.partner.logo
    if not logo:
        raise Http404
    try:
        handle = logo.storage.open(logo.name, "rb")
    except OSError:
        raise Http404 from None
    content_type = logo_content_type(handle.read(64))
    if content_type is None:
        handle.close()
        raise Http404
    handle.seek(0)
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, max_age=24 * 60 * 60)
    return response
