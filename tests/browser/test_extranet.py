"""Becoming a partner and building the team, in real Chromium under the strict CSP.

The live server runs in this process, so the emails it sends land in `mail.outbox`.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from partners.models import Membership, Partner, Tier
from partners.services import partner_approve

pytestmark = pytest.mark.browser

PASSWORD = "a-sturdy-Passphrase-2005"


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def link_in(message, pattern: str) -> str:
    """The path of the first link in an email that matches `pattern`, to open on the live server."""
    url = re.search(rf"https?://\S*{pattern}\S*", message.body)[0]
    return urlsplit(url).path


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(email)


def sign_out(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name=re.compile("Signed in as")).click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Partner login")).to_be_visible()


@pytest.fixture
def owner():
    partner = Partner.objects.create(
        name="Limmat Informatik GmbH", slug="limmat", tier=Tier.objects.get(code="accredited"), status="active"
    )
    user = User.objects.create_user(email="olga@limmat.example", password=PASSWORD, first_name="Olga")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, partner=partner, role=Membership.Role.OWNER)
    return user


def test_a_company_applies_is_approved_verifies_and_reaches_its_dashboard(page):
    page.goto("/apply/")
    page.get_by_label("Company name").fill("Bergblick Informatik AG")
    page.get_by_role("textbox", name="Address", exact=True).fill("Bahnhofstrasse 1")
    page.get_by_label("Postcode").fill("8001")
    page.get_by_role("textbox", name="City", exact=True).fill("Zürich")
    page.get_by_label("Canton / region").fill("ZH")
    page.get_by_role("group", name="Languages you serve customers in").get_by_label("German").check()
    page.get_by_label("First name").fill("Beat")
    page.get_by_label("Last name").fill("Brunner")
    page.get_by_label("Your email address").fill("beat@bergblick.example")
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)  # the label ends in a required mark
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Send the application").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text("beat@bergblick.example")

    # A channel manager approves the application.
    staff = User.objects.create_user(email="manager@vendor.example", password=PASSWORD, is_staff=True)
    partner_approve(partner=Partner.objects.get(name="Bergblick Informatik AG"), actor=staff)
    verification, welcome = mail.outbox
    assert welcome.to == ["beat@bergblick.example"]
    assert "Accredited Reseller" in welcome.body

    page.goto(link_in(verification, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    sign_in(page, "beat@bergblick.example")
    page.goto("/extranet/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("navigation", name="Extranet")).to_contain_text("Bergblick Informatik AG")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuemax", "10000")
    expect(page.get_by_role("main")).to_contain_text("Accredited Reseller")
    assert_accessible(page)


def test_an_applicant_sees_only_the_review_page(page):
    partner = Partner.objects.create(
        name="Bergblick Informatik AG", slug="bergblick", tier=Tier.objects.get(code="accredited")
    )
    user = User.objects.create_user(email="beat@bergblick.example", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, partner=partner, role=Membership.Role.OWNER)

    sign_in(page, user.email)
    page.goto("/extranet/team/")

    expect(page).to_have_url(re.compile(r"/extranet/application/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Application under review")
    expect(page.get_by_role("navigation", name="Extranet")).to_have_count(0)
    assert_accessible(page)


def test_an_owner_invites_a_colleague_who_accepts_and_signs_in(page, owner):
    sign_in(page, owner.email)
    page.goto("/extranet/team/")
    assert_accessible(page)

    page.get_by_role("link", name="Invite a colleague").click()
    page.get_by_label("Email address").fill("tina@limmat.example")
    page.get_by_label("Role").select_option(label="Technical")
    page.get_by_role("button", name="Send the invitation").click()
    # Inviting is an owner's sensitive action: the password once more, then the invitation goes out.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile(r"/extranet/team/$"))
    expect(page.get_by_role("alert")).to_contain_text("Invitation sent to tina@limmat.example")
    [invitation] = mail.outbox
    sign_out(page)

    page.goto(link_in(invitation, "/invitations/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Limmat Informatik GmbH")
    assert_accessible(page)
    page.get_by_label("First name").fill("Tina")
    page.get_by_label("Last name").fill("Tech")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account and join").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    sign_out(page)
    sign_in(page, "tina@limmat.example")
    page.goto("/extranet/team/")
    expect(page.get_by_role("table")).to_contain_text("Tina Tech")
    expect(page.get_by_role("link", name="Invite a colleague")).to_have_count(0)


@pytest.mark.parametrize("path", ["/apply/", "/extranet/settings/"])
def test_page_has_no_accessibility_violations(page, owner, path):
    if path.startswith("/extranet/"):
        sign_in(page, owner.email)
    page.goto(path)

    assert_accessible(page)


def test_apply_page_with_errors_has_no_accessibility_violations(page):
    page.goto("/apply/")
    page.get_by_role("button", name="Send the application").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/apply/", "/extranet/", "/extranet/team/", "/extranet/settings/"])
def test_pages_fit_a_320px_screen(page, owner, path):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, owner.email)
    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
