"""The sales report import and the purchase export in admin, through the test client."""

import datetime
import io
from decimal import Decimal
from http import HTTPStatus

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.imports.formats import iter_datasets
from partners.imports.sales import sales_import
from partners.models import Purchase, SalesImport

from .sales_reports import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:partners_purchase_import"


@pytest.fixture
def seller(make_distributor, product):
    return make_distributor("ost", name="Ost Distribution AG")


@pytest.fixture
def climber(make_partner, make_certified_technician):
    partner = make_partner("Climber AG", postcode="8004")
    make_certified_technician(partner)
    return partner


@pytest.fixture
def manager(client, staff_user):
    client.force_login(staff_user)
    return client


def report(partner, today, *, amount="10000", quantity="4", reference="INV-1") -> list:
    day = (today - datetime.timedelta(days=5)).isoformat()
    return [reference, day, partner.number, "", "", "", "KAV-WS", quantity, amount]


def upload(client, data: bytes, distributor, name="report.csv"):
    return client.post(
        reverse(IMPORT_URL),
        {"distributor": distributor.pk, "import_file": SimpleUploadedFile(name, data), "format": ""},
    )


def test_dry_run_then_confirm_imports_and_upgrades(manager, seller, climber, today, staff_user):
    page = manager.get(reverse(IMPORT_URL))
    assert page.status_code == HTTPStatus.OK
    assert b'name="distributor"' in page.content

    dry = upload(manager, csv_bytes([report(climber, today)]), seller)

    assert dry.status_code == HTTPStatus.OK
    assert "report.csv from Ost Distribution AG: 1 row, 1 new, 0 updated, 0 already imported." in dry.text
    assert "Climber AG" in dry.text
    assert "INV-1" in dry.text
    assert not Purchase.objects.exists()
    confirm = dry.context["confirm_form"]

    done = manager.post(reverse("admin:partners_purchase_process_import"), confirm.initial, follow=True)

    assert done.redirect_chain[-1][0] == reverse("admin:partners_purchase_changelist")
    shown = [str(message) for message in done.context["messages"]]
    assert shown == [
        "Sales report report.csv of Ost Distribution AG imported: 1 new, 0 updated, 0 already imported.",
        "Upgraded 1 partner: Climber AG to Certified Partner.",
    ]
    purchase = Purchase.objects.get()
    assert (purchase.partner, purchase.distributor, purchase.amount_eur) == (climber, seller, Decimal("10000"))
    record = SalesImport.objects.get()
    assert (record.imported_by, record.created, record.file_name) == (staff_user, 1, "report.csv")
    assert LogEntry.objects.get().get_edited_object() == record
    climber.refresh_from_db()
    assert climber.tier.code == "certified"


def test_the_upload_lists_each_columns_names(manager):
    page = manager.get(reverse(IMPORT_URL)).content.decode()

    assert (
        "<dt>reference</dt><dd>distributor reference, invoice number, Referenz, Belegnummer, Rechnungsnummer</dd>"
        in page
    )
    assert "<dt>amount EUR</dt><dd>amount, Betrag EUR, Betrag</dd>" in page
    assert '<ol class="breadcrumbs">' in page


def test_an_xlsx_report_goes_by_its_extension(manager, seller, climber, today):
    dry = upload(manager, xlsx_bytes([report(climber, today)]), seller, name="Bericht.XLSX")

    assert dry.context["confirm_form"].initial["format"] == "1"
    assert dry.context["result"].report.created == 1


def test_bad_rows_are_listed_and_no_confirm_is_offered(manager, seller, climber, today):
    rows = [report(climber, today), report(climber, today, quantity="0", reference="INV-2")]
    rows.append(report(climber, today, amount="-1", reference="INV-1"))

    page = upload(manager, csv_bytes(rows), seller)

    assert page.status_code == HTTPStatus.OK
    assert "confirm_form" not in page.context
    # Row 4 has two problems: it counts once.
    assert "Nothing was imported: 3 problems in 2 rows." in page.text
    errors = [(e.row, e.column, e.reason) for e in page.context["result"].report.errors]
    assert errors == [
        (3, "quantity", "quantity below 1: 0"),
        (4, "reference", "duplicate reference: also in row 2"),
        (4, "amount EUR", "negative amount: -1"),
    ]
    assert "<td>quantity below 1: 0</td>" in page.text
    assert not Purchase.objects.exists()


