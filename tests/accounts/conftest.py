"""Sign-in fixtures: verified people, people with an authenticator app, a clock to move."""

import datetime
import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User

PASSWORD = "correct-horse-battery"


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now; waits out the last second of a 30-second window."""
    if 30 - time.time() % 30 < 1:
        time.sleep(1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture(autouse=True)
def _language_restored():
    """A request to a /de/ page leaves German active in this thread; the next test must not inherit it."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def page_text(response, *, typed: str) -> str:
    """The page without what differs between two renderings anyway: tokens, nonces, the address typed."""
    text = re.sub(r'(nonce|value)="[^"]*"|"X-CSRFToken": "[^"]*"', "", response.text)
    return text.replace(typed, "")


@pytest.fixture
def make_person(make_user):
    """A person who can sign in: their address is verified, as after the confirmation email."""

    def make(email: str | None = None, **fields) -> User:
        user = make_user(email, password=PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def person(make_person) -> User:
    return make_person("person@example.com")


@pytest.fixture
def with_totp():
    """Give a person an authenticator app (and recovery codes); returns the app's secret."""

    def add(user: User) -> str:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
        return secret

    return add


@pytest.fixture
def sign_in():
    """Post the login form like a browser; returns the response (a redirect when it worked)."""

    def post(client, email: str, password: str = PASSWORD, path: str | None = None):
        return client.post(path or reverse("account_login"), {"login": email, "password": password})

    return post


@pytest.fixture
def clock(monkeypatch):
    """Move Django's clock (sessions, login stamps) forward: `clock.advance(minutes=31)`."""

    class Clock:
        offset = datetime.timedelta()

        def advance(self, **delta) -> None:
            self.offset += datetime.timedelta(**delta)

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock
