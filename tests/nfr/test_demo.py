"""The demo's NFR licences: the pictures the demo logins see, loaded idempotently."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import User
from nfr.demo import KEY_FORMATS, nfr_demo_load
from nfr.models import Licence
from nfr.services import licence_allowance
from partners.demo import demo_load
from partners.demo.load import DemoSummary
from partners.models import Partner, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_load()
    nfr_demo_load()


def allowance(slug: str):
    return licence_allowance(partner=Partner.objects.select_related("tier").get(slug=slug))


def test_demo_products_get_key_formats(demo):
    for sku, fmt in KEY_FORMATS.items():
        assert Product.objects.get(sku=sku).licence_key_format == fmt
    for licence in Licence.objects.issued().select_related("product"):
        pattern = re.escape(licence.product.licence_key_format).replace("\\#", r"\d").replace("X", "[A-Z2-9]")
        assert re.fullmatch(pattern, licence.key), licence.key


def test_the_demo_logins_see_their_allowance(demo, today):
    accredited, certified = allowance("limmat-informatik"), allowance("leman-securite")

    assert (accredited.used, accredited.total) == (1, 2)
    assert (certified.used, certified.total) == (3, 5)


def test_accredited_login_has_a_licence_due_for_renewal(demo, today):
    due = [
        licence
        for licence in Licence.objects.filter(partner__slug="limmat-informatik").select_related("product")
        if licence.renewal_refusal(today) is None
    ]

    assert len(due) == 1
    assert due[0].issued_on.year == today.year - 1


def test_one_request_waits_for_the_manager(demo):
    waiting = Licence.objects.pending().select_related("partner").get()

    assert waiting.partner.slug == "uetliberg-security"
    assert allowance("uetliberg-security").remaining == 0


def test_second_load_writes_nothing(demo):
    before = (Licence.objects.count(), Licence.history.count(), list(Licence.objects.values_list("key", flat=True)))
    summary = DemoSummary()

    nfr_demo_load(summary=summary)

    after = (Licence.objects.count(), Licence.history.count(), list(Licence.objects.values_list("key", flat=True)))
    assert after == before
    assert set(summary.counts["NFR licences"]) == {"unchanged"}
    assert set(summary.counts["licence key formats"]) == {"unchanged"}


def test_a_later_day_keeps_the_picture(demo, today):
    nfr_demo_load(today=today + datetime.timedelta(days=60))

    later = today + datetime.timedelta(days=60)
    partner = Partner.objects.select_related("tier").get(slug="limmat-informatik")
    assert licence_allowance(partner=partner, on=later).used == 1


def test_the_demo_manager_sees_the_waiting_request(demo, client, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = False
    client.force_login(User.objects.get(email="manager@demo.example"))

    response = client.get(reverse("admin:nfr_licence_changelist"), {"decision": "pending"})

    assert response.status_code == HTTPStatus.OK
    assert "Uetliberg Security AG" in response.text
    assert "Awaiting approval (1)" in response.text
