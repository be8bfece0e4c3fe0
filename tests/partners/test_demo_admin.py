"""The demo channel manager (staff, not superuser) runs the programme in admin."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from partners.demo import demo_load
from partners.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client):
    demo_load()
    client.force_login(User.objects.get(email="manager@demo.example"))
    return client


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_manager_opens_every_programme_changelist_and_change_form(manager_client):
    programme_models = [model for model in admin.site._registry if model._meta.app_label in ("partners", "directory")]
    assert len(programme_models) >= 10

    for model in programme_models:
        assert manager_client.get(admin_url(model, "changelist")).status_code == HTTPStatus.OK, model
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"the demo has no {model._meta.verbose_name}"
        assert manager_client.get(admin_url(model, "change", first.pk)).status_code == HTTPStatus.OK, model


def test_manager_sees_the_demo_partners_with_their_metrics(manager_client):
    response = manager_client.get(
        admin_url(Partner, "changelist"), {"tier__id__exact": Partner.objects.get(slug="leman-securite").tier_id}
    )

    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 6
    assert "Léman Sécurité Informatique SA" in response.text


def test_manager_cannot_touch_permissions_or_groups(manager_client):
    from django.contrib.auth.models import Group

    assert manager_client.get(admin_url(Group, "changelist")).status_code == HTTPStatus.FORBIDDEN


def test_anonymous_admin_visit_goes_to_the_allauth_login(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login") + "?next=")


def test_manager_finds_the_demo_contact_requests_and_marks_one_handled(manager_client):
    from directory.models import ContactRequest

    open_requests = ContactRequest.objects.unhandled()
    assert open_requests.count() == 2
    assert all(request.partner.tier.listed_in_directory for request in ContactRequest.objects.all())

    response = manager_client.post(
        admin_url(ContactRequest, "changelist"),
        {"action": "mark_handled", "_selected_action": [open_requests.first().pk]},
        follow=True,
    )

    assert response.status_code == HTTPStatus.OK
    assert ContactRequest.objects.unhandled().count() == 1
