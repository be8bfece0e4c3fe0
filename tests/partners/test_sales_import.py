"""The sales report importer (partners.imports.sales): good files, every kind of bad row, re-imports."""

import datetime
from decimal import Decimal

import pytest

from partners.imports import sales
from partners.imports.formats import iter_datasets
from partners.imports.sales import SalesFileError, sales_import
from partners.models import Partner, Product, Purchase, SalesImport

from .sales_reports import HEADER, csv_bytes, dataset, valid_uid, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_distributor, product):
    """The distributor whose reports the tests import; the conftest's product KAV-WS exists."""
    return make_distributor("ost", name="Ost Distribution AG")


@pytest.fixture
def server(product):
    """A second product next to the conftest's KAV-WS."""
    return Product.objects.create(sku="KIS-SRV", name="Internet Security Server")


@pytest.fixture
def alpha(make_partner):
    return make_partner("Alpha Informatik AG", uid=valid_uid(1234567), postcode="8004")


@pytest.fixture
def beta(make_partner):
    return make_partner("Bêta Sécurité SA", postcode="1201")


@pytest.fixture
def day(today) -> str:
    return (today - datetime.timedelta(days=10)).isoformat()


def line(
    reference="INV-1", date="", number="", uid="", company="", postcode="", product="KAV-WS", qty="2", amount="1200.00"
):
    return [reference, date, number, uid, company, postcode, product, qty, amount]


def run(seller, data: bytes, *, xlsx=False, **kwargs):
    return sales_import(distributor=seller, datasets=[dataset(data, xlsx=xlsx)], file_name="report.csv", **kwargs)


