"""The newsletter in real Chromium: a partner opens the archive and reads an issue; the
one-click unsubscribe page works without a login; axe passes and 320 px fit."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from newsletter.access import unsubscribe_token
from newsletter.models import Issue
from partners.models import Membership, Partner, Tier

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def member(programme_defaults):
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    partner = Partner.objects.create(
        name="Limmat Test GmbH", slug="limmat-test", tier=tiers["accredited"], status="active"
    )
    user = User.objects.create_user(email="reseller@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    today = timezone.localdate()
    for days, subject, language, tier in [
        (40, "Your starter kit: what is inside", "en", "accredited"),
        (10, "Partnertag in Bern: Reservieren Sie das Datum", "de", "accredited"),
        (8, "Partner day in Bern: save the date", "en", "accredited"),
        (5, "Price list for Certified Partners", "en", "certified"),
    ]:
        Issue.objects.create(
            subject=subject,
            body="Our yearly partner day takes place in Bern.\n\nOwners and technicians are welcome.",
            language=language,
            min_tier=tiers[tier],
            publish_on=today - datetime.timedelta(days=days),
            status=Issue.Status.SENT,
        )
    return Membership.objects.create(user=user, partner=partner, role=Membership.Role.OWNER)


def sign_in_to_the_archive(page, user):
    page.goto("/extranet/newsletter/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/extranet/newsletter/$"))


def assert_accessible_and_narrow(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


def test_partner_reads_an_issue_from_the_archive(page, member):
    sign_in_to_the_archive(page, member.user)

    expect(page.get_by_role("heading", level=1)).to_have_text("Newsletter archive")
    issues = page.get_by_role("heading", level=2)
    expect(issues).to_have_text(
        [
            "Partner day in Bern: save the date",
            "Partnertag in Bern: Reservieren Sie das Datum",
            "Your starter kit: what is inside",
        ]
    )
    expect(page.get_by_text("Price list for Certified Partners")).to_have_count(0)
    assert_accessible_and_narrow(page)

    page.get_by_role("link", name="German", exact=True).click()
    expect(issues).to_have_text(["Partnertag in Bern: Reservieren Sie das Datum"])

    page.get_by_role("link", name="All languages").click()
    page.get_by_role("link", name="Partner day in Bern: save the date").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Partner day in Bern: save the date")
    expect(page.get_by_text("Owners and technicians are welcome.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Extranet").get_by_role("link", name="Newsletter")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible_and_narrow(page)


def test_member_unsubscribes_with_one_click_without_signing_in(page, member):
    page.goto(f"/extranet/newsletter/unsubscribe/{unsubscribe_token(member)}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from the newsletter")
    assert_accessible_and_narrow(page)
    page.get_by_role("button", name="Unsubscribe").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    member.refresh_from_db()
    assert not member.receives_newsletter
