"""Who may open the library and download what: every persona against every category.

Resources belong to no partner: the tier alone decides, so another partner's member of the
same tier gets exactly the same answers, and a lower tier gets 404 (never a hint).
"""

from http import HTTPStatus

import pytest
from django.http import Http404
from django.urls import reverse

from library.access import access_resource_for_user
from library.models import Resource
from partners.models import Partner

OK, NOT_FOUND, FORBIDDEN = HTTPStatus.OK, HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN
CATEGORIES = Resource.Category.values
# Persona -> categories it may download.
DOWNLOADS = {
    "accredited": {"starter_kit", "sales", "marketing"},
    "certified": {"starter_kit", "sales", "marketing", "technical", "price_list"},
    "enterprise": set(CATEGORIES),
    "other_partner": {"starter_kit", "sales", "marketing", "technical", "price_list"},
}


@pytest.fixture
def persona(client, sign_in, make_user, staff_user):
    """Sign the client in as a persona of the matrix."""

    def become(name: str):
        if name == "anonymous":
            return None
        if name == "staff":
            client.force_login(staff_user)
            return None
        if name == "applicant":
            return sign_in("accredited", status=Partner.Status.APPLIED)
        if name == "other_partner":
            return sign_in("certified", name="Another Partner AG")
        return sign_in(name)

    return become


def download_url(resource: Resource) -> str:
    return reverse("library:resource-download", args=[resource.pk])


@pytest.mark.parametrize("name", ["accredited", "certified", "enterprise", "other_partner"])
@pytest.mark.parametrize("category", CATEGORIES)
def test_members_download_exactly_what_their_tier_reaches(name, category, client, persona, one_of_each):
    persona(name)

    response = client.get(download_url(one_of_each[category]))

    assert response.status_code == (OK if category in DOWNLOADS[name] else NOT_FOUND)


@pytest.mark.parametrize("category", CATEGORIES)
def test_anonymous_visitors_are_sent_to_the_login_page(category, client, one_of_each):
    url = download_url(one_of_each[category])

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_applicants_are_sent_to_their_application_status(category, client, persona, one_of_each):
    persona("applicant")

    response = client.get(download_url(one_of_each[category]))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("partners:application-status")


@pytest.mark.parametrize("category", CATEGORIES)
def test_staff_without_a_membership_are_refused(category, client, persona, one_of_each):
    persona("staff")

    assert client.get(download_url(one_of_each[category])).status_code == FORBIDDEN


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anonymous", HTTPStatus.FOUND),
        ("applicant", HTTPStatus.FOUND),
        ("accredited", OK),
        ("certified", OK),
        ("enterprise", OK),
        ("other_partner", OK),
        ("staff", FORBIDDEN),
    ],
)
def test_library_page_by_persona(name, expected, client, persona, one_of_each):
    persona(name)

    assert client.get(reverse("library:resource-list")).status_code == expected


@pytest.mark.parametrize("status", [Partner.Status.SUSPENDED, Partner.Status.ENDED])
def test_members_of_inactive_partners_are_refused(status, client, sign_in, one_of_each):
    sign_in("enterprise", status=status)

    assert client.get(reverse("library:resource-list")).status_code == FORBIDDEN
    assert client.get(download_url(one_of_each["starter_kit"])).status_code == FORBIDDEN


def test_rejected_applicants_see_only_their_application(client, sign_in, one_of_each):
    sign_in("enterprise", status=Partner.Status.REJECTED)

    for url in (reverse("library:resource-list"), download_url(one_of_each["starter_kit"])):
        assert client.get(url)["Location"] == reverse("partners:application-status")


def test_unpublished_and_missing_resources_are_not_found_even_for_the_top_tier(client, sign_in, make_resource):
    sign_in("enterprise")
    draft = make_resource(published=False)

    assert client.get(download_url(draft)).status_code == NOT_FOUND
    assert client.get(reverse("library:resource-download", args=[draft.pk + 1000])).status_code == NOT_FOUND


def test_a_removed_member_loses_access_at_once(client, sign_in, one_of_each):
    membership = sign_in("enterprise")
    url = download_url(one_of_each["starter_kit"])
    assert client.get(url).status_code == OK

    membership.delete()

    assert client.get(url).status_code == FORBIDDEN


def test_a_downgraded_partner_loses_the_higher_material_at_once(client, sign_in, one_of_each, tiers):
    membership = sign_in("certified")
    url = download_url(one_of_each["price_list"])
    assert client.get(url).status_code == OK

    Partner.objects.filter(pk=membership.partner_id).update(tier=tiers["accredited"])

    assert client.get(url).status_code == NOT_FOUND


# The access function itself -------------------------------------------------------------


def test_access_function_returns_the_resource_within_the_tier(sign_in, one_of_each):
    membership = sign_in("certified")

    assert access_resource_for_user(membership.user, one_of_each["price_list"].pk) == one_of_each["price_list"]


@pytest.mark.parametrize(
    ("tier", "status", "category"),
    [
        ("certified", Partner.Status.ACTIVE, "project_material"),  # above the tier
        ("enterprise", Partner.Status.SUSPENDED, "starter_kit"),  # partner not active
        ("enterprise", Partner.Status.APPLIED, "starter_kit"),
    ],
)
def test_access_function_answers_404_outside_the_gate(tier, status, category, sign_in, one_of_each):
    membership = sign_in(tier, status=status)

    with pytest.raises(Http404):
        access_resource_for_user(membership.user, one_of_each[category].pk)


def test_access_function_answers_404_to_people_without_a_partner(make_user, staff_user, one_of_each):
    from django.contrib.auth.models import AnonymousUser

    for user in [AnonymousUser(), make_user(), staff_user]:
        with pytest.raises(Http404):
            access_resource_for_user(user, one_of_each["starter_kit"].pk)


def test_access_function_ignores_a_membership_of_someone_else(sign_in, make_partner, make_member, one_of_each):
    enterprise_member = make_member(make_partner(tier="enterprise"))
    accredited = sign_in("accredited")

    with pytest.raises(Http404):
        access_resource_for_user(accredited.user, one_of_each["project_material"].pk, membership=enterprise_member)
