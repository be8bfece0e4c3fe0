from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The 403 for a form whose CSRF check failed (CSRF_FAILURE_VIEW), in the site's own layout.

    Django's page carries an inline <style> that our CSP blocks, and speaks to developers. The
    reason is shown only with DEBUG: CsrfViewMiddleware already logs it as a warning on the
    "django.security.csrf" logger, so it is not logged again here.
    """
    referer = request.headers.get("Referer", "")
    # Only a page of this site: the link must not become a way to send visitors elsewhere.
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure())
    context = {"form_url": referer if safe else "", "reason": reason if settings.DEBUG else ""}
    return render(request, "403_csrf.html", context, status=HTTPStatus.FORBIDDEN)
