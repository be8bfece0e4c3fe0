"""Becoming a partner: the public application form and the applicant's status page."""

from http import HTTPStatus

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from ..access import partner_applicant_required
from ..extranet_forms import ApplicationForm
from ..services import Applicant, partner_apply

# Submissions that would write or send mail, per client address and window: enough for a
# company that mistyped its address, too few for a bot to flood the channel managers.
APPLY_LIMIT = 5
APPLY_WINDOW_SECONDS = 60 * 60
SENT_SESSION_KEY = "partners_application_sent_to"


def _attempts_key(request: HttpRequest) -> str:
    # allauth's notion of the client address, which honours the trusted proxies setting.
    return f"partners:apply:{get_adapter().get_client_ip(request)}"


def _over_limit(request: HttpRequest) -> bool:
    return cache.get(_attempts_key(request), 0) >= APPLY_LIMIT


def _count_attempt(request: HttpRequest) -> None:
    key = _attempts_key(request)
    if not cache.add(key, 1, APPLY_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, APPLY_WINDOW_SECONDS)


def _sent(request: HttpRequest, email: str) -> HttpResponse:
    request.session[SENT_SESSION_KEY] = email
    return redirect(reverse("partners:apply") + "?sent=1")


@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        if request.GET.get("sent"):
            email = request.session.pop(SENT_SESSION_KEY, "")
            return render(request, "partners/application_sent.html", {"email": email})
        form = ApplicationForm(initial={"language": translation.get_language()})
        return render(request, "partners/application_form.html", {"form": form})
    if _over_limit(request):
        response = render(
            request,
            "partners/application_rate_limited.html",
            {"hours": APPLY_WINDOW_SECONDS // 3600},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(APPLY_WINDOW_SECONDS)
        return response
    form = ApplicationForm(request.POST)
    if form.is_bot:
        # Answer a bot as if it had succeeded, so it learns nothing; nothing is written or sent.
        _count_attempt(request)
        return _sent(request, "")
    if not form.is_valid():
        return render(request, "partners/application_form.html", {"form": form})
    _count_attempt(request)
    data = form.cleaned_data
    partner_apply(
        partner=form.save(commit=False),
        languages=data["languages"],
        services=data["services"],
        applicant=Applicant(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["applicant_email"],
            password=data["password1"],
            language=data["language"],
        ),
        request=request,
    )
    # Known and new addresses get the same answer; partner_apply wrote to the known one's holder.
    return _sent(request, data["applicant_email"])


@require_GET
@partner_applicant_required
def application_status(request: HttpRequest) -> HttpResponse:
    return render(request, "partners/application_status.html", {"partner": request.membership.partner})
