"""A channel manager opens the admin dashboard in real Chromium: charts under the strict CSP, and axe passes."""

import datetime
import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from partners.models import (
    Certification,
    Distributor,
    Membership,
    Partner,
    Product,
    Purchase,
    RecruitmentTarget,
    Territory,
    Tier,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def manager():
    """A staff member who may view partners (the dashboard asks no more), and a small programme to look at."""
    user = User.objects.create_user(email="carla@vendor.example", password=PASSWORD, is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.user_permissions.add(Permission.objects.get(codename="view_partner", content_type__app_label="partners"))

    today = timezone.localdate()
    product = Product.objects.create(sku="KAV-WS", name="Anti-Virus Workstation")
    tiers = list(Tier.objects.all())
    for code, name, distributor_name in [
        ("ch-de", "German-speaking Switzerland", "Alpine Distribution AG"),
        ("ch-fr", "French-speaking Switzerland", "Distribution Romande SA"),
    ]:
        territory = Territory.objects.create(code=code, name=name, country="CH")
        distributor = Distributor.objects.create(code=code, name=distributor_name)
        distributor.territories.set([territory])
        RecruitmentTarget.objects.create(
            territory=territory,
            starts_on=today - 60 * DAY,
            ends_on=today + 120 * DAY,
            more_active_min=3 if code == "ch-fr" else 15,
            more_active_max=None if code == "ch-fr" else 20,
        )
        for n in range(6):
            partner = Partner.objects.create(
                name=f"{name} Partner {n}",
                slug=f"{code}-{n}",
                tier=tiers[n % len(tiers)],
                territory=territory,
                status=Partner.Status.ACTIVE,
            )
            Purchase.objects.create(
                partner=partner,
                distributor=distributor,
                product=product,
                quantity=1,
                amount_eur=Decimal(1500 * (n + 1)),
                invoice_date=today - (n * 25) * DAY,
                reference=f"{code}-{n}",
            )
    technician = User.objects.create_user(email="tom@partner.example", first_name="Tom", last_name="Keller")
    partner = Partner.objects.first()
    Membership.objects.create(user=technician, partner=partner, role=Membership.Role.TECHNICAL)
    Certification.objects.create(
        partner=partner,
        holder=technician,
        exam="Certified Security Professional",
        number="CSP-1",
        issued_on=today - 700 * DAY,
        expires_on=today + 20 * DAY,
    )
    return user


def test_a_channel_manager_reads_the_dashboard(page, manager):
    page.goto("/accounts/login/?next=/admin/")
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.get_by_role("link", name="Channel dashboard").click()

    expect(page).to_have_url(re.compile(r"/admin/dashboard/$"))
    expect(page.get_by_role("heading", name="Channel dashboard", level=1)).to_be_visible()
    for name in [
        "Partners with an active partnership per territory, by tier",
        "More active partners gained in each territory against its goal",
        "Revenue of the last 12 months by territory, in EUR",
        "Revenue of the last 12 months by distributor, in EUR",
        "Revenue per month over the last 12 months, in EUR",
    ]:
        chart = page.get_by_role("img", name=name)
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 200, f"{name} is not drawn: {box}"
        assert box["height"] > 40, f"{name} is not drawn: {box}"

    targets = page.locator("#targets-table")
    expect(targets.get_by_role("row").filter(has_text="German-speaking Switzerland")).to_contain_text("15–20")
    expect(page.locator("#expiring-table")).to_contain_text("Tom Keller")

    # The revenue figures open without JavaScript, from <details>.
    figures = page.locator("#territory-revenue-table")
    expect(figures).to_be_hidden()
    page.get_by_role("heading", name="Revenue of the last 12 months by territory").locator("..").get_by_text(
        "Figures"
    ).click()
    expect(figures).to_contain_text("EUR 31,500")  # 1,500 × (1 + … + 6)

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
