"""Gates every signed-in request passes: the session's absolute lifetime, and the second factor."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import ResolverMatch, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .access import mfa_requirement_for_request
from .sessions import session_outlived

# Reachable without a second factor: setting one up (allauth's mfa_* pages, and the password
# re-entry they ask for), signing out, and switching the language. Static files never get here.
MFA_EXEMPT_URL_NAMES = {"account_logout", "account_reauthenticate", "set_language", "favicon"}


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    # An htmx request would swap the target page into a fragment; make the browser navigate.
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _add_message_once(request: HttpRequest, level: int, text: str) -> None:
    storage = messages.get_messages(request)
    pending = [message.message for message in storage]
    storage.used = False  # reading them above must not consume them
    if text not in pending:
        messages.add_message(request, level, text)


class SessionLifetimeMiddleware:
    """Sign out a session EXTRANET_SESSION_MAX_SECONDS after its login, however active it stayed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and session_outlived(request):
            logout(request)
            hours = round(settings.EXTRANET_SESSION_MAX_SECONDS / 3600, 1)
            messages.info(
                request,
                _("For your security, sessions last at most %(hours)s hours. Please sign in again.")
                % {"hours": f"{hours:g}"},
            )
            return _redirect(request, redirect_to_login(request.get_full_path()).url)
        return self.get_response(request)


def _exempt_from_mfa(match: ResolverMatch) -> bool:
    if match.url_name in MFA_EXEMPT_URL_NAMES or (match.url_name or "").startswith("mfa_"):
        return True
    return "admin" in match.namespaces and match.url_name == "logout"


class MfaRequiredMiddleware:
    """Send people who must use a second factor, and have none yet, to set one up.

    Who must: see `accounts.access.mfa_requirement_for_request`. Runs once the URL is resolved,
    so unknown URLs still answer 404 and the exemptions go by URL name, in every language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not request.user.is_authenticated or _exempt_from_mfa(request.resolver_match):
            return None
        reason = mfa_requirement_for_request(request)
        if reason is None or is_mfa_enabled(request.user):
            return None
        _add_message_once(request, messages.WARNING, reason)
        return _redirect(request, reverse("mfa_activate_totp"))