def test_a_good_csv_creates_purchases_by_number_uid_and_company(seller, server, alpha, beta, day, staff_user):
    rows = [
        line("INV-1", day, number=alpha.number, amount="1'200.50"),
        line("INV-2", day, uid=alpha.uid, product="kis-srv", qty="1", amount="300"),
        line("INV-3", day, company="BÊTA SÉCURITÉ  SA", postcode="1201", product="Internet Security Server"),
    ]

    result = run(seller, csv_bytes(rows), actor=staff_user)

    assert result.ok
    assert (result.rows, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    one, two, three = Purchase.objects.order_by("reference")
    assert (one.partner, one.product.sku, one.quantity, one.amount_eur) == (alpha, "KAV-WS", 2, Decimal("1200.50"))
    assert one.invoice_date.isoformat() == day
    assert one.distributor == seller
    assert (two.partner, two.product, two.quantity) == (alpha, server, 1)
    assert (three.partner, three.product) == (beta, server)
    record = SalesImport.objects.get()
    assert (record.distributor, record.file_name, record.rows, record.created) == (seller, "report.csv", 3, 3)
    assert record.imported_by == staff_user


def test_a_good_xlsx_with_date_cells_and_numbers(seller, alpha, make_partner, today):
    make_partner("Gamma AG", id=4711)
    invoiced = today - datetime.timedelta(days=3)
    noon = datetime.datetime.combine(invoiced, datetime.time(14, 30))
    rows = [
        ["INV-10", invoiced, 4711, "", "", "", "KAV-WS", 3, 99.9],
        ["INV-11", noon, alpha.number, "", "", "", "KAV-WS", 1.0, 10],
    ]

    result = run(seller, xlsx_bytes(rows), xlsx=True)

    assert result.ok
    assert result.created == 2
    first = Purchase.objects.get(reference="INV-10")
    assert (first.partner_id, first.invoice_date, first.quantity, first.amount_eur) == (
        4711,
        invoiced,
        3,
        Decimal("99.90"),
    )


@pytest.mark.parametrize(
    ("cells", "column", "code", "reason"),
    [
        ({"reference": ""}, "reference", "missing", "missing value"),
        ({"reference": "R" * 65}, "reference", "too_long", "longer than 64 characters"),
        ({"date": "31.02.2026"}, "invoice date", "bad_date", "bad date: 31.02.2026"),
        ({"date": "2999-01-01"}, "invoice date", "future_date", "invoice date in the future: 2999-01-01"),
        ({"qty": "two"}, "quantity", "bad_number", "bad number: two"),
        ({"qty": "1.5"}, "quantity", "bad_number", "bad number: 1.5"),
        ({"qty": "0"}, "quantity", "quantity_below_one", "quantity below 1: 0"),
        ({"amount": "-5.00"}, "amount EUR", "negative_amount", "negative amount: -5.00"),
        ({"amount": "12e99"}, "amount EUR", "bad_number", "amount too large"),
        ({"amount": "1.234"}, "amount EUR", "ambiguous_number", "ambiguous number: 1.234 (write 1234 or 1234.00)"),
        ({"amount": "1,500"}, "amount EUR", "ambiguous_number", "ambiguous number: 1,500"),
        ({"amount": "1234.567"}, "amount EUR", "too_many_decimals", "more than two decimals: 1234.567"),
        ({"amount": "0.125"}, "amount EUR", "too_many_decimals", "more than two decimals: 0.125"),
        ({"qty": "1.000"}, "quantity", "ambiguous_number", "ambiguous number: 1.000"),
        ({"uid": "CHE-109.322.552"}, "UID", "bad_partner", "CHE-109.322.552 is not a valid UID"),
        ({"product": "NOPE-1"}, "product", "unknown_product", "unknown product: NOPE-1"),
        ({"number": "P-99999"}, "partner number", "unknown_partner", "no partner has the number P-99999"),
        ({"number": "Alpha"}, "partner number", "bad_partner", "not a partner number or UID: Alpha"),
        ({"uid": valid_uid(7654321)}, "UID", "unknown_partner", f"no partner has the UID {valid_uid(7654321)}"),
        (
            {"company": "Nobody AG", "postcode": "3000"},
            "company",
            "unknown_partner",
            "no partner named Nobody AG in 3000",
        ),
        (
            {"company": "Twin AG", "postcode": "6000"},
            "company",
            "ambiguous_partner",
            "2 partners named Twin AG in 6000",
        ),
        ({"company": "Beta AG"}, "postcode", "missing", "missing value"),
        ({"number": ""}, "partner number", "missing", "the partner number, UID or company and postcode"),
        ({"number": "applied"}, "partner number", "partner_not_admitted", "Hopeful GmbH is applied"),
        ({"number": "rejected"}, "partner number", "partner_not_admitted", "Turned Down SA is rejected"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_row_column_and_reason(
    seller, alpha, make_partner, day, cells, column, code, reason
):
    make_partner("Twin AG", postcode="6000")
    make_partner("twin ag", postcode="6000")
    statuses = {
        "applied": make_partner("Hopeful GmbH", status=Partner.Status.APPLIED),
        "rejected": make_partner("Turned Down SA", status=Partner.Status.REJECTED),
    }
    if cells.get("number") in statuses:
        cells["number"] = statuses[cells["number"]].number
    named = {"number", "uid", "company"} & cells.keys()
    values = {"reference": "INV-BAD", "date": day} | ({} if named else {"number": alpha.number}) | cells
    bad = line(**values)
    rows = [line("INV-GOOD", day, number=alpha.number), line("INV-GOOD-2", day, uid=alpha.uid), bad]

    result = run(seller, csv_bytes(rows))

    assert not result.ok
    assert result.error_count == 1
    error = result.errors[0]
    assert (error.row, error.column, error.code) == (4, column, code)
    assert reason in error.reason
    assert f"Row 4, column “{column}”" in str(error)
    assert not Purchase.objects.exists()
    assert not SalesImport.objects.exists()


def test_duplicate_reference_within_the_file_names_the_first_row(seller, alpha, day):
    rows = [line("INV-1", day, number=alpha.number), line("INV-2", day, number=alpha.number)]
    rows.append(line("INV-1", day, number=alpha.number))

    result = run(seller, csv_bytes(rows))

    assert [(e.row, e.column, e.code, e.reason) for e in result.errors] == [
        (4, "reference", "duplicate", "duplicate reference: also in row 2")
    ]


def test_a_bad_row_late_in_a_streamed_file_rolls_back_the_chunks_written_before(seller, alpha, day, tmp_path):
    good = [line(f"INV-{n}", day, number=alpha.number) for n in range(5)]
    bad = line("INV-X", "soon", number=alpha.number, qty="0")
    path = tmp_path / "report.csv"
    path.write_bytes(csv_bytes([*good, bad]))

    result = sales_import(distributor=seller, datasets=iter_datasets(path, chunk_rows=2), file_name="report.csv")

    assert result.rows == 6
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (7, "invoice date", "bad_date"),
        (7, "quantity", "quantity_below_one"),
    ]
    assert not Purchase.objects.exists()
    assert not SalesImport.objects.exists()


def test_an_unknown_product_is_reported_next_to_the_rows_other_problems(seller, alpha, day):
    result = run(seller, csv_bytes([line("INV-1", day, number="P-99999", product="??")]))

    assert [(e.row, e.code) for e in result.errors] == [(2, "unknown_partner"), (2, "unknown_product")]


def test_a_missing_column_is_one_clear_error_naming_the_accepted_names(seller):
    header = [name for name in HEADER if name not in {"invoice date", "partner number", "UID", "company"}]

    with pytest.raises(SalesFileError) as raised:
        run(seller, csv_bytes([], header=header))

    first, second = raised.value.messages
    assert first == (
        "The column “invoice date” is missing (accepted names: invoice date, date, Rechnungsdatum, Datum, Belegdatum)."
    )
    assert second.startswith("No column names the partner: add “partner number” (P-00042)")


def test_a_file_with_a_header_only_is_an_error(seller):
    with pytest.raises(SalesFileError, match="no rows"):
        run(seller, csv_bytes([]))


def test_german_headers_semicolons_windows_1252_and_swiss_numbers(seller, beta, today):
    header = ["Belegnummer", "Rechnungsdatum", "Firma", "PLZ", "Artikelnummer", "Menge", "Betrag EUR"]
    invoiced = today - datetime.timedelta(days=1)
    rows = [["RE-1", invoiced.strftime("%d.%m.%Y"), "Bêta Sécurité SA", "1201", "KAV-WS", "1", "1.234,50"]]

    result = run(seller, csv_bytes(rows, header=header, delimiter=";", encoding="cp1252"))

    assert result.ok, result.errors
    purchase = Purchase.objects.get()
    assert (purchase.partner, purchase.invoice_date, purchase.amount_eur) == (beta, invoiced, Decimal("1234.50"))


def test_thousands_separators_and_xlsx_amounts_are_read_exactly(seller, alpha, day):
    rows = [
        line("INV-1", day, number=alpha.number, amount="1.234.567,50"),
        line("INV-2", day, number=alpha.number, amount="1,234,567", qty="1,000,000"),
        line("INV-3", day, number=alpha.number, amount="1234.5"),
    ]

    result = run(seller, csv_bytes(rows))

    assert result.ok, result.errors
    amounts = dict(Purchase.objects.values_list("reference", "amount_eur"))
    assert amounts == {"INV-1": Decimal("1234567.50"), "INV-2": Decimal("1234567"), "INV-3": Decimal("1234.5")}
    assert Purchase.objects.get(reference="INV-2").quantity == 1_000_000


def test_an_xlsx_amount_with_a_third_decimal_is_an_error_not_rounded(seller, alpha, today):
    rows = [["INV-1", today, alpha.number, "", "", "", "KAV-WS", 1, 99.995]]

    result = run(seller, xlsx_bytes(rows), xlsx=True)

    assert [(e.column, e.code) for e in result.errors] == [("amount EUR", "too_many_decimals")]


def test_utf8_with_bom_and_excel_serial_dates(seller, beta):
    rows = [line("INV-1", "46000", company="Bêta Sécurité SA", postcode="1201")]

    result = run(seller, b"\xef\xbb\xbf" + csv_bytes(rows))

    assert result.ok, result.errors
    assert Purchase.objects.get().invoice_date == datetime.date(2025, 12, 9)


def test_row_numbers_count_blank_lines_as_excel_shows_them(seller, alpha, day):
    data = csv_bytes([line("INV-1", day, number=alpha.number)]) + b"\r\n,,,,,,,,\r\n"
    data += f"INV-2,{day},{alpha.number},,,,KAV-WS,0,10\r\n".encode()

    result = run(seller, data)

    assert [(e.row, e.code) for e in result.errors] == [(5, "quantity_below_one")]


def test_reimporting_the_same_file_changes_nothing_and_a_correction_updates(seller, alpha, beta, day):
    rows = [line("INV-1", day, number=alpha.number), line("INV-2", day, number=alpha.number, amount="500")]
    run(seller, csv_bytes(rows))

    again = run(seller, csv_bytes(rows))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Purchase.objects.count() == 2
    assert SalesImport.objects.count() == 2

    rows[1] = line("INV-2", day, company="Bêta Sécurité SA", postcode="1201", amount="550.00")
    rows.append(line("INV-3", day, number=alpha.number))
    corrected = run(seller, csv_bytes(rows))

    assert (corrected.created, corrected.updated, corrected.unchanged) == (1, 1, 1)
    assert Purchase.objects.count() == 3
    fixed = Purchase.objects.get(reference="INV-2")
    assert (fixed.partner, fixed.amount_eur) == (beta, Decimal("550.00"))
    update = next(row for row in corrected.preview if row.action == "update")
    assert update.changed == ("partner", "amount (EUR)")


def test_an_import_racing_another_writes_nothing_and_says_so(seller, alpha, day, monkeypatch):
    write = sales._Chunk.write

    def racing_write(chunk):
        # Another import commits the same reference between this one's check and its write.
        Purchase.objects.create(
            partner=alpha,
            distributor=seller,
            product=Product.objects.get(),
            quantity=1,
            amount_eur=1,
            invoice_date=day,
            reference="INV-1",
        )
        return write(chunk)

    monkeypatch.setattr(sales._Chunk, "write", racing_write)

    with pytest.raises(SalesFileError, match="Another import wrote some of these purchases at the same time"):
        run(seller, csv_bytes([line("INV-1", day, number=alpha.number)]))

    assert not SalesImport.objects.exists()


def test_references_are_per_distributor(seller, make_distributor, alpha, day):
    rows = [line("INV-1", day, number=alpha.number)]
    run(seller, csv_bytes(rows))

    other = sales_import(distributor=make_distributor("west"), datasets=[dataset(csv_bytes(rows))], file_name="w.csv")

    assert other.created == 1
    assert Purchase.objects.count() == 2


def test_a_dry_run_counts_and_previews_but_writes_nothing(seller, alpha, day):
    result = run(seller, csv_bytes([line("INV-1", day, number=alpha.number)]), dry_run=True)

    assert result.ok
    assert result.created == 1
    assert result.sales_import is None
    assert [(row.row, row.action, row.purchase.reference, row.partner_name) for row in result.preview] == [
        (2, "new", "INV-1", "Alpha Informatik AG")
    ]
    assert not Purchase.objects.exists()
    assert not SalesImport.objects.exists()


def test_the_import_reviews_the_partners_tiers_at_once(seller, alpha, day, make_certified_technician, staff_user):
    make_certified_technician(alpha)

    result = run(seller, csv_bytes([line("INV-1", day, number=alpha.number, amount="10000")]), actor=staff_user)

    alpha.refresh_from_db()
    assert alpha.tier.code == "certified"
    assert [(e.partner, e.qualified.code) for e in result.upgrades] == [(alpha, "certified")]
    assert alpha.tier_changes.get().decided_by == staff_user


def test_ten_thousand_rows_in_a_bounded_number_of_queries(seller, alpha, beta, day, django_assert_max_num_queries):
    rows = [
        line(f"INV-{n:05d}", day, number=alpha.number)
        if n % 3 == 0
        else line(f"INV-{n:05d}", day, uid=alpha.uid)
        if n % 3 == 1
        else line(f"INV-{n:05d}", day, company="Bêta Sécurité SA", postcode="1201", qty="1", amount="0.5")
        for n in range(10_000)
    ]
    data = csv_bytes(rows)
    chunks = [dataset(data)]

    with django_assert_max_num_queries(60):
        result = sales_import(distributor=seller, datasets=chunks, file_name="big.csv")

    assert result.ok
    assert result.created == 10_000
    assert Purchase.objects.count() == 10_000
    assert Purchase.objects.filter(partner=beta).count() == 3333
