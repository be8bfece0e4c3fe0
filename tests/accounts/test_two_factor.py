"""Second factor at sign-in: an authenticator app's code, or a recovery code used once."""

from http import HTTPStatus

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from .conftest import totp_code


def enter_code(client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_password_alone_does_not_sign_in_a_person_with_an_authenticator_app(client, person, with_totp, sign_in):
    with_totp(person)

    response = sign_in(client, person.email)

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_person_signs_in_with_the_apps_code(client, person, with_totp, sign_in):
    secret = with_totp(person)
    sign_in(client, person.email)

    response = enter_code(client, totp_code(secret))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_code_is_refused(client, person, with_totp, sign_in):
    secret = with_totp(person)
    sign_in(client, person.email)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = enter_code(client, wrong)

    assert response.status_code == HTTPStatus.OK
    assert "Incorrect code." in response.text
    assert "_auth_user_id" not in client.session


def test_recovery_code_signs_in_once(client, person, with_totp, sign_in):
    with_totp(person)
    codes = RecoveryCodes(Authenticator.objects.get(user=person, type=Authenticator.Type.RECOVERY_CODES))
    code = codes.get_unused_codes()[0]
    sign_in(client, person.email)

    response = enter_code(client, code)

    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(person.pk)
    client.logout()
    sign_in(client, person.email)
    assert "Incorrect code." in enter_code(client, code).text


def test_sign_in_page_offers_a_security_key_only_to_people_who_have_one(client, person, with_totp, sign_in):
    with_totp(person)
    sign_in(client, person.email)

    response = client.get(reverse("mfa_authenticate"))

    assert "recovery codes" in response.text
    assert "Use a security key" not in response.text


def test_authenticator_app_is_labelled_with_the_programme(client, person, sign_in):
    sign_in(client, person.email)
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery"})

    response = client.get(reverse("mfa_activate_totp"))

    assert "issuer=Partner%20programme" in response.context["totp_url"]
