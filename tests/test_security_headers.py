"""Security headers and cookies on every HTML page, under the production configuration.

`manage.py check --deploy --fail-level WARNING` with the production environment is
tests/test_settings.py::test_deploy_check_passes_in_production_configuration (and a step of .ci/run).
Here the security settings are read from a real process started with that environment, applied to
the test process, and every page a visitor, a partner member and a staff member can GET is checked.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from http import HTTPStatus
from http.cookies import Morsel
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partners.models import Membership

ROOT = Path(__file__).resolve().parent.parent
HOST = "partners.example.com"
ONE_YEAR = 365 * 24 * 3600
STRICT_REFERRER_POLICIES = {"strict-origin-when-cross-origin", "same-origin", "no-referrer"}
NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]{16,})'")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
DATA_BLOCK = re.compile(r'\stype="application/(ld\+)?json"', re.IGNORECASE)

# What the settings module decides for production, as the test process must copy it.
SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_CSP",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "CSRF_COOKIE_PATH",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
]

# Logging out would end the walk's session. Routes that are not pages (files, feeds, POST-only
# actions) are walked too: a non-HTML answer is skipped by its content type.
NOT_WALKED = {"account_logout", "admin:logout"}


def settings_of_a_process(debug: str, var_dir: Path) -> dict:
    """The security settings as `manage.py` sees them with DJANGO_DEBUG=debug and nothing else set."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    environment.update(
        DJANGO_DEBUG=debug,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_VAR_DIR=str(var_dir),
    )
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def production_settings(tmp_path_factory) -> dict:
    values = settings_of_a_process("0", tmp_path_factory.mktemp("production"))
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(settings, production_settings, _plain_http):
    """The test process runs with production's security settings (after conftest's plain-HTTP ones)."""
    for name, value in production_settings.items():
        if name != "DEBUG":
            setattr(settings, name, value)
    settings.ALLOWED_HOSTS = [HOST]
    return settings


def https_client(**kwargs) -> Client:
    """A client behind production's reverse proxy, which reports HTTPS (SECURE_PROXY_SSL_HEADER)."""
    return Client(HTTP_HOST=HOST, headers={"X-Forwarded-Proto": "https"}, **kwargs)


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def assert_secure_headers(response, url: str) -> str | None:
    """The headers every HTML answer must carry in production; the script nonce, if any."""
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"{url}: no Content-Security-Policy"
    csp = directives(policy)
    assert csp.get("object-src") == ["'none'"], f"{url}: {policy}"
    assert csp.get("base-uri") == ["'none'"], f"{url}: {policy}"
    assert csp.get("frame-ancestors") == ["'none'"], f"{url}: {policy}"
    script_src = csp.get("script-src") or csp["default-src"]
    assert "'unsafe-inline'" not in script_src, f"{url}: {policy}"
    assert "'unsafe-eval'" not in script_src, f"{url}: {policy}"
    assert "*" not in script_src, f"{url}: {policy}"
    nonce = next((NONCE.fullmatch(source).group(1) for source in script_src if NONCE.fullmatch(source)), None)
    for tag in SCRIPT_TAG.findall(response.content.decode()):
        if DATA_BLOCK.search(tag):
            continue  # JSON data for a script, never executed
        # An external script from our origin is allowed by 'self'; an inline one only with the nonce.
        assert " src=" in tag or (nonce and f'nonce="{nonce}"' in tag), f"{url}: inline script {tag}"

    hsts = response.headers.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    assert max_age, f"{url}: HSTS {hsts!r}"
    assert int(max_age.group(1)) >= ONE_YEAR, f"{url}: HSTS {hsts!r}"
    assert "includeSubDomains" in hsts, f"{url}: HSTS {hsts!r}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") in STRICT_REFERRER_POLICIES, url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", url
    return nonce


