"""Who must set up a second factor before anything else: members of a partner that requires it,
and staff entering the admin while EXTRANET_REQUIRE_STAFF_MFA is on."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partners.models import Membership

PARTNER_MESSAGE = "requires two-factor authentication for all its members"
STAFF_MESSAGE = "Staff need two-factor authentication to use the admin."


@pytest.fixture
def strict_partner(make_partner):
    return make_partner("Strict AG", require_mfa=True)


@pytest.fixture
def member(strict_partner, make_person):
    person = make_person("member@example.com")
    Membership.objects.create(user=person, partner=strict_partner, role=Membership.Role.SALES)
    return person


@pytest.fixture
def member_client(client, member, sign_in):
    sign_in(client, member.email)
    return client


@pytest.fixture
def staff(make_person):
    return make_person("manager@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff, sign_in):
    sign_in(client, staff.email)
    return client


def test_member_without_second_factor_is_sent_to_set_one_up(member_client):
    response = member_client.get(reverse("partners:programme"))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("mfa_activate_totp")
    page = member_client.get(response["Location"], follow=True)
    assert "Strict AG " + PARTNER_MESSAGE in page.text


def test_the_explanation_is_shown_once_however_often_the_member_is_turned_back(member_client):
    for _ in range(3):
        member_client.get(reverse("partners:programme"))

    page = member_client.get(reverse("mfa_index"))

    assert page.text.count(PARTNER_MESSAGE) == 1


def test_setup_stays_in_the_page_language(member_client):
    with translation.override("de"):
        programme, activate = reverse("partners:programme"), reverse("mfa_activate_totp")

    assert member_client.get(programme)["Location"] == activate
    assert activate.startswith("/de/")


@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_activate_totp", "mfa_add_webauthn", "account_reauthenticate"])
def test_setting_up_a_second_factor_stays_reachable(member_client, url_name):
    response = member_client.get(reverse(url_name))

    # Setting up asks for the password first (see test_reauthentication.py), and nothing else.
    assert response.status_code == HTTPStatus.OK or response["Location"].startswith(reverse("account_reauthenticate"))


def test_member_may_sign_out_switch_language_and_load_static_files(member_client):
    assert member_client.get("/static/css/site.css").status_code == HTTPStatus.OK
    switched = member_client.post(reverse("set_language"), {"language": "de", "next": reverse("mfa_index")})
    assert switched["Location"] == "/de" + reverse("mfa_index")

    signed_out = member_client.post(reverse("account_logout"))

    assert signed_out["Location"] == "/"
    assert "_auth_user_id" not in member_client.session


def test_unknown_address_still_answers_404(member_client):
    assert member_client.get("/no-such-page/").status_code == HTTPStatus.NOT_FOUND


def test_htmx_request_is_turned_into_a_full_page_navigation(member_client):
    response = member_client.get(reverse("partners:programme"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


def test_member_with_an_authenticator_app_goes_anywhere(member_client, member, with_totp):
    with_totp(member)

    assert member_client.get(reverse("partners:programme")).status_code == HTTPStatus.OK


def test_members_of_other_partners_are_not_asked(client, make_partner, make_person, sign_in):
    relaxed = make_person("relaxed@example.com")
    Membership.objects.create(user=relaxed, partner=make_partner("Relaxed SA"), role=Membership.Role.OWNER)
    sign_in(client, relaxed.email)

    assert client.get(reverse("partners:programme")).status_code == HTTPStatus.OK


@pytest.mark.parametrize("requires", [True, False])
def test_the_gate_costs_at_most_one_query_per_table(member_client, member, strict_partner, with_totp, requires):
    """The membership is fetched once (and kept on the request for the partner gate); the authenticator
    only when the partner requires one."""
    with_totp(member)
    strict_partner.require_mfa = requires
    strict_partner.save()

    with CaptureQueriesContext(connection) as queries:
        response = member_client.get(reverse("partners:programme"))

    assert response.status_code == HTTPStatus.OK
    sql = [query["sql"] for query in queries]
    assert sum('FROM "partners_membership"' in statement for statement in sql) == 1
    assert sum('FROM "mfa_authenticator"' in statement for statement in sql) == (1 if requires else 0)
    assert response.wsgi_request._cached_membership.user == member


def test_staff_without_second_factor_are_sent_from_admin_to_set_one_up(staff_client, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = True

    response = staff_client.get(reverse("admin:partners_partner_changelist"))

    assert response["Location"] == reverse("mfa_activate_totp")
    assert STAFF_MESSAGE in staff_client.get(response["Location"], follow=True).text


def test_staff_without_second_factor_may_sign_out_of_admin_and_see_the_public_pages(staff_client, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = True

    assert staff_client.get(reverse("partners:programme")).status_code == HTTPStatus.OK
    assert staff_client.post(reverse("admin:logout")).status_code == HTTPStatus.OK


def test_staff_with_an_authenticator_app_enter_admin(staff_client, staff, with_totp, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = True
    with_totp(staff)

    assert staff_client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_without_the_setting_staff_enter_admin_with_a_password_only(staff_client, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = False

    assert staff_client.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_admin_login_is_allauths_login(client, db):
    response = client.get(reverse("admin:login") + "?next=/admin/")

    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
