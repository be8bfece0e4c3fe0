"""Guessing passwords stops at the configured limits (allauth's rate limits, kept in the cache)."""

import time
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.urls import reverse

from .conftest import PASSWORD

LOCKED = "Too many failed login attempts. Try again later."


def fail(client, email: str, times: int, path: str | None = None) -> None:
    for _ in range(times):
        response = client.post(path or reverse("account_login"), {"login": email, "password": "a-wrong-guess"})
        assert response.status_code == HTTPStatus.OK


@pytest.fixture
def later(monkeypatch):
    """Move the rate limiter's clock forward by some seconds."""

    def move(seconds: int) -> None:
        real_time = time.time
        clock = SimpleNamespace(time=lambda: real_time() + seconds, monotonic=time.monotonic, sleep=time.sleep)
        monkeypatch.setattr("allauth.core.internal.ratelimit.time", clock)

    return move


def test_after_five_failures_the_right_password_is_refused(client, person, sign_in):
    fail(client, person.email, times=5)

    response = sign_in(client, person.email)

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == "900"
    assert LOCKED in response.text
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_alone_is_not_429(client, person):
    response = client.post(reverse("account_login"), {"login": person.email, "password": "a-wrong-guess"})

    assert response.status_code == HTTPStatus.OK
    assert "Retry-After" not in response


def test_four_failures_do_not_lock_the_account(client, person, sign_in):
    fail(client, person.email, times=4)

    assert sign_in(client, person.email).status_code == HTTPStatus.FOUND


def test_the_lock_is_per_account(client, person, make_person, sign_in):
    fail(client, person.email, times=5)
    colleague = make_person("colleague@example.com")

    assert sign_in(client, colleague.email).status_code == HTTPStatus.FOUND


def test_the_lock_lifts_after_fifteen_minutes(client, person, sign_in, later):
    fail(client, person.email, times=5)

    later(14 * 60)
    assert LOCKED in sign_in(client, person.email).text
    later(15 * 60 + 1)
    assert sign_in(client, person.email).status_code == HTTPStatus.FOUND


def test_failures_allowed_are_a_setting(client, person, sign_in, settings):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"login_failed": "20/m/ip,2/15m/key"}

    fail(client, person.email, times=2)

    response = sign_in(client, person.email)
    assert LOCKED in response.text
    assert response["Retry-After"] == "900"


def test_admin_login_goes_through_the_same_limit(client, make_person, sign_in):
    staff = make_person("manager@example.com", is_staff=True)
    admin_login = client.get(reverse("admin:login") + "?next=" + reverse("admin:index"))["Location"]
    assert admin_login.startswith(reverse("account_login"))

    fail(client, staff.email, times=5, path=admin_login)
    response = client.post(admin_login, {"login": staff.email, "password": PASSWORD})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert LOCKED in response.text
    assert "_auth_user_id" not in client.session


def test_posting_to_the_admin_login_itself_signs_nobody_in(client, make_person):
    staff = make_person("manager@example.com", is_staff=True)

    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in client.session


def test_one_address_flooding_the_login_form_gets_429(client, db):
    for _ in range(30):
        client.post(reverse("account_login"), {"login": "someone@example.com", "password": "x"})

    response = client.post(reverse("account_login"), {"login": "someone@example.com", "password": "x"})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_password_reset_for_one_address_is_limited(client, db):
    for _ in range(5):
        response = client.post(reverse("account_reset_password"), {"email": "someone@example.com"})
        assert response.status_code == HTTPStatus.FOUND

    response = client.post(reverse("account_reset_password"), {"email": "someone@example.com"})

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