def route_names(patterns=None, namespace=""):
    """Every named route in the URL configuration that takes no parameter."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.pattern.regex.groupindex:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name}"


def walk(client: Client, urls) -> dict[str, int]:
    """GET each URL and check the headers of every HTML answer (redirects and errors too).

    Returns the status of each URL, so a test can tell that the pages it means were really shown.
    """
    statuses = {}
    nonces = []
    for url in urls:
        response = client.get(url)
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, f"{url} answered {response.status_code}"
        statuses[url] = response.status_code
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        nonce = assert_secure_headers(response, url)
        if response.status_code == HTTPStatus.OK:
            # Every page renders the nonce into its script tags, so the header must carry one.
            assert nonce, f"{url}: no nonce in script-src"
            nonces.append(nonce)
    assert len(set(nonces)) == len(nonces), "a nonce was sent twice"
    return statuses


def parameterless_urls(*, admin: bool) -> list[str]:
    names = sorted(set(route_names()) - NOT_WALKED)
    return [reverse(name) for name in names if name.startswith("admin:") == admin]


@pytest.fixture
def listed_partner(make_partner):
    return make_partner("Secure Systems AG", tier="certified", city="Bern", postcode="3011")


@pytest.fixture
def owner(make_member, listed_partner):
    user = make_member(listed_partner, role=Membership.Role.OWNER).user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# Headers -----------------------------------------------------------------------------------------


def test_production_settings_come_from_the_settings_module(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= ONE_YEAR


def test_public_pages_carry_the_security_headers(production, listed_partner):
    slug = listed_partner.slug
    pages = [
        *parameterless_urls(admin=False),
        "/de/",
        "/fr/partners/",
        reverse("directory:partner-detail", kwargs={"slug": slug}),
        reverse("directory:partner-contact", kwargs={"slug": slug}),
        reverse("directory:partner-contact-sent", kwargs={"slug": slug}),
    ]

    statuses = walk(https_client(), pages)

    for name in ("partners:programme", "directory:partner-list", "account_login", "account_reset_password"):
        assert statuses[reverse(name)] == HTTPStatus.OK, name
    assert statuses[reverse("directory:partner-detail", kwargs={"slug": slug})] == HTTPStatus.OK


def test_extranet_pages_carry_the_security_headers(production, owner):
    client = https_client()
    client.force_login(owner)

    statuses = walk(client, parameterless_urls(admin=False))

    for name in ("partners:dashboard", "partners:profile", "partners:team", "partners:settings"):
        assert statuses[reverse(name)] == HTTPStatus.OK, name
    assert statuses[reverse("account_change_password")] == HTTPStatus.OK


def test_admin_pages_carry_the_security_headers(production, staff_user, listed_partner):
    client = https_client()
    client.force_login(staff_user)
    partner_pages = [
        reverse("admin:partners_partner_change", args=[listed_partner.pk]),
        reverse("admin:partners_partner_history", args=[listed_partner.pk]),
        reverse("admin:app_list", kwargs={"app_label": "partners"}),
    ]

    statuses = walk(client, [*parameterless_urls(admin=True), *partner_pages])

    for name in (
        "admin:index",
        "admin:dashboard",
        "admin:partners_partner_tier_review",
        "admin:partners_partner_changelist",
    ):
        assert statuses[reverse(name)] == HTTPStatus.OK, name
    for url in partner_pages:
        assert statuses[url] == HTTPStatus.OK, url


def test_every_response_has_its_own_nonce(production, tiers):
    client = https_client()

    first, second = (client.get(reverse("partners:programme")) for _ in range(2))

    nonces = [NONCE.search(response.headers["Content-Security-Policy"]).group(1) for response in (first, second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f'nonce="{nonce}"' in response.content.decode()


def test_plain_http_is_sent_to_https_without_hsts(production, tiers):
    response = Client(HTTP_HOST=HOST).get(reverse("partners:programme"))

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == f"https://{HOST}/"
    assert "Strict-Transport-Security" not in response.headers, "browsers ignore HSTS over plain HTTP"


# Cookies -----------------------------------------------------------------------------------------


def assert_host_cookie(cookie: Morsel, *, httponly: bool) -> None:
    """A __Host- cookie: browsers keep it only if Secure, for path / and without a Domain."""
    assert cookie.key.startswith("__Host-"), cookie.key
    assert cookie["secure"] is True, cookie.OutputString()
    assert cookie["path"] == "/", cookie.OutputString()
    assert not cookie["domain"], cookie.OutputString()
    assert cookie["samesite"] in {"Lax", "Strict"}, cookie.OutputString()
    if httponly:
        assert cookie["httponly"] is True, cookie.OutputString()


def test_login_sets_host_only_secure_cookies(production, owner):
    client = https_client(enforce_csrf_checks=True)

    form = client.get(reverse("account_login"))
    csrf_cookie = form.cookies[production.CSRF_COOKIE_NAME]
    response = client.post(
        reverse("account_login"),
        {"login": owner.email, "password": "correct-horse-battery", "csrfmiddlewaretoken": csrf_cookie.value},
        # Over HTTPS Django's CSRF check also wants the form's own origin.
        headers={"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{reverse('account_login')}"},
    )

    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:500]
    assert production.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert production.CSRF_COOKIE_NAME == "__Host-csrftoken"
    assert_host_cookie(response.cookies[production.SESSION_COOKIE_NAME], httponly=True)
    assert_host_cookie(csrf_cookie, httponly=False)
    # Login rotates the CSRF token; the new cookie keeps the same attributes.
    assert_host_cookie(response.cookies[production.CSRF_COOKIE_NAME], httponly=False)
    # The others set at login (the person's language, the "signed in" message) are HTTPS-only too.
    assert {production.LANGUAGE_COOKIE_NAME, "messages"} <= set(response.cookies)
    for cookie in response.cookies.values():
        assert cookie["secure"] is True, cookie.OutputString()
        assert cookie["httponly"] is True or cookie.key == production.CSRF_COOKIE_NAME, cookie.OutputString()
        assert cookie["samesite"] in {"Lax", "Strict"}, cookie.OutputString()
    assert client.get(reverse("partners:dashboard")).status_code == HTTPStatus.OK


def test_development_over_http_keeps_plain_cookies(tmp_path):
    """`make run` serves http://127.0.0.1:8000: __Host- cookies need Secure, which HTTP cannot set."""
    development = settings_of_a_process("1", tmp_path)

    assert development["DEBUG"] is True
    assert development["SESSION_COOKIE_NAME"] == "sessionid"
    assert development["CSRF_COOKIE_NAME"] == "csrftoken"
    assert development["SESSION_COOKIE_SECURE"] is False
    assert development["CSRF_COOKIE_SECURE"] is False
    assert development["LANGUAGE_COOKIE_SECURE"] is False
    assert development["SECURE_SSL_REDIRECT"] is False
    assert development["SECURE_HSTS_SECONDS"] == 0
