"""`/partners/`: who the directory lists, in which order, page by page, and its htmx fragment."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from directory.views import PAGE_SIZE
from partners.models import Partner

from .conftest import card_slugs

HTMX = {"HX-Request": "true"}


def test_lists_active_consenting_partners_of_the_directory_tiers_only(client, make_listed):
    certified = make_listed("Certified AG", tier="certified")
    enterprise = make_listed("Enterprise AG", tier="enterprise")
    unlisted = [
        make_listed("Accredited AG", tier="accredited"),
        make_listed("Applicant AG", status=Partner.Status.APPLIED),
        make_listed("Suspended AG", status=Partner.Status.SUSPENDED),
        make_listed("Ended AG", status=Partner.Status.ENDED),
        make_listed("Rejected AG", status=Partner.Status.REJECTED),
        make_listed("Withdrawn AG", directory_consent=False),
    ]

    response = client.get(reverse("directory:partner-list"))

    assert response.status_code == HTTPStatus.OK
    assert sorted(card_slugs(response)) == sorted([certified.slug, enterprise.slug])
    html = response.content.decode()
    for partner in unlisted:
        assert partner.name not in html
    assert "2 partners found." in html


def test_a_tier_listed_by_staff_appears_and_one_taken_out_disappears(client, tiers, make_listed):
    reseller = make_listed("Reseller AG", tier="accredited")
    tiers["accredited"].listed_in_directory = True
    tiers["accredited"].save()
    tiers["certified"].listed_in_directory = False
    tiers["certified"].save()
    certified = make_listed("Certified AG", tier="certified")

    slugs = card_slugs(client.get(reverse("directory:partner-list")))

    assert reseller.slug in slugs
    assert certified.slug not in slugs


def test_enterprise_partners_come_first_then_certified_each_by_name(client, make_listed):
    certified_b = make_listed("Bravo Certified", tier="certified")
    enterprise_z = make_listed("Zulu Enterprise", tier="enterprise")
    certified_a = make_listed("Alpha Certified", tier="certified")
    enterprise_m = make_listed("Mike Enterprise", tier="enterprise")

    slugs = card_slugs(client.get(reverse("directory:partner-list")))

    assert slugs == [enterprise_m.slug, enterprise_z.slug, certified_a.slug, certified_b.slug]


@pytest.fixture
def two_pages(make_listed) -> list[Partner]:
    """One more partner than a page holds, in the order the directory lists them."""
    return [make_listed(f"Partner {number:02d}") for number in range(PAGE_SIZE + 1)]


def test_the_directory_is_paginated(client, two_pages):
    url = reverse("directory:partner-list")

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert card_slugs(first) == [partner.slug for partner in two_pages[:PAGE_SIZE]]
    assert card_slugs(second) == [two_pages[-1].slug]
    assert f'href="{url}?page=2"' in first.content.decode()
    assert f"{PAGE_SIZE + 1} partners found. Showing 1–{PAGE_SIZE}." in first.content.decode()
    assert f'rel="prev" href="{url}?page=1"' in second.content.decode()


@pytest.mark.parametrize(
    ("page", "expected"), [("99", 2), ("3", 2), ("0", 1), ("-1", 1), ("abc", 1), ("", 1), ("2.5", 1)]
)
def test_a_page_out_of_range_shows_the_nearest_page(client, two_pages, page, expected):
    response = client.get(reverse("directory:partner-list"), {"page": page})

    assert response.status_code == HTTPStatus.OK
    shown = two_pages[PAGE_SIZE:] if expected == 2 else two_pages[:PAGE_SIZE]
    assert card_slugs(response) == [partner.slug for partner in shown]


def test_the_page_number_is_part_of_the_canonical_url_of_an_unfiltered_page(client, two_pages):
    url = reverse("directory:partner-list")

    html = client.get(url, {"page": 2}).content.decode()

    assert f'<link rel="canonical" href="http://testserver{url}?page=2">' in html
    assert "Find a partner (page 2)" in html


def test_an_htmx_request_gets_only_the_results(client, make_listed):
    partner = make_listed("Fragment AG")

    response = client.get(reverse("directory:partner-list"), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "<html" not in html
    assert "<form" not in html
    assert card_slugs(response) == [partner.slug]
    # The count above the results is refreshed out of band.
    assert 'id="directory-count" hx-swap-oob="innerHTML"' in html
    assert "1 partner found." in html


def test_an_htmx_history_restore_gets_the_whole_page(client, make_listed):
    partner = make_listed("Restored AG")

    response = client.get(reverse("directory:partner-list"), headers=HTMX | {"HX-History-Restore-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "<html" in html
    assert 'id="directory-filters"' in html
    assert "hx-swap-oob" not in html
    assert card_slugs(response) == [partner.slug]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
def test_page_and_fragment_vary_on_the_htmx_header(client, make_listed, headers):
    make_listed()

    response = client.get(reverse("directory:partner-list"), headers=headers)

    assert "HX-Request" in [value.strip() for value in response["Vary"].split(",")]


def test_the_directory_works_in_german_and_french(client, make_listed):
    partner = make_listed("Polyglott AG")

    for prefix in ("/de/partners/", "/fr/partners/"):
        response = client.get(prefix)
        assert response.status_code == HTTPStatus.OK
        assert card_slugs(response) == [partner.slug]
        assert f'href="{prefix}{partner.slug}/"' in response.content.decode()


def test_an_empty_directory_says_so_and_offers_the_partner_desk(client, tiers, settings):
    response = client.get(reverse("directory:partner-list"))

    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "No partner matches your search." in html
    assert f"mailto:{settings.EXTRANET_PARTNER_DESK_EMAIL}" in html


def test_the_directory_only_answers_reads(client, tiers):
    response = client.post(reverse("directory:partner-list"))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
