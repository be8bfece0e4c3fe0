"""The directory's search box and filters, on whichever database the suite runs (SQLite or PostgreSQL)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from directory.search import MIN_TERM_LENGTH
from directory.views import PAGE_SIZE

from .conftest import card_slugs

SHORT_TERM_HINT = f"Type at least {MIN_TERM_LENGTH} letters or digits to search. Showing all partners meanwhile."


def search(client, **query):
    return client.get(reverse("directory:partner-list"), query)


def found(client, **query) -> set[str]:
    response = search(client, **query)
    assert response.status_code == HTTPStatus.OK
    return set(card_slugs(response))


@pytest.fixture
def bern(make_listed):
    return make_listed(
        "Aare Informatik AG",
        city="Bern",
        postcode="3011",
        region="BE",
        description="Endpoint protection and firewall projects for hospitals.",
        speaks=("de", "fr"),
        offers=("installation", "training"),
    )


@pytest.fixture
def geneva(make_listed):
    return make_listed(
        "Léman Sécurité SA",
        city="Genève",
        postcode="1204",
        region="GE",
        description="Audits for banks and notaries.",
        speaks=("fr",),
        offers=("consulting",),
    )


@pytest.fixture
def lugano(make_listed):
    return make_listed(
        "Ceresio Sistemi SA",
        city="Lugano",
        postcode="6900",
        region="TI",
        description="Managed services for hotels.",
        speaks=("it", "de"),
        offers=("managed", "installation", "end-customer-support"),
    )


# The search box --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Aare", "bern"),
        ("informatik", "bern"),
        ("Léman", "geneva"),
        ("Lugano", "lugano"),
        ("genève", "geneva"),
        ("3011", "bern"),
        ("6900", "lugano"),
        ("hospitals", "bern"),
        ("NOTARIES", "geneva"),
    ],
)
def test_search_finds_by_name_city_postcode_and_description(client, bern, geneva, lugano, term, expected):
    partners = {"bern": bern, "geneva": geneva, "lugano": lugano}

    assert found(client, q=term) == {partners[expected].slug}


def test_search_finds_partners_offering_a_service_named_like_the_term(client, bern, geneva, lugano):
    assert found(client, q="Security consulting") == {geneva.slug}
    assert found(client, q="training") == {bern.slug}
    assert found(client, q="Installation") == {bern.slug, lugano.slug}


def test_search_finds_a_service_by_its_name_in_the_visitors_language(client, german_catalogue, bern, geneva):
    german_catalogue({"Training": "Schulung", "Security consulting": "Sicherheitsberatung"})

    # Literal paths: a request to a /de/ page leaves German active in this thread, and reverse() would follow it.
    german = client.get("/de/partners/", {"q": "Schulung"})
    english = client.get("/partners/", {"q": "Schulung"})

    assert set(card_slugs(german)) == {bern.slug}
    assert "Schulung" in german.content.decode()
    assert card_slugs(english) == []
    assert set(card_slugs(client.get("/de/partners/", {"q": "sicherheitsberatung"}))) == {geneva.slug}
    # The name staff typed keeps working in every language.
    assert set(card_slugs(client.get("/de/partners/", {"q": "Training"}))) == {bern.slug}


def test_every_word_of_the_search_must_match(client, bern, make_listed):
    # Both are in Bern; only one of them does firewall work, and only one is called Aare.
    other = make_listed("Bundesgasse IT GmbH", city="Bern", postcode="3011", description="Backups and printers.")

    assert found(client, q="Bern") == {bern.slug, other.slug}
    assert found(client, q="firewall Bern") == {bern.slug}
    assert found(client, q="Bern printers") == {other.slug}
    assert found(client, q="3011 Aare") == {bern.slug}
    assert found(client, q="Bern notaries") == set()


def test_search_ignores_punctuation_and_case(client, bern, geneva):
    assert found(client, q="  AARE, informatik!  ") == {bern.slug}


@pytest.mark.parametrize("term", ["a", " 8 ", "a b", "-"])
def test_a_term_too_short_is_ignored_with_a_hint_and_everything_shown(client, bern, geneva, lugano, term):
    response = search(client, q=term)

    html = response.content.decode()
    assert set(card_slugs(response)) == {bern.slug, geneva.slug, lugano.slug}
    assert SHORT_TERM_HINT in html
    assert "3 partners found." in html


def test_no_hint_without_a_term_or_with_a_searchable_one(client, bern):
    assert SHORT_TERM_HINT not in search(client).content.decode()
    assert SHORT_TERM_HINT not in search(client, q="   ").content.decode()
    assert SHORT_TERM_HINT not in search(client, q="Aare").content.decode()


def test_the_short_term_hint_is_in_the_htmx_fragment_too(client, bern):
    response = client.get(reverse("directory:partner-list"), {"q": "x"}, headers={"HX-Request": "true"})

    assert SHORT_TERM_HINT in response.content.decode()
    assert card_slugs(response) == [bern.slug]


def test_no_match_says_so(client, bern):
    response = search(client, q="Vaduz")

    assert card_slugs(response) == []
    assert "No partner matches your search." in response.content.decode()


# Filters ---------------------------------------------------------------------------


def test_filter_by_tier(client, bern, make_listed):
    enterprise = make_listed("Grand Projects AG", tier="enterprise")

    assert found(client, tier="enterprise") == {enterprise.slug}
    assert found(client, tier="certified") == {bern.slug}


def test_filter_by_country(client, bern, make_listed):
    munich = make_listed("Isar Security GmbH", country="DE", city="München", postcode="80331", region="BY")

    assert found(client, country="DE") == {munich.slug}
    assert found(client, country="CH") == {bern.slug}
    assert found(client, country="FR") == set()


def test_filter_by_territory(client, make_territory, make_listed):
    west = make_territory("romandie", name="Romandie", regions="GE, VD")
    east = make_territory("ostschweiz", name="Ostschweiz", regions="SG, TG")
    in_west = make_listed("Lac AG", territory=west)
    make_listed("Bodensee AG", territory=east)
    make_listed("Nowhere AG")

    assert found(client, territory="romandie") == {in_west.slug}


def test_filter_by_canton(client, bern, geneva, lugano):
    assert found(client, canton="GE") == {geneva.slug}
    assert found(client, canton="TI") == {lugano.slug}
    assert found(client, canton="ZH") == set()


def test_languages_combine_with_or(client, bern, geneva, lugano):
    assert found(client, language="it") == {lugano.slug}
    assert found(client, language=["it", "fr"]) == {bern.slug, geneva.slug, lugano.slug}
    assert found(client, language=["de"]) == {bern.slug, lugano.slug}


def test_services_combine_with_and(client, bern, geneva, lugano):
    assert found(client, service="installation") == {bern.slug, lugano.slug}
    assert found(client, service=["installation", "training"]) == {bern.slug}
    assert found(client, service=["consulting", "training"]) == set()


def test_filter_partners_supporting_end_customers(client, bern, geneva, lugano):
    assert found(client, end_customers="1") == {lugano.slug}
    assert found(client, end_customers="") == {bern.slug, geneva.slug, lugano.slug}


def test_end_customer_support_is_its_own_filter_not_a_service_checkbox(client, tiers):
    html = search(client).content.decode()

    assert 'name="end_customers"' in html
    assert 'value="end-customer-support"' not in html
    assert 'name="service" value="training"' in html


def test_search_and_filters_combine(client, bern, geneva, lugano):
    assert found(client, q="SA", language="it") == {lugano.slug}
    assert found(client, q="Bern", service="consulting") == set()
    assert found(client, canton="BE", language="fr", service="training", tier="certified") == {bern.slug}


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ({"tier": "platinum"}, "Partner level"),
        ({"tier": "accredited"}, "Partner level"),  # a real tier, but not one the directory lists
        ({"country": "XX"}, "Country"),
        ({"territory": "atlantis"}, "Region"),
        ({"canton": "QQ"}, "Canton"),
        ({"language": "tlh"}, "Speaks"),
        ({"service": "end-customer-support"}, "Offers"),
        ({"service": "bogus"}, "Offers"),
        ({"q": "x" * 101}, "Search"),
    ],
)
def test_an_invalid_filter_value_gets_a_message_not_an_error(client, bern, query, label):
    page = search(client, **query)
    fragment = client.get(reverse("directory:partner-list"), query, headers={"HX-Request": "true"})

    for response in (page, fragment):
        assert response.status_code == HTTPStatus.OK
        html = response.content.decode()
        warning = re.search(r'<div class="alert alert-warning" role="alert">(.*?)</div>', html, re.DOTALL)
        assert warning, html
        assert f"{label}: " in warning.group(1)


def test_the_form_keeps_the_query_and_uses_get(client, bern):
    html = search(client, q="Aare", language=["fr", "it"], service="training", canton="BE").content.decode()

    assert re.search(r'<form id="directory-filters"[^>]*method="get"', html)
    assert re.search(r'<input type="search" name="q" value="Aare"', html)
    assert re.search(r'<input type="checkbox" name="language" value="fr"[^>]*checked', html)
    assert re.search(r'<input type="checkbox" name="language" value="it"[^>]*checked', html)
    assert not re.search(r'<input type="checkbox" name="language" value="de"[^>]*checked', html)
    assert re.search(r'<input type="checkbox" name="service" value="training"[^>]*checked', html)
    assert re.search(r'<option value="BE" selected>', html)


def test_page_links_keep_the_search_and_filters(client, make_listed):
    matching = [make_listed(f"Aare Partner {number:02d}", speaks=("de", "fr")) for number in range(PAGE_SIZE + 2)]
    make_listed("Aare Italiano", speaks=("it",))
    query = {"q": "Aare", "language": ["de", "fr"], "canton": "BE"}
    url = reverse("directory:partner-list")

    first = client.get(url, query)
    second = client.get(url, query | {"page": "2"})

    expected = f"{url}?q=Aare&amp;language=de&amp;language=fr&amp;canton=BE&amp;page=2"
    assert f'href="{expected}"' in first.content.decode()
    assert f'hx-get="{expected}"' in first.content.decode()
    assert card_slugs(second) == [partner.slug for partner in matching[PAGE_SIZE:]]
    assert f'href="{url}?q=Aare&amp;language=de&amp;language=fr&amp;canton=BE&amp;page=1"' in second.content.decode()


def test_a_filtered_page_is_not_indexed_and_its_canonical_is_the_directory(client, bern):
    url = reverse("directory:partner-list")

    html = search(client, q="Aare", page="1").content.decode()

    assert '<meta name="robots" content="noindex, follow">' in html
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert "noindex" not in search(client).content.decode()
