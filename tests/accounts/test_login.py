"""Signing in with an email address: verified addresses only, in the person's language, revealing nothing."""

from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse

from .conftest import PASSWORD, page_text


def test_person_signs_in_with_email_and_password(client, person, sign_in):
    response = sign_in(client, person.email)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_unverified_address_cannot_sign_in(client, make_user, sign_in):
    user = make_user("new@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = sign_in(client, user.email)

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_sign_in_continues_in_the_persons_language(client, make_person, sign_in):
    person = make_person(language="de")

    response = sign_in(client, person.email)

    assert response["Location"] == "/de/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


def test_the_page_asked_for_opens_in_the_persons_language(client, make_person):
    person = make_person(language="fr")

    response = client.post(
        reverse("account_login") + "?next=" + reverse("mfa_index"), {"login": person.email, "password": PASSWORD}
    )

    assert response["Location"] == "/fr" + reverse("mfa_index")


def test_login_page_has_no_remember_me_box(client):
    # Sessions end with the browser and after 30 idle minutes; "remember me" would promise more.
    response = client.get(reverse("account_login"))

    assert 'name="remember"' not in response.text


@pytest.mark.parametrize("email", ["person@example.com", "nobody@example.com"])
def test_failed_login_says_the_same_for_known_and_unknown_addresses(client, person, sign_in, email):
    response = sign_in(client, email, password="wrong-password")

    assert response.status_code == HTTPStatus.OK
    assert "The email address and/or password you specified are not correct." in response.text


def test_failed_logins_of_known_and_unknown_addresses_render_the_same_page(client, person, sign_in):
    known = sign_in(client, person.email, password="wrong-password")
    unknown = sign_in(client, "nobody@example.com", password="wrong-password")

    assert known.status_code == unknown.status_code == HTTPStatus.OK
    assert page_text(known, typed=person.email) == page_text(unknown, typed="nobody@example.com")
