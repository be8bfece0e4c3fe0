"""`/extranet/settings/`: language and newsletter for every member; the MFA rule for owners only."""

import time
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partners.models import Membership, Partner


def reauthenticate(client, user) -> None:
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request for a /de/ page leaves German active in the test thread; reverse() would follow it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def partner(make_partner):
    return make_partner()


@pytest.fixture
def member(partner, make_member):
    return make_member(partner, role=Membership.Role.SALES, language="en")


@pytest.fixture
def owner(partner, make_member):
    return make_member(partner, role=Membership.Role.OWNER)


def test_a_member_changes_language_and_newsletter(client, member):
    client.force_login(member.user)

    response = client.post(reverse("partners:settings"), {"language": "de"})

    member.refresh_from_db()
    member.user.refresh_from_db()
    assert member.user.language == "de"
    assert member.receives_newsletter is False, "an unticked box opts out"
    assert response["Location"] == "/de/extranet/settings/", "the page switches to the chosen language"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert page.context["form"]["language"].value() == "de"


def test_a_member_opts_back_into_the_newsletter(client, member):
    Membership.objects.filter(pk=member.pk).update(receives_newsletter=False)
    client.force_login(member.user)

    client.post(reverse("partners:settings"), {"language": "en", "receives_newsletter": "on"})

    member.refresh_from_db()
    assert member.receives_newsletter is True


def test_an_unknown_language_is_refused_clearly(client, member):
    client.force_login(member.user)

    response = client.post(reverse("partners:settings"), {"language": "xx"})

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].has_error("language", "invalid_choice")
    assert "Select a valid choice. xx is not one of the available choices." in response.content.decode()
    member.user.refresh_from_db()
    assert member.user.language == "en"


def test_members_do_not_see_or_set_the_mfa_rule(client, member, partner):
    client.force_login(member.user)
    reauthenticate(client, member.user)

    assert "require_mfa" not in client.get(reverse("partners:settings")).content.decode()
    response = client.post(reverse("partners:settings-mfa"), {"require_mfa": "on"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    partner.refresh_from_db()
    assert partner.require_mfa is False


def test_an_owner_requires_mfa_after_typing_the_password_again(client, owner, partner):
    client.force_login(owner.user)
    assert 'name="require_mfa"' in client.get(reverse("partners:settings")).content.decode()

    stale = client.post(reverse("partners:settings-mfa"), {"require_mfa": "on"})
    assert stale["Location"].startswith(reverse("account_reauthenticate"))
    partner.refresh_from_db()
    assert partner.require_mfa is False

    reauthenticate(client, owner.user)
    response = client.post(reverse("partners:settings-mfa"), {"require_mfa": "on"})

    assert response["Location"] == reverse("partners:settings")
    partner.refresh_from_db()
    assert partner.require_mfa is True
    assert partner.history.first().history_user == owner.user


def test_an_owner_lifts_the_mfa_rule(client, owner, partner):
    Partner.objects.filter(pk=partner.pk).update(require_mfa=True)
    # While the rule holds, the accounts app lets only people with a second factor in.
    Authenticator.objects.create(user=owner.user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(owner.user)
    reauthenticate(client, owner.user)

    client.post(reverse("partners:settings-mfa"), {})

    partner.refresh_from_db()
    assert partner.require_mfa is False


def test_the_settings_need_a_member(client, make_user):
    assert client.get(reverse("partners:settings"))["Location"].startswith(reverse("account_login"))
    client.force_login(make_user())
    assert client.get(reverse("partners:settings")).status_code == HTTPStatus.FORBIDDEN
