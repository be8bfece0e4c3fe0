"""A form sent without a valid CSRF token gets our own 403 page, which the CSP lets render styled."""

import logging
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.test_security_headers import (
    HOST,
    assert_secure_headers,
    https_client,
    production,  # noqa: F401 (a fixture)
    production_settings,  # noqa: F401 (a fixture, which production uses)
)

LOGIN_FORM = {"login": "someone@example.com", "password": "correct-horse-battery"}
NO_COOKIE = "CSRF cookie not set."


def login_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("account_login")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "The form could not be sent"), ("de", "Das Formular konnte nicht gesendet werden")],
)
def test_a_form_without_token_gets_our_page(language, text):
    url = login_url(language)

    response = Client(enforce_csrf_checks=True).post(url, LOGIN_FORM)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert [template.name for template in response.templates][:2] == ["403_csrf.html", "base_public.html"]
    page = response.content.decode()
    assert text in page
    assert f'<html lang="{language}">' in page
    assert "<style" not in page, "the CSP allows no inline style"
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_reason_is_logged_not_shown(caplog):
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = Client(enforce_csrf_checks=True).post(login_url(), LOGIN_FORM)

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert NO_COOKIE not in response.content.decode()
    assert [(record.levelno, record.getMessage()) for record in caplog.records] == [
        (logging.WARNING, f"Forbidden ({NO_COOKIE}): {login_url()}")
    ]


@pytest.mark.django_db
def test_debug_shows_the_reason(settings):
    settings.DEBUG = True

    response = Client(enforce_csrf_checks=True).post(login_url(), LOGIN_FORM)

    assert NO_COOKIE in response.content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("production")
def test_in_production_the_page_keeps_the_headers_and_hides_the_reason():
    """Over HTTPS without a Referer the check fails before the token: production's commonest reason."""
    client = https_client(enforce_csrf_checks=True)
    url = login_url("de")

    response = client.post(url, LOGIN_FORM)

    assert response.status_code == HTTPStatus.FORBIDDEN
    page = response.content.decode()
    assert "Das Formular konnte nicht gesendet werden" in page
    assert "Referer" not in page
    assert_secure_headers(response, url)


@pytest.mark.django_db
@pytest.mark.usefixtures("production")
def test_a_link_leads_back_to_the_form_only_on_this_site():
    client = https_client(enforce_csrf_checks=True)
    url = login_url()
    form_page = f"https://{HOST}{url}"

    back = client.post(url, LOGIN_FORM, headers={"Referer": form_page, "Origin": f"https://{HOST}"})
    away = client.post(url, LOGIN_FORM, headers={"Referer": "https://evil.example/", "Origin": f"https://{HOST}"})

    assert back.status_code == away.status_code == HTTPStatus.FORBIDDEN
    assert f'href="{form_page}"' in back.content.decode()
    assert "evil.example" not in away.content.decode()
