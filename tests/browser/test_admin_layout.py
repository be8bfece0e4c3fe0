"""Admin lists and import pages fit the screen: checked in real Chromium at a laptop's and a phone's width."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from partners.demo import DEMO_PASSWORD, demo_load
from partners.models import Nomination, Partner
from partners.services import nomination_decline, nomination_propose

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = None  # a directory to save screenshots in while working on the layout


@pytest.fixture
def demo(programme_defaults):
    demo_load()


@pytest.fixture
def decided_nomination(demo):
    """A declined proposal for a long-named partner: every column of the list holds something."""
    partner = Partner.objects.get(slug="leman-securite")
    proposer, decider = User.objects.get(email="lead@demo.example"), User.objects.get(email="manager@demo.example")
    nomination = nomination_propose(partner=partner, kind=Nomination.Kind.GRANT, reason="Hospital", actor=proposer)
    return nomination_decline(nomination=nomination, reason="Not yet", actor=decider)


def sign_in_as_manager(page):
    page.goto("/admin/")
    page.get_by_label("Email").fill("manager@demo.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/de/admin/$"))
    page.goto("/admin/")  # the test reads the English admin


def overflow(page, selector: str) -> int:
    """How many pixels the element is wider than the room it is shown in (0 when it fits)."""
    return page.eval_on_selector(selector, "element => element.scrollWidth - element.clientWidth")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png")


@pytest.mark.parametrize("path", ["/admin/partners/nomination/?status=all", "/admin/partners/purchase/"])
def test_changelists_fit_a_laptop_screen(page, decided_nomination, path):
    page.set_viewport_size(LAPTOP)
    sign_in_as_manager(page)
    page.goto(path)

    shot(page, path.strip("/").replace("/", "-").split("?")[0])
    expect(page.locator("#result_list")).to_be_visible()
    assert overflow(page, ".results") == 0
    assert overflow(page, "html") == 0


def partner_file(tmp_path):
    path = tmp_path / "partners.csv"
    header = "company name;UID;street;postcode;city;canton;tier;territory;distributor;owner email\n"
    rows = [
        "Zürcher Informatik und Netzwerktechnik AG;;Bahnhofstrasse 1;8001;Zürich;ZH;accredited;;;"
        "owner@zuercher-informatik-und-netzwerktechnik.example",
        "Sécurité Léman SA;;Rue du Lac 5;1003;Lausanne;VD;certified;;;",
    ]
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def check_the_file(page, path):
    page.goto("/admin/partners/partner/import/")
    page.get_by_label("File to import").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()


def test_import_pages_have_the_admin_breadcrumbs_and_an_aligned_cancel(page, demo, tmp_path):
    page.set_viewport_size(LAPTOP)
    sign_in_as_manager(page)
    page.goto("/admin/partners/purchase/import/")

    crumbs = page.locator("ol.breadcrumbs li")
    expect(crumbs).to_have_text(["Home", "Partner programme", "Purchases", "Import"])
    expect(page.locator(".import-columns dt").first).to_have_text("reference")
    check_the_file(page, partner_file(tmp_path))

    shot(page, "partner-import-dry-run")
    expect(page.locator("ol.breadcrumbs li")).to_have_text(["Home", "Partner programme", "Partners", "Import"])
    confirm = page.get_by_role("button", name="Confirm import").bounding_box()
    cancel = page.get_by_role("link", name="Cancel").bounding_box()
    assert abs(confirm["y"] - cancel["y"]) < 1
    assert abs(confirm["height"] - cancel["height"]) < 1


def test_the_partner_dry_run_does_not_scroll_the_page_sideways_on_a_phone(page, demo, tmp_path):
    page.set_viewport_size(PHONE)
    sign_in_as_manager(page)
    page.goto("/admin/partners/partner/import/")
    expect(page.locator(".import-columns dt").first).to_have_text("company name")
    shot(page, "partner-import-phone-form")
    assert overflow(page, "html") == 0

    check_the_file(page, partner_file(tmp_path))

    shot(page, "partner-import-phone-dry-run")
    assert overflow(page, "html") == 0
    assert overflow(page, ".admin-scroll") > 0  # the wide table scrolls in its own box
