"""The cached listing never outlives what it shows: every kind of write makes the next request render afresh."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from partners.models import Language, Partner, Service
from partners.services import partner_profile_update, tier_review
from partners.signals import partners_bulk_changed

from .conftest import card_slugs

pytestmark = pytest.mark.django_db


def listed_slugs(client, **query) -> list[str]:
    return card_slugs(client.get(reverse("directory:partner-list"), query))


@pytest.fixture
def certified(make_partner):
    return make_partner("Rigi Security AG", tier="certified", city="Luzern")


def test_a_partner_withdrawing_consent_leaves_the_cached_listing_at_once(client, certified, make_member):
    owner = make_member(certified, role="owner").user
    assert listed_slugs(client) == [certified.slug]

    partner_profile_update(
        partner=certified,
        description="",
        website="",
        phone="",
        services=[],
        languages=[],
        directory_consent=False,
        actor=owner,
    )

    assert listed_slugs(client) == []


def test_renaming_a_service_shows_on_the_cached_listing(client, certified):
    service = Service.objects.get(code="training")
    certified.services.add(service)
    assert "Training" in client.get(reverse("directory:partner-list")).content.decode()

    service.name = "Workshops"
    service.save()

    assert "Workshops" in client.get(reverse("directory:partner-list")).content.decode()


def test_a_language_added_to_a_partner_shows_in_a_cached_filter(client, certified):
    assert listed_slugs(client, language="it") == []

    certified.languages.add(Language.objects.get(code="it"))

    assert listed_slugs(client, language="it") == [certified.slug]


def test_a_bulk_write_announced_by_the_signal_shows(client, certified, tiers):
    assert listed_slugs(client) == [certified.slug]

    Partner.objects.filter(pk=certified.pk).update(tier=tiers["accredited"])  # no post_save
    assert listed_slugs(client) == [certified.slug]  # cached: nobody told
    partners_bulk_changed.send(sender=Partner)

    assert listed_slugs(client) == []


def test_an_upgrade_by_the_tier_review_shows_once_committed(
    client, make_partner, make_purchase, make_certified_technician, today, django_capture_on_commit_callbacks
):
    partner = make_partner("Pilatus Netzwerke GmbH")
    make_purchase(partner, "10000", today)
    make_certified_technician(partner)
    assert listed_slugs(client) == []

    with django_capture_on_commit_callbacks(execute=True):
        tier_review(on=today)

    assert listed_slugs(client) == [partner.slug]


def test_listings_are_kept_per_language_and_query(client, certified):
    client.get(reverse("directory:partner-list"))
    client.get("/de/partners/")
    client.get(reverse("directory:partner-list"), {"q": "Luzern"})
    client.get(reverse("directory:partner-list"), {"q": "Luzern"}, headers={"HX-Request": "true"})

    keys = [key for key in caches["directory"]._cache if ":listing:" in key]
    assert len(keys) >= 4
    assert "Partner finden" in client.get("/de/partners/").content.decode()
