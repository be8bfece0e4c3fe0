"""`make serve` with two app servers behind one nginx: no state lives in an app process.

The stack (scripts/serve.sh) runs for real on this test's PostgreSQL database, with TLS, Redis and
a task worker. nginx names the app server that answered in X-Upstream, so the test can show a
login made through one server carrying on through the other, failed logins counted across both,
and library files sent by nginx itself from the internal location.
"""

import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import urllib.parse
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from library.models import Resource, default_min_tier
from library.services import resource_save
from library.uploads import inspect_upload
from partners.models import Membership, Tier
from tests.processes import database_url

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, emptied first
PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True)


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
        client.flushdb()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")


def _free_ports(count: int) -> list[int]:
    """`count` consecutive free ports on 127.0.0.1 (the script numbers app servers upwards)."""
    for _ in range(50):
        start = 20000 + secrets.randbelow(20000)
        try:
            for port in range(start, start + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return list(range(start, start + count))
    raise RuntimeError("no free ports")


@pytest.fixture
def stack(tmp_path):
    """The running stack: its https base URL and certificate; stopped (every process) afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("make serve runs on PostgreSQL; this runs in the PostgreSQL pass of .ci/run")
    if not os.access(NGINX, os.X_OK):
        pytest.skip("nginx is missing (apt-get install -y nginx-light)")
    _redis_or_skip()

    http_port, tls_port, app_port, _ = _free_ports(4)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SERVE_"))},
        "DJANGO_SETTINGS_MODULE": "extranet.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "EXTRANET_PRIVATE_MEDIA_ROOT": str(settings.EXTRANET_PRIVATE_MEDIA_ROOT),
        "EXTRANET_X_ACCEL_REDIRECT_PREFIX": "/protected/",
        "EXTRANET_TRUSTED_PROXY_COUNT": "1",
        "SERVE_DIR": str(tmp_path / "serve"),
        "SERVE_TLS": "1",
        "SERVE_PORT": str(http_port),
        "SERVE_TLS_PORT": str(tls_port),
        "SERVE_APP_SERVERS": "2",
        "SERVE_APP_PORT": str(app_port),
        "SERVE_WORKERS": "1",
        "SERVE_SHOW_UPSTREAM": "1",
    }
    process = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output, ready = [], threading.Event()

    def read():
        for line in process.stdout:
            output.append(line)
            if line.startswith("Serving "):
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    ready.wait(timeout=180)
    try:
        assert process.poll() is None, "".join(output)
        assert any(line.startswith("Serving ") for line in output), "".join(output)
        yield f"https://127.0.0.1:{tls_port}", tmp_path / "serve" / "tls" / "cert.pem"
    finally:
        process.send_signal(signal.SIGTERM)  # to the script alone: it stops what it started
        try:
            process.wait(timeout=60)
        finally:
            left = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
            if left:
                os.killpg(process.pid, signal.SIGKILL)
    assert not left, f"processes of the stack left running: {left}"


class _EveryStatus(urllib.request.HTTPErrorProcessor):
    """Hand back every response as it is: no exception for 4xx, no redirect followed."""

    def http_response(self, request, response):
        return response

    https_response = http_response


class Browser:
    """Cookies, CSRF and the upstream that answered each request, over real HTTPS."""

    def __init__(self, base: str, cafile: Path):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=str(cafile))),
            urllib.request.HTTPCookieProcessor(self.jar),
            _EveryStatus(),
        )
        self.opener.addheaders = [("Accept-Language", "en")]

    def request(self, path: str, form: dict | None = None):
        data = None
        request = urllib.request.Request(self.base + path)
        if form is not None:
            token = next(c.value for c in self.jar if c.name == "__Host-csrftoken")
            data = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode()
            request.add_header("Origin", self.base)
            request.add_header("Referer", self.base + path)
        with self.opener.open(request, data=data, timeout=30) as response:
            return response.status, response.headers, response.read()


def _owner(make_partner, make_user, email: str) -> Membership:
    user = make_user(email)
    # The servers check passwords with production's hasher, not the tests' fast one.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return Membership.objects.create(user=user, partner=make_partner("Two Servers AG"), role=Membership.Role.OWNER)


def test_a_login_through_one_app_server_carries_on_through_the_other(stack, make_partner, make_user):
    base, cafile = stack
    member = _owner(make_partner, make_user, "owner@two-servers.example")
    browser = Browser(base, cafile)
    login = reverse("account_login")

    status, headers, _ = browser.request(login)
    assert status == HTTPStatus.OK
    assert "__Host-sessionid" not in {c.name for c in browser.jar}
    status, headers, _ = browser.request(login, {"login": member.user.email, "password": PASSWORD})
    assert status == HTTPStatus.FOUND, "the login was refused"
    logged_in_by = headers["X-Upstream"]

    served_by = set()
    for _ in range(20):  # nginx balances round robin per worker: within a few requests both answer
        status, headers, body = browser.request(reverse("partners:dashboard"))
        assert status == HTTPStatus.OK, headers["X-Upstream"]
        assert b"Two Servers AG" in body
        served_by.add(headers["X-Upstream"])
        if served_by - {logged_in_by}:
            break
    assert served_by - {logged_in_by}, f"every request went to {logged_in_by}"

    # After logging out through one server, neither knows the session any more.
    status, headers, _ = browser.request(reverse("account_logout"), {})
    assert status == HTTPStatus.FOUND
    refused_by = set()
    for _ in range(20):
        status, headers, _ = browser.request(reverse("partners:dashboard"))
        assert status == HTTPStatus.FOUND, f"the session outlived the logout on {headers['X-Upstream']}"
        refused_by.add(headers["X-Upstream"])
        if len(refused_by) == 2:
            break
    assert len(refused_by) == 2, f"only {refused_by} was asked after the logout"


def test_failed_logins_are_counted_across_app_servers(stack, make_partner, make_user):
    base, cafile = stack
    member = _owner(make_partner, make_user, "locked@two-servers.example")
    browser = Browser(base, cafile)
    login = reverse("account_login")
    browser.request(login)

    served_by = set()
    limit = int(re.search(r"(\d+)/\w+/key", settings.ACCOUNT_RATE_LIMITS["login_failed"]).group(1))
    for _ in range(limit):
        status, headers, _ = browser.request(login, {"login": member.user.email, "password": "wrong"})
        assert status == HTTPStatus.OK
        served_by.add(headers["X-Upstream"])

    status, headers, _ = browser.request(login, {"login": member.user.email, "password": PASSWORD})
    assert status == HTTPStatus.TOO_MANY_REQUESTS, f"failures went to {served_by}, then {headers['X-Upstream']}"
    assert len(served_by) == 2, f"all {limit} failures went to one app server: {served_by}"


def test_nginx_sends_library_files_only_after_the_app_said_yes(stack, make_partner, make_user):
    base, cafile = stack
    member = _owner(make_partner, make_user, "files@two-servers.example")
    upload = ContentFile(PDF, name="price list.pdf")
    facts = inspect_upload(upload)
    resource = Resource(
        title="Price list",
        category=Resource.Category.STARTER_KIT,
        language="en",
        min_tier=default_min_tier(Resource.Category.STARTER_KIT, list(Tier.objects.all())),
        published=True,
    )
    resource.file.save(facts.filename, upload, save=False)
    resource = resource_save(resource=resource, upload=facts, by=None)
    browser = Browser(base, cafile)
    download = reverse("library:resource-download", args=[resource.pk])

    assert browser.request(download)[0] == HTTPStatus.FOUND  # to the login
    assert browser.request("/protected/" + resource.file.name)[0] == HTTPStatus.NOT_FOUND
    browser.request(reverse("account_login"))
    browser.request(reverse("account_login"), {"login": member.user.email, "password": PASSWORD})
    status, headers, body = browser.request(download)

    assert status == HTTPStatus.OK
    assert body == PDF
    # nginx sent it from the internal location: a static file's headers, which Django never sets.
    assert headers["Accept-Ranges"] == "bytes"
    assert "ETag" in headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="price list.pdf"'
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "default-src 'none'; sandbox" in headers.get_all("Content-Security-Policy")
    assert "private" in headers["Cache-Control"]
