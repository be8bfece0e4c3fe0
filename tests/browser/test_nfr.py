"""A partner's member requests an NFR licence in real Chromium and sees the key; the pages pass axe."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from nfr.models import Licence
from partners.models import Membership, Partner, Product, Tier

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
KEY = re.compile(r"^AVW-\d{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


@pytest.fixture
def member():
    partner = Partner.objects.create(
        name="Limmat Informatik GmbH",
        slug="limmat-informatik",
        tier=Tier.objects.get(code="accredited"),
        status=Partner.Status.ACTIVE,
    )
    user = User.objects.create_user(email="simone@limmat.example", password=PASSWORD, first_name="Simone")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, partner=partner, role=Membership.Role.OWNER)
    Product.objects.create(
        sku="AV-WKS", name="Anti-Virus Workstation", nfr_available=True, licence_key_format="AVW-####-XXXX-XXXX"
    )
    Product.objects.create(sku="MAIL-GW", name="Mail Gateway Protection", nfr_available=False)
    return user


def sign_in(page, user, next_path: str):
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def test_member_requests_a_licence_and_sees_the_key(page, member):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, member, "/extranet/licences/")
    expect(page.get_by_text("0 of 2 licences used in")).to_be_visible()
    page.get_by_role("link", name="Request a licence").click()

    expect(page.get_by_role("status")).to_contain_text("A new request is issued at once")
    product = page.get_by_label("Product")
    expect(product.get_by_role("option")).to_have_text(["Choose a product", "Anti-Virus Workstation"])
    product.select_option(label="Anti-Virus Workstation")
    page.get_by_label("Purpose").fill("Demo PC in our shop")
    page.get_by_role("button", name="Issue the licence").click()

    expect(page.get_by_role("alert")).to_contain_text("Your NFR licence for Anti-Virus Workstation is issued.")
    new_key = page.get_by_role("region", name="Your licence key for Anti-Virus Workstation").locator("code")
    expect(new_key).to_have_text(KEY)
    licence = Licence.objects.get()
    assert licence.key == new_key.inner_text()
    row = page.get_by_role("row").filter(has_text=licence.key)
    expect(row).to_contain_text("Issued")
    expect(row).to_contain_text("Simone")
    expect(page.get_by_text("1 of 2 licences used in")).to_be_visible()

    page.get_by_role("button", name="Copy key").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == licence.key


def test_request_beyond_the_allowance_goes_to_approval(page, member):
    partner = member.membership.partner
    product = Product.objects.get(sku="AV-WKS")
    for number in range(2):
        Licence.objects.create(
            partner=partner,
            product=product,
            purpose="Lab",
            status=Licence.Status.ISSUED,
            key=f"AVW-000{number}-AAAA-AAAA",
            issued_on=timezone.localdate(),
            expires_on=timezone.localdate().replace(year=2100),
        )
    sign_in(page, member, "/extranet/licences/request/")

    expect(page.get_by_role("status")).to_contain_text("A new request goes to a channel manager for approval.")
    page.get_by_label("Product").select_option(label="Anti-Virus Workstation")
    page.get_by_label("Purpose").fill("Third lab PC")
    page.get_by_role("button", name="Ask for approval").click()

    expect(page.get_by_role("alert")).to_contain_text("awaits a channel manager's approval")
    expect(page.get_by_role("row").filter(has_text="Awaiting approval")).to_have_count(1)


@pytest.mark.parametrize("path", ["/extranet/licences/", "/extranet/licences/request/"])
def test_licence_pages_have_no_accessibility_violations(page, member, path):
    Licence.objects.create(
        partner=member.membership.partner,
        product=Product.objects.get(sku="AV-WKS"),
        purpose="Lab",
        requested_by=member,
    )
    sign_in(page, member, path)

    results = Axe().run(page)

    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/extranet/licences/", "/extranet/licences/request/"])
def test_licence_pages_fit_a_320px_screen(page, member, path):
    Licence.objects.create(
        partner=member.membership.partner,
        product=Product.objects.get(sku="AV-WKS"),
        purpose="Lab",
        status=Licence.Status.ISSUED,
        key="AVW-1234-ABCD-EFGH",
        issued_on="2020-01-01",
        expires_on="2021-01-01",
        requested_by=member,
    )
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, member, path)

    # Only the table may scroll sideways, inside its own container.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
