"""The library in real Chromium: an Accredited partner downloads the starter kit, sees Certified
material locked, and filters with htmx (the URL follows, the page does not reload); axe passes."""

import re

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from accounts.models import User
from library.demo_files import pdf_document
from library.models import Resource
from library.services import resource_save
from library.uploads import inspect_upload
from partners.models import Membership, Partner, Tier

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
WELCOME_PDF = pdf_document("Welcome", ["Your first weeks as a partner."])


@pytest.fixture
def library(programme_defaults, settings, tmp_path):
    settings.EXTRANET_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EXTRANET_X_ACCEL_REDIRECT_PREFIX = ""
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    specs = [
        ("Starter kit: partner welcome guide", "starter_kit", "accredited", "partner-welcome-guide.pdf", WELCOME_PDF),
        ("Sales guide for small businesses", "sales", "accredited", "sales-guide.md", b"# Sales\n"),
        ("Price list: partner prices", "price_list", "certified", "price-list.csv", b"SKU,Price\nAV,35\n"),
        ("Large roll-out plan", "project_material", "enterprise", "rollout.pdf", WELCOME_PDF),
    ]
    for title, category, tier, filename, content in specs:
        upload = ContentFile(content, name=filename)
        facts = inspect_upload(upload)
        resource = Resource(title=title, category=category, language="en", min_tier=tiers[tier], published=True)
        resource.file.save(filename, upload, save=False)
        resource_save(resource=resource, upload=facts, by=None)


@pytest.fixture
def accredited_member(library):
    partner = Partner.objects.create(
        name="Limmat Test GmbH", slug="limmat-test", tier=Tier.objects.get(code="accredited"), status="active"
    )
    user = User.objects.create_user(email="reseller@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Membership.objects.create(user=user, partner=partner, role=Membership.Role.OWNER)
    return user


def open_library(page, user):
    page.goto("/extranet/library/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/extranet/library/$"))
    expect(page.get_by_role("heading", name="Library", level=1)).to_be_visible()


def test_accredited_partner_downloads_the_starter_kit_and_sees_certified_material_locked(page, accredited_member):
    open_library(page, accredited_member)
    table = page.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="Starter kit: partner welcome guide")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Starter kit: partner welcome guide").click()

    download = download_info.value
    assert download.suggested_filename == "partner-welcome-guide.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == WELCOME_PDF

    locked = page.get_by_role("region", name="Locked: for higher tiers")
    expect(locked).to_contain_text("Available from Certified Partner")
    expect(locked).to_contain_text("Price list: partner prices")
    expect(locked).to_contain_text("EUR 10,000 more purchase volume")
    expect(locked).to_contain_text("Available from Enterprise Solution Partner")
    expect(table).not_to_contain_text("Price list: partner prices")
    expect(page.get_by_role("link", name=re.compile("Price list"))).to_have_count(0)


def test_filtering_updates_the_table_through_htmx_without_reloading(page, accredited_member):
    open_library(page, accredited_member)
    page.evaluate("window.__libraryPageMarker = 'still here'")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # header and two resources

    page.get_by_label("Category").select_option(label="Sales")

    expect(page).to_have_url(re.compile(r"/extranet/library/\?.*category=sales"))
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Sales guide for small businesses")
    expect(page.get_by_role("status")).to_have_text("1 resource to download.")
    expect(page.get_by_role("region", name="Locked: for higher tiers")).to_have_count(0)

    page.get_by_label("Category").select_option(label="All categories")
    page.get_by_label("Search").press_sequentially("welcome")

    expect(page).to_have_url(re.compile(r"q=welcome"))
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Starter kit: partner welcome guide")
    assert page.evaluate("window.__libraryPageMarker") == "still here", "the page reloaded"


def test_sorting_a_column_goes_through_htmx(page, accredited_member):
    open_library(page, accredited_member)
    page.evaluate("window.__libraryPageMarker = 'still here'")

    page.get_by_role("columnheader", name="Title").get_by_role("link").click()

    expect(page).to_have_url(re.compile(r"sort=title"))
    expect(page.get_by_role("columnheader", name="Title")).to_have_attribute("aria-sort", "ascending")
    expect(page.get_by_role("table").get_by_role("row").nth(1)).to_contain_text("Sales guide")
    assert page.evaluate("window.__libraryPageMarker") == "still here", "the page reloaded"

    page.go_back()  # htmx restores the previous state

    expect(page).to_have_url(re.compile(r"/extranet/library/$"))
    expect(page.get_by_role("table").get_by_role("row").nth(1)).to_contain_text("Starter kit")
    expect(page.get_by_role("columnheader", name="Title")).not_to_have_attribute("aria-sort", "ascending")


def test_library_page_has_no_accessibility_violations(page, accredited_member):
    open_library(page, accredited_member)

    results = Axe().run(page)

    assert results.violations_count == 0, results.generate_report()


def test_library_page_fits_a_320px_screen_and_passes_axe_there(page, accredited_member):
    page.set_viewport_size({"width": 320, "height": 800})
    open_library(page, accredited_member)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_admin_suggests_the_minimum_tier_for_the_chosen_category(page, programme_defaults, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = False  # the admin's MFA gate has its own tests
    staff = User.objects.create_user(email="staff@example.com", password=PASSWORD, is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    page.goto("/admin/library/resource/add/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    tier = page.get_by_label("Minimum tier")
    expect(tier).to_have_value("")

    page.get_by_label("Category").select_option(label="Price list")
    expect(tier).to_have_value(str(Tier.objects.get(code="certified").pk))

    tier.select_option(label="Accredited Reseller")  # staff choose; the suggestion stops
    page.get_by_label("Category").select_option(label="Project material")
    expect(tier).to_have_value(str(Tier.objects.get(code="accredited").pk))
