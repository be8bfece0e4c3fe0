"""The directory's pages run a fixed number of queries, whether 10 or 200 partners are listed."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from directory.views import PAGE_SIZE

from .conftest import card_slugs

HTMX = {"HX-Request": "true"}

# page: (query string, headers, at most this many queries)
# The listing: the filter form's tiers, territories, languages and services, the count, the page and
# its languages and services (prefetched). A search adds the service names it matches against; a
# filter naming a tier, territory, language or service looks each up once to validate it. Each request
# first reads the data version of the cached listings (directory/listing_cache.py) from the default
# cache, which is the database in the tests: one query more.
LISTING = {
    "no filter": ({}, {}, 9),
    "second page": ({"page": "2"}, {}, 9),
    "search": ({"q": "Bulk Zürich"}, {}, 10),
    "search naming a service": ({"q": "training"}, {}, 10),
    "filtered": (
        {
            "tier": "certified",
            "country": "CH",
            "territory": "bulk-ch",
            "canton": "ZH",
            "language": ["de", "fr"],
            "service": ["installation", "training"],
        },
        {},
        13,
    ),
    # The fragment renders no filter form: what the filters name or the search matches, then the
    # count, the page, its languages and services.
    "htmx fragment": ({"q": "Zürich", "language": "de"}, HTMX, 7),
    "htmx fragment, filtered": ({"service": "training", "canton": "ZH"}, HTMX, 6),
}
# The partner, with its tier and territory, then its languages and its services.
PROFILE_QUERIES = 3


@pytest.fixture(params=[10, 200], ids=["10 partners", "200 partners"])
def listed(request, bulk_listed):
    return bulk_listed(request.param)


@pytest.mark.parametrize("page", LISTING)
def test_a_directory_page_runs_a_fixed_number_of_queries(client, listed, django_assert_max_num_queries, page):
    query, headers, most = LISTING[page]

    with django_assert_max_num_queries(most):
        response = client.get(reverse("directory:partner-list"), query, headers=headers)

    assert response.status_code == HTTPStatus.OK
    # The page is full of cards with their languages and services: the queries covered them all.
    slugs = card_slugs(response)
    matching = [partner for partner in listed if query.get("tier", partner.tier.code) == partner.tier.code]
    on_page_two = len(matching) - PAGE_SIZE if "page" in query and len(matching) > PAGE_SIZE else len(matching)
    assert len(slugs) == min(PAGE_SIZE, on_page_two)
    html = response.content.decode()
    assert html.count("French, German") == len(slugs)
    assert html.count("Installation and roll-out, Training") == len(slugs)


@pytest.mark.parametrize("page", LISTING)
def test_a_listing_seen_before_is_served_from_the_cache_with_one_query(
    client, listed, django_assert_max_num_queries, page
):
    query, headers, _most = LISTING[page]
    first = client.get(reverse("directory:partner-list"), query, headers=headers)

    with django_assert_max_num_queries(1):  # the data version
        again = client.get(reverse("directory:partner-list"), query, headers=headers)

    assert card_slugs(again) == card_slugs(first)
    assert again.content.decode().count("French, German") == len(card_slugs(first))


def test_a_profile_runs_a_fixed_number_of_queries(client, listed, django_assert_max_num_queries):
    partner = listed[len(listed) // 2]

    with django_assert_max_num_queries(PROFILE_QUERIES):
        response = client.get(reverse("directory:partner-detail", args=[partner.slug]))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert partner.name in html
    assert "<li>German</li>" in html
    assert "<li>Training</li>" in html


def test_the_sitemap_of_profiles_runs_one_query(client, listed, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/sitemap-partners.xml")

    assert response.content.decode().count("<loc>") == 3 * len(listed)
