"""Sessions end after 30 idle minutes and 12 hours after login however busy (both settings);
a login starts a new session, and a session's cookie is dead after logout or deactivation."""

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def signed_in(client) -> bool:
    return client.get(reverse("mfa_index")).status_code == HTTPStatus.OK


def test_login_starts_a_new_session(client, person, sign_in):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    sign_in(client, person.email)

    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    assert signed_in(client)


def test_the_old_cookie_is_dead_after_logout(client, person, sign_in):
    sign_in(client, person.email)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("account_logout"))

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not signed_in(replay)


def test_deactivating_a_person_ends_their_session(client, person, sign_in):
    sign_in(client, person.email)
    assert signed_in(client)

    person.is_active = False
    person.save(update_fields=["is_active"])

    assert not signed_in(client)


def test_session_ends_after_thirty_idle_minutes(client, person, sign_in, clock):
    sign_in(client, person.email)

    clock.advance(minutes=29)
    assert signed_in(client)
    clock.advance(minutes=31)

    response = client.get(reverse("mfa_index"))
    assert response["Location"].startswith(reverse("account_login"))


def test_busy_session_still_ends_twelve_hours_after_login(client, person, sign_in, clock):
    sign_in(client, person.email)
    for _ in range(35):  # a request every 20 minutes: never idle
        clock.advance(minutes=20)
        assert signed_in(client)

    clock.advance(minutes=21)  # 12 h 1 min after the login
    response = client.get(reverse("mfa_index"))

    assert response["Location"] == reverse("account_login") + "?next=" + reverse("mfa_index")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "sessions last at most 12 hours" in page.text


def test_a_new_login_starts_a_new_twelve_hours(client, person, sign_in, clock, settings):
    settings.SESSION_COOKIE_AGE = 24 * 3600
    sign_in(client, person.email)
    clock.advance(hours=11)
    client.logout()
    sign_in(client, person.email)

    clock.advance(hours=11)

    assert signed_in(client)


def test_maximum_is_a_setting(client, person, sign_in, clock, settings):
    settings.EXTRANET_SESSION_MAX_SECONDS = 3600
    sign_in(client, person.email)

    clock.advance(minutes=61)

    assert not signed_in(client)


def django_setting(name: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EXTRANET_"))}
    environment.update(env)
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DJANGO_DEBUG": "0"}, "True"),
        ({"DJANGO_DEBUG": "1"}, "False"),
        ({"DJANGO_DEBUG": "0", "EXTRANET_REQUIRE_STAFF_MFA": "0"}, "False"),
        ({"DJANGO_DEBUG": "1", "EXTRANET_REQUIRE_STAFF_MFA": "1"}, "True"),
    ],
)
def test_staff_need_a_second_factor_unless_debugging(tmp_path, env, expected):
    assert django_setting("EXTRANET_REQUIRE_STAFF_MFA", DJANGO_VAR_DIR=str(tmp_path), **env) == expected


def test_session_limits_and_login_failures_come_from_the_environment(tmp_path):
    env = {
        "DJANGO_VAR_DIR": str(tmp_path),
        "DJANGO_SESSION_IDLE_SECONDS": "600",
        "DJANGO_SESSION_MAX_SECONDS": "3600",
        "EXTRANET_LOGIN_FAILURES": "3/1h",
    }
    names = ["SESSION_COOKIE_AGE", "EXTRANET_SESSION_MAX_SECONDS", "ACCOUNT_RATE_LIMITS['login_failed']"]

    assert [django_setting(name, **env) for name in names] == ["600", "3600", "20/m/ip,3/1h/key"]
