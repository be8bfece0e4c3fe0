"""Channel managers follow up visitors' messages in admin; nobody else sees them."""

import itertools
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import ContactRequest
from partners.models import Membership

CHANGELIST = "admin:directory_contactrequest_changelist"
_numbers = itertools.count(1)


@pytest.fixture
def make_request(make_listed):
    default_partner = []

    def make(partner=None, **fields) -> ContactRequest:
        if partner is None:
            if not default_partner:
                default_partner.append(make_listed("Säntis IT AG"))
            partner = default_partner[0]
        number = next(_numbers)
        fields.setdefault("name", f"Visitor {number}")
        fields.setdefault("email", f"visitor{number}@customer.example")
        fields.setdefault("message", "We need 40 workstations protected by March.")
        fields.setdefault("language", "en")
        return ContactRequest.objects.create(partner=partner, **fields)

    return make


@pytest.fixture
def channel_manager(make_user) -> Client:
    """A staff member allowed to view and change contact requests, and nothing else."""
    user = make_user("cam@vendor.example", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="directory", codename__in=["view_contactrequest", "change_contactrequest"]
        )
    )
    client = Client()
    client.force_login(user)
    return client


def listed_names(response) -> set[str]:
    return {contact.name for contact in response.context["cl"].result_list}


def test_the_changelist_shows_open_requests_by_default(admin_client, make_request):
    open_request = make_request(name="Open Olga")
    make_request(name="Handled Hans", handled=True, handled_at=timezone.now())

    default = admin_client.get(reverse(CHANGELIST))
    handled = admin_client.get(reverse(CHANGELIST), {"status": "handled"})
    everything = admin_client.get(reverse(CHANGELIST), {"status": "all"})

    assert default.status_code == HTTPStatus.OK
    assert listed_names(default) == {open_request.name}
    assert listed_names(handled) == {"Handled Hans"}
    assert listed_names(everything) == {"Open Olga", "Handled Hans"}


def test_the_changelist_searches_and_filters(admin_client, make_request, make_listed):
    other = make_listed("Léman Sécurité SA", tier="enterprise")
    make_request(name="Vera Visitor", company="Customer GmbH", message="Forty workstations in Bern, please.")
    make_request(other, name="Fritz Fragesteller", language="de", message="Wir brauchen eine Schulung bitte.")

    by_text = admin_client.get(reverse(CHANGELIST), {"q": "workstations"})
    by_partner = admin_client.get(reverse(CHANGELIST), {"q": "Léman"})
    by_language = admin_client.get(reverse(CHANGELIST), {"language": "de"})
    by_tier = admin_client.get(reverse(CHANGELIST), {"partner__tier__id__exact": other.tier_id})

    assert listed_names(by_text) == {"Vera Visitor"}
    assert listed_names(by_partner) == {"Fritz Fragesteller"}
    assert listed_names(by_language) == {"Fritz Fragesteller"}
    assert listed_names(by_tier) == {"Fritz Fragesteller"}


def test_a_request_opens_read_only_except_handled(admin_client, make_request):
    contact = make_request(name="Vera Visitor")

    response = admin_client.get(reverse("admin:directory_contactrequest_change", args=[contact.pk]))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'name="handled"' in html
    assert 'name="message"' not in html
    assert "We need 40 workstations protected by March." in html


def test_ticking_handled_on_a_request_records_when(admin_client, make_request):
    contact = make_request()

    response = admin_client.post(reverse("admin:directory_contactrequest_change", args=[contact.pk]), {"handled": "on"})

    assert response.status_code == HTTPStatus.FOUND
    contact.refresh_from_db()
    assert contact.handled is True
    assert contact.handled_at is not None


def test_nobody_adds_a_request_in_admin(admin_client, tiers):
    assert admin_client.get(reverse("admin:directory_contactrequest_add")).status_code == HTTPStatus.FORBIDDEN


def test_a_channel_manager_marks_requests_handled_and_open_again(channel_manager, make_request):
    first, second, untouched = make_request(), make_request(), make_request()

    response = channel_manager.post(
        reverse(CHANGELIST), {"action": "mark_handled", "_selected_action": [first.pk, second.pk]}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert "2 requests marked as handled." in response.content.decode()
    first.refresh_from_db()
    untouched.refresh_from_db()
    assert first.handled is True
    assert first.handled_at is not None
    assert untouched.handled is False
    assert listed_names(response) == {untouched.name}

    response = channel_manager.post(
        reverse(CHANGELIST) + "?status=all",
        {"action": "mark_open", "_selected_action": [first.pk, untouched.pk]},
        follow=True,
    )

    assert "1 request marked as open." in response.content.decode()
    first.refresh_from_db()
    assert first.handled is False
    assert first.handled_at is None


def test_a_staff_member_without_the_permission_cannot_see_requests(make_user, make_request):
    make_request()
    user = make_user("other-staff@vendor.example", is_staff=True)
    client = Client()
    client.force_login(user)

    assert client.get(reverse(CHANGELIST)).status_code == HTTPStatus.FORBIDDEN


def test_partners_and_visitors_cannot_see_requests(client, make_request, make_member):
    contact = make_request()
    owner = make_member(contact.partner, role=Membership.Role.OWNER).user

    anonymous = client.get(reverse(CHANGELIST))
    client.force_login(owner)
    member = client.get(reverse(CHANGELIST))
    change = client.get(reverse("admin:directory_contactrequest_change", args=[contact.pk]))

    for response in (anonymous, member, change):
        assert response.status_code == HTTPStatus.FOUND
        assert "login" in response["Location"]


# Session, user, the tier and manager filters, two counts, the page, the date hierarchy, the session save.
CHANGELIST_QUERIES = 12


@pytest.mark.parametrize("count", [3, 30])
def test_the_changelist_runs_a_fixed_number_of_queries(
    admin_client, make_request, make_listed, django_assert_max_num_queries, count
):
    partners = [make_listed(f"Partner {number}") for number in range(3)]
    for number in range(count):
        make_request(partners[number % 3])

    with django_assert_max_num_queries(CHANGELIST_QUERIES):
        response = admin_client.get(reverse(CHANGELIST))

    assert response.status_code == HTTPStatus.OK
    assert len(response.context["cl"].result_list) == count
