import datetime
import io
import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from partners.demo.data import DEMO_PASSWORD, MANAGER_GROUP
from partners.models import Certification, Distributor, Partner
from partners.services import tier_review

pytestmark = pytest.mark.django_db

LOGINS = ["accredited@demo.example", "certified@demo.example", "enterprise@demo.example", "manager@demo.example"]


@pytest.fixture
def load_demo(settings):
    settings.DEBUG = True

    def load(*args: str) -> str:
        out = io.StringIO()
        call_command("load_demo", *args, stdout=out)
        return out.getvalue()

    return load


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_load_demo_builds_the_articles_switzerland(load_demo, today):
    output = load_demo()

    by_tier = {
        code: Partner.objects.filter(tier__code=code, status="active").count()
        for code in ["accredited", "certified", "enterprise"]
    }
    assert by_tier == {"accredited": 43, "certified": 6, "enterprise": 1}
    served = {d.code: sorted(d.territories.values_list("code", flat=True)) for d in Distributor.objects.all()}
    assert served == {"alpsec": ["ch-de"], "lemanique": ["ch-fr"]}
    for partner in Partner.objects.prefetch_related("distributor__territories"):
        assert partner.territory in partner.distributor.territories.all(), partner

    recent = today - datetime.timedelta(days=django_settings.EXTRANET_ACTIVE_PARTNER_DAYS)
    active = Partner.objects.filter(tier__code="accredited", purchases__invoice_date__gt=recent).distinct()
    assert 18 <= active.count() <= 22
    # Business is good in Romandie; German-speaking Switzerland needs more active partners.
    assert active.filter(territory__code="ch-fr").count() > active.filter(territory__code="ch-de").count()

    enterprise = Partner.objects.get(tier__code="enterprise")
    assert enterprise.nominated_by.email == "manager@demo.example"
    assert enterprise.nominated_at
    assert enterprise.nomination_reason
    assert enterprise.services.filter(code="end-customer-support").exists()

    for email in LOGINS:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
    manager = User.objects.get(email="manager@demo.example")
    assert manager.is_staff
    assert not manager.is_superuser
    assert manager.groups.filter(name=MANAGER_GROUP).exists()
    assert manager.has_perm("partners.change_partner")
    assert manager.has_perm("accounts.change_user")
    assert not manager.has_perm("accounts.delete_user")
    assert not User.objects.filter(email__endswith=".demo.example").exclude(password__startswith="!").exists()

    assert f"Demo logins (password: {DEMO_PASSWORD})" in output
    assert all(email in output for email in LOGINS)


def test_every_demo_partner_holds_exactly_its_tier(load_demo, today):
    load_demo()

    review = tier_review(dry_run=True)
    assert review.evaluated == 50
    assert (review.upgrades, review.proposed_downgrades, review.applied_downgrades, review.flags) == ([], [], [], [])

    partners = {p.slug: p for p in Partner.objects.with_metrics(on=today).select_related("tier")}
    for partner in partners.values():
        volume, technicians = partner.volume_12m, partner.certified_technicians
        if partner.tier.code == "accredited":
            assert 1000 <= volume < 10000, partner
            # The accredited login's partner lacks only volume (the sample sales report adds it).
            assert technicians == (1 if partner.slug == "limmat-informatik" else 0), partner
        elif partner.tier.code == "certified":
            assert 10000 <= volume <= 45000, partner
            assert technicians >= 1, partner
        else:
            assert volume >= 50000, partner
            assert technicians >= 2, partner
    assert partners["limmat-informatik"].volume_12m == 7600

    expiring = Certification.objects.current(on=today).filter(expires_on__lte=today + datetime.timedelta(days=30))
    assert expiring.count() == 1
    assert partners[expiring.get().partner.slug].certified_technicians >= 2


def test_second_load_creates_nothing(load_demo):
    load_demo()
    before = row_counts()

    output = load_demo()

    assert row_counts() == before
    assert before["partners.Purchase"] > 0
    assert before["partners.Certification"] > 0
    assert before["account.EmailAddress"] == 6
    assert set(re.findall(r"(\d+) created", output)) == {"0"}


def test_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Partner.objects.exists()
    assert not User.objects.exists()

    call_command("load_demo", "--force", stdout=io.StringIO())
    assert Partner.objects.count() == 50


def test_refuses_next_to_real_partners(load_demo, make_partner):
    real = make_partner("Real Reseller AG")

    with pytest.raises(CommandError, match="not demo partners"):
        load_demo()
    assert list(Partner.objects.all()) == [real]

    load_demo("--force")
    assert Partner.objects.count() == 51
    assert not real.purchases.exists()


def test_demo_login_works_through_the_login_page(load_demo, client):
    load_demo()

    response = client.post(reverse("account_login"), {"login": "accredited@demo.example", "password": DEMO_PASSWORD})

    assert response.status_code == HTTPStatus.FOUND
    assert client.session.get("_auth_user_id") == str(User.objects.get(email="accredited@demo.example").pk)