def test_a_missing_column_is_shown_as_the_files_problem(manager, seller):
    page = upload(manager, b"reference;Menge\nINV-1;2\n", seller)

    assert "The file cannot be imported" in page.text
    assert "The column “invoice date” is missing" in page.text
    assert "confirm_form" not in page.context


def test_a_distributor_is_required(manager, climber, today):
    page = manager.post(
        reverse(IMPORT_URL), {"import_file": SimpleUploadedFile("r.csv", csv_bytes([report(climber, today)]))}
    )

    assert page.context["form"].errors["distributor"] == ["This field is required."]


def test_rows_gone_bad_since_the_dry_run_import_nothing(manager, seller, climber, today):
    dry = upload(manager, csv_bytes([report(climber, today)]), seller)
    climber.status = "rejected"
    climber.save()

    done = manager.post(
        reverse("admin:partners_purchase_process_import"), dry.context["confirm_form"].initial, follow=True
    )

    assert done.redirect_chain[-1][0] == reverse(IMPORT_URL)
    assert "Nothing was imported. Row 2, column “partner number”: partner not admitted" in done.text
    assert not Purchase.objects.exists()


def test_confirming_twice_imports_once_and_says_so(manager, seller, climber, today):
    dry = upload(manager, csv_bytes([report(climber, today)]), seller)
    confirm = reverse("admin:partners_purchase_process_import")
    manager.post(confirm, dry.context["confirm_form"].initial)

    again = manager.post(confirm, dry.context["confirm_form"].initial, follow=True)

    assert again.redirect_chain[-1][0] == reverse(IMPORT_URL)
    assert "This upload was imported already or has expired." in again.text
    assert Purchase.objects.count() == 1


def test_staff_without_add_purchase_cannot_import(client, make_user, seller, climber, today):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_purchase"))
    client.force_login(viewer)

    changelist = client.get(reverse("admin:partners_purchase_changelist"))
    form = client.get(reverse(IMPORT_URL))
    posted = upload(client, csv_bytes([report(climber, today)]), seller)
    confirmed = client.post(reverse("admin:partners_purchase_process_import"), {"import_file_name": "x"})

    assert changelist.status_code == HTTPStatus.OK
    assert reverse(IMPORT_URL).encode() not in changelist.content
    assert reverse("admin:partners_purchase_export").encode() in changelist.content
    assert {form.status_code, posted.status_code, confirmed.status_code} == {HTTPStatus.FORBIDDEN}
    assert not Purchase.objects.exists()


