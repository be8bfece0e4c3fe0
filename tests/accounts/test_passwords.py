"""Password reset and change: no enumeration, other sessions end, the person hears of it in their language."""

from http import HTTPStatus

from django.test import Client
from django.urls import reverse
from django.utils import translation

from .conftest import PASSWORD, page_text


def request_reset(client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_reset_answers_alike_for_known_and_unknown_addresses(client, person):
    known = request_reset(client, person.email)
    unknown = request_reset(client, "nobody@example.com")

    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    known_page, unknown_page = client.get(known["Location"]), client.get(unknown["Location"])
    assert page_text(known_page, typed=person.email) == page_text(unknown_page, typed="nobody@example.com")


def test_reset_form_errors_alike_for_known_and_unknown_addresses(client, person):
    # Only the format is checked; a known address is not "confirmed" by a different error.
    for email in (person.email, "nobody@example.com"):
        response = request_reset(client, email.replace("@", " at "))
        assert "Enter a valid email address." in response.text


def test_reset_email_comes_in_the_persons_language_with_a_link_to_their_pages(client, make_person, mailoutbox):
    person = make_person(language="de")

    request_reset(client, person.email)

    [message] = mailoutbox
    assert message.to == [person.email]
    assert "Passwort" in message.subject
    assert "/de/accounts/password/reset/key/" in message.body


def test_unknown_address_is_told_in_the_page_language_that_it_has_no_account(client, db, mailoutbox):
    with translation.override("de"):
        reset_url = reverse("account_reset_password")

    client.post(reset_url, {"email": "nobody@example.com"})

    [message] = mailoutbox
    assert reset_url.startswith("/de/")
    assert message.to == ["nobody@example.com"]
    assert message.subject == "[Partner extranet] Unbekanntes Konto"


def change_password(client, new_password: str = "a-new-long-passphrase"):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )


def test_password_change_keeps_this_session_and_ends_the_others(person, sign_in):
    here, elsewhere = Client(), Client()
    sign_in(here, person.email)
    sign_in(elsewhere, person.email)
    mfa_page = reverse("mfa_index")
    assert elsewhere.get(mfa_page).status_code == HTTPStatus.OK

    response = change_password(here)

    assert response.status_code == HTTPStatus.FOUND
    assert here.get(mfa_page).status_code == HTTPStatus.OK
    signed_out = elsewhere.get(mfa_page)
    assert signed_out.status_code == HTTPStatus.FOUND
    assert signed_out["Location"].startswith(reverse("account_login"))


def test_password_change_is_emailed_to_the_person_in_their_language(client, make_person, sign_in, mailoutbox):
    person = make_person(language="fr")
    sign_in(client, person.email)

    change_password(client)

    [message] = mailoutbox
    assert message.to == [person.email]
    assert message.subject.startswith("[Partner extranet] ")
    assert "mot de passe" in message.subject.lower()
