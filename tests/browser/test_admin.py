"""The demo channel manager runs the programme in admin, in real Chromium under the strict CSP."""

import re

import pytest
from playwright.sync_api import expect

from partners.demo import DEMO_PASSWORD, demo_load
from partners.models import Nomination, Partner, TierChange

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(programme_defaults):
    demo_load()


def sign_in_as_manager(page):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fadmin%2F$"))
    page.get_by_label("Email").fill("manager@demo.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/de/admin/$"))  # sign-in continues in her language
    page.goto("/admin/")  # the test reads the English admin


def test_manager_nominates_a_certified_partner(page, demo):
    sign_in_as_manager(page)
    page.get_by_role("link", name="Partners", exact=True).click()
    page.get_by_role("link", name="Certified Partner", exact=True).click()  # the tier filter
    row = page.get_by_role("row").filter(has_text="Léman Sécurité Informatique SA")
    expect(row).to_contain_text("EUR")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(value="nominate")
    page.get_by_role("button", name="Run").click()

    page.get_by_label("Reason").fill("Leads the cantonal hospital roll-out in Vaud")
    page.get_by_role("button", name=re.compile("Nominate")).click()

    expect(page.locator(".messagelist")).to_contain_text("Léman Sécurité Informatique SA")
    # Four eyes: a proposal waits for a second staff member (tests/browser/test_tier_review.py confirms one).
    partner = Partner.objects.get(slug="leman-securite")
    assert partner.tier.code == "certified"
    assert Nomination.objects.get(partner=partner, status="pending").proposed_by.email == "manager@demo.example"
    assert not TierChange.objects.filter(partner=partner, kind="nomination").exists()


def test_manager_reads_a_partners_evaluation(page, demo):
    sign_in_as_manager(page)
    partner = Partner.objects.get(slug="limmat-informatik")
    page.goto(f"/admin/partners/partner/{partner.pk}/change/")

    expect(page.get_by_text("EUR 2,400 more purchase volume")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Members"))).to_be_visible()
