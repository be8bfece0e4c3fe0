"""Channel managers export partners from admin; the file is safe to open in a spreadsheet and imports again."""

import csv
import io
from decimal import Decimal
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse

from partners.imports.formats import iter_datasets
from partners.imports.partners import partners_import
from partners.models import Partner

pytestmark = pytest.mark.django_db

EXPORT_URL = "admin:partners_partner_export"
FORMULAS = ["=cmd|' /C calc'!A0", "+41 44 123 45 67", "-x", "@SUM(A1:A2)"]


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def partners(make_partner, make_purchase, make_territory, make_distributor, make_user, today):
    territory = make_territory("ch-de", regions="ZH")
    distributor = make_distributor("alpsec", territories=[territory])
    manager = make_user("manager@vendor.example", is_staff=True)
    zurich = make_partner(
        "Zürcher Informatik AG",
        uid="CHE-109.322.551",
        street="Bahnhofstrasse 1",
        postcode="8001",
        city="Zürich",
        region="ZH",
        territory=territory,
        distributor=distributor,
        account_manager=manager,
        joined_on=today,
        phone="+41 44 123 45 67",
    )
    make_purchase(zurich, "1234.50", today)
    for name in FORMULAS[:1] + FORMULAS[2:]:
        make_partner(name, tier="certified")
    return zurich


def export(client, file_format: str, **query):
    page = client.get(reverse(EXPORT_URL), query)
    assert page.status_code == HTTPStatus.OK
    assert b"onchange=" not in page.content  # the CSP would block it: the plain export form has none
    formats = [title for _value, title in page.context["form"].fields["format"].choices]
    response = client.post(
        reverse(EXPORT_URL) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""),
        {"format": str(formats.index(file_format) - 1), "resource": "0"},
    )
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_csv_export_has_the_partner_columns_and_volume(staff_client, partners, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        rows = csv_rows(export(staff_client, "csv", q="Zürcher"))

    assert list(rows[0]) == [
        "number",
        "company name",
        "UID",
        "tier",
        "status",
        "territory",
        "distributor",
        "account manager",
        "street",
        "postcode",
        "city",
        "region",
        "country",
        "email",
        "website",
        "phone",
        "joined on",
        "12-month volume (EUR)",
    ]
    [row] = rows
    assert (row["number"], row["company name"], row["tier"], row["status"]) == (
        partners.number,
        "Zürcher Informatik AG",
        "Accredited Reseller",
        "Active",
    )
    assert (row["territory"], row["distributor"], row["account manager"]) == (
        "ch-de",
        "alpsec",
        "manager@vendor.example",
    )
    assert Decimal(row["12-month volume (EUR)"]) == Decimal("1234.50")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_cells_a_spreadsheet_would_run_are_escaped(staff_client, partners, file_format):
    response = export(staff_client, file_format)
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)

    names = {row["company name"] for row in rows}
    assert {"'" + FORMULAS[0], "'-x", "'@SUM(A1:A2)", "Zürcher Informatik AG"} <= names
    assert {row["phone"] for row in rows if row["phone"]} == {"'+41 44 123 45 67"}
    cells = [str(value) for row in rows for value in row.values() if value is not None]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_an_export_imports_again_unchanged(staff_client, partners, tmp_path):
    path = tmp_path / "partners.xlsx"
    path.write_bytes(export(staff_client, "xlsx", q="Zürcher").content)

    result = partners_import(datasets=iter_datasets(path), actor=None)

    assert (result.errors, result.unchanged, result.created) == ([], 1, 0)
    assert Partner.objects.get(pk=partners.pk).phone == "+41 44 123 45 67"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_exported_partner_imports_again_unchanged(staff_client, partners, tmp_path, file_format):
    """Names and phones a spreadsheet would run come back without the export's apostrophe."""
    path = tmp_path / f"partners.{file_format}"
    path.write_bytes(export(staff_client, file_format).content)

    result = partners_import(datasets=iter_datasets(path), actor=None)

    assert (result.errors, result.unchanged, result.created, result.updated) == ([], 4, 0, 0)
    assert sorted(Partner.objects.values_list("name", flat=True)) == sorted(
        ["Zürcher Informatik AG", FORMULAS[0], *FORMULAS[2:]]
    )


def test_staff_without_view_permission_cannot_export(client, make_user, partners):
    client.force_login(make_user("clerk@example.com", is_staff=True))

    assert client.get(reverse(EXPORT_URL)).status_code == HTTPStatus.FORBIDDEN
    assert Partner.objects.count() == 4


def test_the_volume_is_written_with_two_decimals(staff_client, partners, make_partner, make_purchase, today):
    """The database's sums come as 2470, 5790.00000000000 or 18150.0000000000; the export writes cents."""
    summed = make_partner("Summen AG")
    for amount in ["2000", "470", "3320.00"]:
        make_purchase(summed, amount, today)

    volumes = {row["company name"]: row["12-month volume (EUR)"] for row in csv_rows(export(staff_client, "csv"))}

    assert volumes["Zürcher Informatik AG"] == "1234.50"
    assert volumes["Summen AG"] == "5790.00"
    assert volumes["'-x"] == "0.00"


def test_xlsx_numbers_and_dates_are_typed_cells(staff_client, partners, today):
    response = export(staff_client, "xlsx", q="Zürcher")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["12-month volume (EUR)"].data_type == "n"
    assert Decimal(str(row["12-month volume (EUR)"].value)) == Decimal("1234.50")
    assert row["joined on"].is_date
    assert row["joined on"].value.date() == today
    assert (row["company name"].data_type, row["postcode"].value, row["UID"].value) == ("s", "8001", "CHE-109.322.551")
    assert row["phone"].value == "'+41 44 123 45 67"
