"""The public pages in real Chromium: they render, switch language, sign in, and pass axe."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import User
from partners.models import Tier

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def partner_user():
    user = User.objects.create_user(email="browser@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_programme_page_shows_the_tiers(page):
    page.goto("/")

    expect(page).to_have_title(re.compile("Partner programme"))
    for tier in Tier.objects.order_by("rank"):
        expect(page.get_by_role("heading", name=tier.name, exact=True)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("18–20 %")


def test_language_switcher_turns_the_page_german(page):
    page.goto("/")

    page.get_by_role("button", name=re.compile("Language")).click()
    page.get_by_role("button", name="Deutsch").click()

    expect(page).to_have_url(re.compile(r"/de/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=2).first).to_have_text("So funktioniert das Partnerprogramm")
    expect(page.get_by_role("link", name="Partner-Login").first).to_be_visible()


def test_partner_signs_in_through_the_login_page(page, partner_user):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Partner login").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))

    page.get_by_label("Email").fill(partner_user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(partner_user.email)


def test_wrong_password_shows_the_error_in_the_form(page, partner_user):
    page.goto("/accounts/login/")

    page.get_by_label("Email").fill(partner_user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page.get_by_label("Password")).to_have_value("")


@pytest.mark.parametrize("path", ["/", "/de/", "/accounts/login/", "/accounts/password/reset/"])
def test_page_has_no_accessibility_violations(page, path):
    page.goto(path)

    results = Axe().run(page)

    assert results.violations_count == 0, results.generate_report()


def test_account_page_has_no_accessibility_violations(page, partner_user):
    sign_in(page, partner_user)
    page.goto("/accounts/password/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Password")

    results = Axe().run(page)

    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/", "/de/", "/fr/", "/de/accounts/login/"])
def test_pages_fit_a_320px_screen(page, path):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(path)

    # Only the comparison table may scroll sideways, inside its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_navigation_collapses_on_small_screens(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    main_nav = page.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Partner login")).to_be_hidden()

    main_nav.get_by_role("button", name="Toggle navigation").click()

    expect(main_nav.get_by_role("link", name="Partner login")).to_be_visible()
