from http import HTTPStatus
from urllib.parse import urlsplit

from allauth.account import views as allauth_views
from allauth.core.internal.ratelimit import parse_rates
from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's `set_language`, working from a /de/ or /fr/ page too, and remembered for a signed-in person.

    `set_language` translates `next` under the request's language, which is not the
    language of a prefixed page, so /fr/... would stay French; translate it here under
    the page's own language first.
    """
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if language in dict(settings.LANGUAGES) and next_url.startswith("/") and not next_url.startswith("//"):
        with translation.override(get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE):
            data = request.POST.copy()
            data["next"] = translate_url(next_url, language)
            request.POST = data
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return set_language(request)


class LoginView(allauth_views.LoginView):
    """allauth's login, answering 429 Too Many Requests while the account is locked.

    After too many failed logins for one account allauth refuses even the right password
    with a form error; the status tells clients and monitoring what happened, and
    Retry-After when the lock lifts at the latest.
    """

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            response.status_code = HTTPStatus.TOO_MANY_REQUESTS
            response["Retry-After"] = str(login_lock_seconds())
        return response


def login_lock_seconds() -> int:
    """The longest window of the per-account failed-login limit (EXTRANET_LOGIN_FAILURES)."""
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates if rate.per == "key"), default=0))
