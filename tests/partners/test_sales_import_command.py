"""`manage.py import_sales FILE --distributor CODE [--dry-run]`: output, progress and exit status."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from partners.management.commands.import_sales import Command as ImportSales
from partners.models import Purchase, SalesImport

from .sales_reports import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(make_distributor, product):
    return make_distributor("ost", name="Ost Distribution AG")


@pytest.fixture
def partner(make_partner):
    return make_partner("Alpha Informatik AG")


def rows(partner, today, count=3, **cells):
    day = (today - datetime.timedelta(days=2)).isoformat()
    line = {"qty": "1", "amount": "100"} | cells
    return [[f"INV-{n}", day, partner.number, "", "", "", "KAV-WS", line["qty"], line["amount"]] for n in range(count)]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_sales", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_csv_with_a_progress_bar_and_a_summary(tmp_path, seller, partner, today):
    path = tmp_path / "ost-2026-11.csv"
    path.write_bytes(csv_bytes(rows(partner, today, count=5)))

    out, err = run(str(path), "--distributor", "ost", "--chunk-rows", "2")

    assert out.startswith("ost-2026-11.csv from Ost Distribution AG: 5 rows, 5 new, 0 updated, 0 already imported (")
    assert "rows/s)." in out
    assert "[##############################] 5/5" in err
    assert Purchase.objects.count() == 5
    record = SalesImport.objects.get()
    assert (record.rows, record.created, record.imported_by) == (5, 5, None)

    again, _ = run(str(path), "--distributor", "ost")

    assert "5 rows, 0 new, 0 updated, 5 already imported" in again
    assert Purchase.objects.count() == 5


def test_an_xlsx_dry_run_writes_nothing(tmp_path, seller, partner, today):
    path = tmp_path / "report.xlsx"
    path.write_bytes(xlsx_bytes(rows(partner, today)))

    out, _ = run(str(path), "--distributor", "ost", "--dry-run", "-v", "0")

    assert out.startswith("Dry run, nothing written. report.xlsx from Ost Distribution AG: 3 rows, 3 new")
    assert not Purchase.objects.exists()
    assert not SalesImport.objects.exists()


def test_bad_rows_fail_with_every_problem_listed(tmp_path, seller, partner, today):
    path = tmp_path / "report.csv"
    path.write_bytes(csv_bytes(rows(partner, today, count=150, qty="0")))

    with pytest.raises(CommandError) as raised:
        run(str(path), "--distributor", "ost")

    message = str(raised.value)
    assert message.startswith("Nothing imported: 150 problems in 150 rows of report.csv:\n")
    assert "  Row 2, column “quantity”: quantity below 1: 0\n" in message
    assert message.endswith("  ... and 50 more.")
    assert not Purchase.objects.exists()


def test_problems_are_counted_once_per_row(tmp_path, seller, partner, today):
    path = tmp_path / "report.csv"
    path.write_bytes(csv_bytes(rows(partner, today, count=1, qty="0", amount="-3")))

    with pytest.raises(CommandError) as raised:
        run(str(path), "--distributor", "ost")

    assert str(raised.value).startswith("Nothing imported: 2 problems in 1 row of report.csv:\n")


def test_an_upgrade_is_named_in_the_singular(tmp_path, seller, partner, make_certified_technician, today):
    make_certified_technician(partner)  # volume is what it lacks for Certified Partner
    path = tmp_path / "report.csv"
    path.write_bytes(csv_bytes(rows(partner, today, count=1, amount="20000")))

    out, _ = run(str(path), "--distributor", "ost", "-v", "0")

    assert "Upgraded 1 partner:\n  Alpha Informatik AG: Accredited Reseller -> Certified Partner" in out


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--distributor", "nowhere"], "Unknown distributor code 'nowhere'. Known codes: ost."),
        (["--distributor", "ost", "--chunk-rows", "0"], "--chunk-rows must be at least 1."),
    ],
)
def test_bad_arguments_are_clear_errors(tmp_path, seller, arguments, expected):
    path = tmp_path / "report.csv"
    path.write_bytes(b"x")

    with pytest.raises(CommandError, match=expected.replace(".", r"\.")):
        run(str(path), *arguments)


def test_missing_unreadable_and_wrong_files_are_clear_errors(tmp_path, seller):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip file")
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(b"name;city\nAlpha;Bern\n")

    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "missing.csv"), "--distributor", "ost")
    with pytest.raises(CommandError, match="broken.xlsx cannot be read as CSV or XLSX"):
        run(str(broken), "--distributor", "ost")
    with pytest.raises(CommandError, match="wrong.csv cannot be imported: The column “reference” is missing"):
        run(str(wrong), "--distributor", "ost")


def test_the_exit_status_is_1_with_the_message_on_stderr(tmp_path, seller, partner, today, capsys, monkeypatch):
    path = tmp_path / "report.csv"
    path.write_bytes(csv_bytes(rows(partner, today, amount="-3")))
    # run_from_argv closes the connections afterwards, which would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        ImportSales().run_from_argv(["manage.py", "import_sales", str(path), "--distributor", "ost"])

    assert exited.value.code == 1
    assert "CommandError: Nothing imported: 3 problems in 3 rows of report.csv:" in capsys.readouterr().err


def test_a_dos_encoded_report_is_read_not_a_crash(tmp_path, seller, partner, today):
    """cp850 writes "ü" as 0x81, a byte Windows-1252 leaves undefined: the letter is replaced, the row imported."""
    path = tmp_path / "dos.csv"
    day = (today - datetime.timedelta(days=2)).strftime("%d.%m.%Y")
    text = f"Referenz;Rechnungsdatum;Partnernummer;Firma;Produkt;Menge;Betrag\r\nRE-1;{day};{partner.number};"
    path.write_bytes((text + "Müller AG;KAV-WS;1;100,00\r\n").encode("cp850"))

    out, _ = run(str(path), "--distributor", "ost", "-v", "0")

    assert "1 row, 1 new" in out
    assert Purchase.objects.get().reference == "RE-1"
