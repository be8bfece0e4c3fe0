"""Every route is either on the public allow-list or sends an anonymous visitor to the login page.

The walk covers the whole URL configuration, so a route added without a decision fails here.
"""

import re
import uuid
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# Route names anybody may open. Everything else must require a login.
PUBLIC = {
    "favicon",
    "set_language",
    "partners:programme",
    "partners:apply",
    "partners:invitation-accept",
    "newsletter:unsubscribe",
    # the public partner directory and what crawlers read
    "directory:partner-list",
    "directory:partner-detail",
    "directory:partner-contact",
    "directory:partner-contact-sent",
    "directory:partner-logo",
    "robots",
    "sitemap",
    "sitemap-section",
    # allauth: the ways into an account
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",
    # the admin's login only redirects to allauth's login; logging out needs no login
    "admin:login",
    "admin:logout",
}

SAMPLES = ["1", "x", "abc-1", "partners", str(uuid.UUID(int=1)), "a/b"]


def walk(patterns, namespace="", outer=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner, (*outer, *pattern.pattern.regex.groupindex))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", (pattern, outer)


def sample_url(name: str, route: tuple[URLPattern, tuple[str, ...]]) -> str:
    pattern, outer = route
    regex = pattern.pattern.regex
    # Named groups of enclosing include()s count too (allauth's webauthn keys/<int:pk>/...).
    named = [*outer, *(list(regex.groupindex) or list(getattr(pattern.pattern, "converters", {})))]
    for value in SAMPLES:
        try:
            if named:
                return reverse(name, kwargs=dict.fromkeys(named, value))
            return reverse(name, args=[value] * regex.groups)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}")


ROUTES = sorted(dict(walk(get_resolver().url_patterns)).items())
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def test_the_allow_list_names_only_existing_routes():
    assert PUBLIC <= {name for name, _ in ROUTES}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _ in ROUTES])
def test_every_route_is_public_or_requires_login(client, name, route):
    url = sample_url(name, route)

    response = client.get(url)
    if response.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        response = client.post(url)

    if name in PUBLIC:
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
        return
    assert response.status_code == HTTPStatus.FOUND, f"{url} answered {response.status_code} to a stranger"
    location = urlsplit(response["Location"])
    assert location.path.endswith(LOGIN_PATHS), f"{url} redirects to {response['Location']}, not to a login"
    assert re.search(r"next=", location.query)
