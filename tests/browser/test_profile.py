"""An owner edits the public profile in real Chromium under the strict CSP: text, logo, password check."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import User
from partners.models import Membership, Partner, Tier
from tests.partners.test_profile import png_bytes

pytestmark = pytest.mark.browser

PASSWORD = "a-sturdy-Passphrase-2005"
LOGO = {"name": "saentis.png", "mimeType": "image/png", "buffer": png_bytes(160, 60)}


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(email)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def owner():
    partner = Partner.objects.create(
        name="Säntis IT AG",
        slug="saentis-it",
        tier=Tier.objects.get(code="certified"),
        status="active",
        description="Old text.",
    )
    user = User.objects.create_user(email="sara@saentis.example", password=PASSWORD, first_name="Sara")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, partner=partner, role=Membership.Role.OWNER)
    return user


def test_an_owner_edits_the_description_and_uploads_a_logo(page, owner):
    sign_in(page, owner.email)
    page.goto("/extranet/")
    page.get_by_role("navigation", name="Extranet").get_by_role("link", name="Public profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public profile")
    assert_accessible(page)

    page.get_by_label("Description").fill("Firewalls, audits and training in Eastern Switzerland.")
    page.get_by_label("New logo").set_input_files(LOGO)
    page.get_by_role("button", name="Save the public profile").click()
    # Saving is an owner's sensitive action: the password once more.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    # The browser cannot send the file again after the check: the page asks for it, keeping the text.
    expect(page.get_by_role("status")).to_contain_text("Choose the logo again, then save.")
    expect(page.get_by_label("Description")).to_have_value("Firewalls, audits and training in Eastern Switzerland.")
    assert_accessible(page)
    page.get_by_label("New logo").set_input_files(LOGO)
    page.get_by_role("button", name="Save the public profile").click()

    expect(page).to_have_url(re.compile(r"/extranet/profile/$"))
    expect(page.get_by_role("alert")).to_contain_text("Your public profile is saved.")
    logo = page.get_by_role("img", name="Current logo of Säntis IT AG")
    expect(logo).to_be_visible()
    # The image may still be loading when it becomes visible; wait until it has decoded.
    assert logo.evaluate("image => image.decode().then(() => image.naturalWidth)") == 160
    partner = Partner.objects.get(slug="saentis-it")
    assert partner.description == "Firewalls, audits and training in Eastern Switzerland."
    assert partner.logo.name.startswith("logos/")
    assert partner.history.first().history_user == owner
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_refused_logo_is_named_on_an_accessible_page(page, owner):
    sign_in(page, owner.email)
    page.goto("/extranet/profile/")
    page.get_by_label("New logo").set_input_files(
        {"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )
    page.get_by_role("button", name="Save the public profile").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("New logo").set_input_files(
        {"name": "logo.svg", "mimeType": "image/svg+xml", "buffer": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )
    page.get_by_role("button", name="Save the public profile").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.get_by_text("“logo.svg” is an SVG image.")).to_be_visible()
    assert_accessible(page)
