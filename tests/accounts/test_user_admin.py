"""Channel managers look after partners' accounts in admin, but cannot raise anyone's rights."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from partners.roles import CHANNEL_MANAGER
from tests.partners.test_admin import form_data


def user_form(client, user) -> dict:
    """The change form's data as a browser sends it (the join date comes in two fields)."""
    data = form_data(client.get(reverse("admin:accounts_user_change", args=[user.pk])))
    joined = data.pop("date_joined")
    return data | {"date_joined_0": joined.date().isoformat(), "date_joined_1": joined.time().isoformat("seconds")}


@pytest.fixture
def manager(client, make_user):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=CHANNEL_MANAGER))
    client.force_login(user)
    return user


def test_a_channel_manager_cannot_make_themselves_superuser(client, manager):
    change = reverse("admin:accounts_user_change", args=[manager.pk])

    response = client.post(change, {"email": manager.email, "is_superuser": "on", "is_active": "on"})

    assert response.status_code == HTTPStatus.FORBIDDEN
    manager.refresh_from_db()
    assert not manager.is_superuser


def test_a_channel_manager_cannot_touch_other_staff(client, manager, make_user):
    admin_user = make_user(is_staff=True, is_superuser=True)

    page = client.get(reverse("admin:accounts_user_change", args=[admin_user.pk]))
    password = client.post(
        reverse("admin:auth_user_password_change", args=[admin_user.pk]),
        {"password1": "x-Very-long-secret-9", "password2": "x-Very-long-secret-9"},
    )

    assert page.status_code == HTTPStatus.OK
    assert 'name="_save"' not in page.text
    assert password.status_code == HTTPStatus.FORBIDDEN
    admin_user.refresh_from_db()
    assert not admin_user.check_password("x-Very-long-secret-9")


def test_a_channel_manager_edits_a_partner_member_but_not_their_rights(client, manager, make_user):
    member = make_user(first_name="Simone")
    change = reverse("admin:accounts_user_change", args=[member.pk])
    data = user_form(client, member)

    response = client.post(
        change,
        data | {"first_name": "Simona", "is_staff": "on", "is_superuser": "on", "groups": [manager.groups.get().pk]},
    )

    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert member.first_name == "Simona"
    assert not member.is_staff
    assert not member.is_superuser
    assert not member.groups.exists()


def test_a_superuser_still_grants_rights(admin_client, make_user):
    member = make_user()
    change = reverse("admin:accounts_user_change", args=[member.pk])
    data = user_form(admin_client, member)

    response = admin_client.post(change, data | {"is_staff": "on"})

    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert member.is_staff