def test_staff_who_may_add_but_not_change_purchases_cannot_import(client, make_user, seller, climber, today):
    """An import updates the purchases it finds again: adding alone is not enough."""
    clerk = make_user(is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_purchase", "add_purchase"]))
    client.force_login(clerk)

    assert client.get(reverse(IMPORT_URL)).status_code == HTTPStatus.FORBIDDEN
    assert upload(client, csv_bytes([report(climber, today)]), seller).status_code == HTTPStatus.FORBIDDEN
    clerk.user_permissions.add(Permission.objects.get(codename="change_purchase"))
    assert client.get(reverse(IMPORT_URL)).status_code == HTTPStatus.OK


@pytest.mark.parametrize(("file_format", "extension"), [("0", "csv"), ("1", "xlsx")])
def test_exported_purchases_import_again_unchanged(
    manager, seller, climber, make_purchase, today, tmp_path, file_format, extension
):
    """References a spreadsheet would run (-5001, =1+2) are escaped in the export and unescaped by the import."""
    for reference in ["-5001", "=1+2", "INV-7"]:
        purchase = make_purchase(climber, "120.50", today - datetime.timedelta(days=3), seller)
        purchase.reference = reference
        purchase.save()
    response = manager.post(reverse("admin:partners_purchase_export"), {"format": file_format, "resource": "0"})
    path = tmp_path / f"export.{extension}"
    path.write_bytes(response.content)

    result = sales_import(distributor=seller, datasets=iter_datasets(path), file_name=path.name)

    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert set(Purchase.objects.values_list("reference", flat=True)) == {"-5001", "=1+2", "INV-7"}


@pytest.fixture
def injected(make_purchase, make_partner, today):
    partner = make_partner('=HYPERLINK("http://evil.example","Click")', postcode="8004")
    purchase = make_purchase(partner, "120.50", today)
    purchase.reference = '=HYPERLINK("http://evil.example","Invoice")'
    purchase.save()
    return purchase


def test_csv_export_escapes_formulas(manager, injected, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = manager.post(reverse("admin:partners_purchase_export"), {"format": "0", "resource": "0"})

    assert response.status_code == HTTPStatus.OK
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "reference,invoice date,partner number,company,UID,postcode,SKU,product name,quantity,amount EUR,distributor"
    )
    assert lines[1].startswith('"\'=HYPERLINK(""http://evil.example"",""Invoice"")"')
    assert '"\'=HYPERLINK(""http://evil.example"",""Click"")"' in lines[1]
    assert injected.partner.number in lines[1]


def test_xlsx_export_escapes_formulas(manager, injected):
    response = manager.post(reverse("admin:partners_purchase_export"), {"format": "1", "resource": "0"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[0] == "reference"
    assert row[0] == '\'=HYPERLINK("http://evil.example","Invoice")'
    assert row[3] == '\'=HYPERLINK("http://evil.example","Click")'
    assert not any(cell.data_type == "f" for cell in next(sheet.iter_rows(min_row=2)))


def test_xlsx_export_has_number_and_date_cells(manager, injected, today):
    """Only text is escaped: quantities, amounts and dates stay what a spreadsheet sums and sorts."""
    response = manager.post(reverse("admin:partners_purchase_export"), {"format": "1", "resource": "0"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert (row["quantity"].data_type, row["quantity"].value) == ("n", 1)
    assert row["amount EUR"].data_type == "n"
    assert Decimal(str(row["amount EUR"].value)) == Decimal("120.50")
    assert row["invoice date"].is_date
    assert row["invoice date"].value.date() == today
    assert row["partner number"].value == injected.partner.number


def test_sales_imports_are_listed_read_only(manager, seller, climber, today, django_assert_max_num_queries):
    upload_and_confirm = upload(manager, csv_bytes([report(climber, today)]), seller)
    manager.post(reverse("admin:partners_purchase_process_import"), upload_and_confirm.context["confirm_form"].initial)

    with django_assert_max_num_queries(12):
        page = manager.get(reverse("admin:partners_salesimport_changelist"))

    assert page.status_code == HTTPStatus.OK
    assert "report.csv" in page.text
    record = SalesImport.objects.get()
    assert manager.get(reverse("admin:partners_salesimport_add")).status_code == HTTPStatus.FORBIDDEN
    detail = manager.get(reverse("admin:partners_salesimport_change", args=[record.pk]))
    assert detail.status_code == HTTPStatus.OK
    assert b'name="_save"' not in detail.content


def test_the_upload_waits_for_confirm_in_the_shared_private_folder(manager, seller, climber, today, settings):
    """Not in one server's /tmp: the confirmation may reach another app server (docs/deploy.md)."""
    waiting = settings.STORAGES["import_export"]["OPTIONS"]["location"] / "django-import-export"
    dry = upload(manager, csv_bytes([report(climber, today)]), seller)
    name = dry.context["confirm_form"].initial["import_file_name"]

    assert [path.name for path in waiting.iterdir()] == [name]

    manager.post(reverse("admin:partners_purchase_process_import"), dry.context["confirm_form"].initial)

    assert Purchase.objects.count() == 1
    assert not any(waiting.iterdir())
