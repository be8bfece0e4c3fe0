import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partners.models import Partner, Territory
from partners.scale import scale_partners
from partners.validators import SWISS_CANTONS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programme(tiers):
    """Tiers, languages and services of the data migration."""


def seed(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_scale", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_seeds_a_realistic_population():
    out, err = seed("--partners", "400")

    partners = scale_partners().select_related("tier", "territory").prefetch_related("languages", "services")
    assert len(partners) == 400
    tiers = Counter(partner.tier.code for partner in partners)
    assert tiers["accredited"] > 300
    assert tiers["certified"] > 20
    listed = scale_partners().listed().count()
    assert 20 < listed < 80
    assert f"400 seeded partners, {listed} of them listed in the directory." in out
    assert "Created 400 partners and" in out
    assert "400/400" in err
    assert Counter(partner.status for partner in partners)["active"] > 350
    assert {partner.country for partner in partners} == {"CH", "DE", "AT"}
    assert set(Territory.objects.values_list("code", flat=True)) >= {"ch-de", "ch-fr", "ch-ti", "de", "at"}
    for partner in partners:
        assert partner.slug.startswith("scale-")
        assert all([partner.joined_on, partner.territory, partner.name, partner.city, partner.description])
        assert partner.languages.all()
        assert partner.services.all()
        assert partner.territory.country == partner.country
        if partner.country == "CH":
            assert partner.region in SWISS_CANTONS
            assert partner.region in partner.territory.region_codes()
    enterprise = [partner for partner in partners if partner.tier.code == "enterprise"]
    assert enterprise
    assert all("end-customer-support" in {s.code for s in partner.services.all()} for partner in enterprise)
    # Descriptions vary enough for a search to be selective.
    assert len({partner.description for partner in partners}) == 400


def test_refuses_next_to_real_partners(make_partner):
    make_partner("Real Reseller AG")

    with pytest.raises(CommandError, match=r"neither demo nor seeded partners \(Real Reseller AG\).*--force"):
        seed("--partners", "10")

    assert not scale_partners().exists()


def test_force_seeds_next_to_real_partners(make_partner):
    real = make_partner("Real Reseller AG")

    seed("--partners", "10", "--force")

    assert scale_partners().count() == 10
    assert Partner.objects.filter(pk=real.pk, name="Real Reseller AG").exists()


def test_demo_partners_do_not_block_seeding(tiers):
    Partner.objects.create(name="Rigi Security Solutions AG", slug="rigi-security", tier=tiers["certified"])

    seed("--partners", "10")

    assert scale_partners().count() == 10


def test_a_second_run_adds_only_what_is_missing():
    seed("--partners", "30")
    first = dict(scale_partners().values_list("slug", "pk"))

    out, _ = seed("--partners", "50")

    assert "Created 20 partners" in out
    assert scale_partners().count() == 50
    assert dict(scale_partners().filter(slug__in=first).values_list("slug", "pk")) == first
    out, err = seed("--partners", "50")
    assert "Nothing to add: 50 seeded partners exist (asked for 50)." in out
    assert err == ""
    assert scale_partners().count() == 50


def test_the_same_seed_gives_the_same_partners_whatever_the_batch_size():
    seed("--partners", "20", "--batch-size", "7")
    in_batches_of_seven = set(scale_partners().values_list("slug", "city", "description"))

    out, _ = seed("--partners", "20", "--reset")

    assert "Removed 20 seeded partners" in out
    assert set(scale_partners().values_list("slug", "city", "description")) == in_batches_of_seven
    seed("--partners", "20", "--reset", "--seed", "7")
    assert set(scale_partners().values_list("slug", "city", "description")) != in_batches_of_seven


def test_reset_removes_only_seeded_partners(make_partner):
    real = make_partner("Real Reseller AG")
    seed("--partners", "15", "--force")

    seed("--partners", "0", "--reset", "--force")

    assert not scale_partners().exists()
    assert list(Partner.objects.all()) == [real]
    assert not Partner.languages.through.objects.exclude(partner=real).exists()


def test_languages_and_services_go_into_the_through_tables():
    out, _ = seed("--partners", "25")

    languages = Partner.languages.through.objects.filter(partner__in=scale_partners()).count()
    services = Partner.services.through.objects.filter(partner__in=scale_partners()).count()
    assert f"Created 25 partners and {languages + services} language and service links" in out


def test_parallel_workers_are_refused_inside_a_transaction():
    with pytest.raises(CommandError, match="use one worker"):
        seed("--partners", "10", "--batch-size", "5", "--workers", "2")


@pytest.mark.parametrize("args", [["--partners", "-1"], ["--batch-size", "0"], ["--workers", "0"]])
def test_bad_arguments_are_refused(args):
    with pytest.raises(CommandError, match="at least 1"):
        seed(*args)
