"""Sensitive actions ask for the password again (allauth's `reauthentication_required`).

Setting up an authenticator app is one: a session left open on someone's desk must not be
enough to take over the account's second factor.
"""

import time
from http import HTTPStatus
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.urls import reverse

from .conftest import PASSWORD, totp_code


def test_sensitive_page_asks_for_the_password_first(client, person, sign_in):
    sign_in(client, person.email)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_reauthenticate") + "?" + urlencode(
        {"next": reverse("mfa_activate_totp")}
    )


def test_after_reauthenticating_the_page_opens_for_five_minutes(client, person, sign_in, monkeypatch):
    sign_in(client, person.email)
    activate = reverse("mfa_activate_totp")

    response = client.post(reverse("account_reauthenticate") + "?next=" + activate, {"password": PASSWORD})

    assert response["Location"] == activate
    assert client.get(activate).status_code == HTTPStatus.OK
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(activate).status_code == HTTPStatus.FOUND


def test_a_form_posted_after_the_five_minutes_is_carried_out_once_the_password_is_confirmed(
    client, person, sign_in, monkeypatch
):
    """The decorator keeps the POST and replays it after re-authentication: nothing typed is lost."""
    sign_in(client, person.email)
    activate = reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate") + "?next=" + activate, {"password": PASSWORD})
    secret = client.get(activate).context["form"].secret
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)

    posted = client.post(activate, {"code": totp_code(secret)})
    assert posted["Location"].startswith(reverse("account_reauthenticate"))
    assert not Authenticator.objects.filter(user=person).exists()
    replayed = client.post(posted["Location"], {"password": PASSWORD})

    assert replayed.status_code == HTTPStatus.FOUND
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
