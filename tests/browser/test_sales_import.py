"""A channel manager imports a distributor's sales report in admin, in real Chromium under the strict CSP."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partners.demo import DEMO_PASSWORD, demo_load
from partners.models import Partner, Purchase, SalesImport
from tests.partners.sales_reports import csv_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(programme_defaults):
    demo_load()


def sign_in_as_manager(page):
    page.goto("/admin/")
    page.get_by_label("Email").fill("manager@demo.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/de/admin/$"))
    page.goto("/admin/")  # the test reads the English admin


def test_manager_imports_a_sales_report_and_the_partner_rises(page, demo, make_certified_technician, tmp_path):
    limmat = Partner.objects.get(slug="limmat-informatik")
    make_certified_technician(limmat)  # volume is what it lacks for Certified Partner
    invoiced = timezone.localdate() - datetime.timedelta(days=3)
    report = tmp_path / "alpsec-november.csv"
    header = ["Belegnummer", "Rechnungsdatum", "Partnernummer", "Artikelnummer", "Menge", "Betrag EUR"]
    row = ["AS-BROWSER-1", invoiced.strftime("%d.%m.%Y"), limmat.number, "AV-FS", "20", "4.800,00"]
    report.write_bytes(csv_bytes([row], header=header, delimiter=";", encoding="cp1252"))

    sign_in_as_manager(page)
    page.goto("/admin/partners/purchase/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Distributor").select_option(label="Alpsec Distribution AG")
    page.get_by_label("File to import").set_input_files(report)
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    expect(page.locator(".sales-import-summary")).to_contain_text("1 row, 1 new, 0 updated, 0 already imported")
    preview = page.get_by_role("row").filter(has_text="AS-BROWSER-1")
    expect(preview).to_contain_text("Limmat Informatik GmbH")
    expect(preview).to_contain_text("New")
    assert not Purchase.objects.filter(reference="AS-BROWSER-1").exists()

    page.get_by_role("button", name="Confirm import").click()

    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("alpsec-november.csv of Alpsec Distribution AG imported: 1 new")
    expect(messages).to_contain_text("Upgraded 1 partner: Limmat Informatik GmbH to Certified Partner.")
    assert SalesImport.objects.get(file_name="alpsec-november.csv").imported_by.email == "manager@demo.example"

    page.goto(f"/admin/partners/partner/{limmat.pk}/change/")
    expect(page.locator(".field-tier .readonly")).to_have_text("Certified Partner")
