"""`make bench`'s sales import measurement on tiny data: it runs, reports, and leaves the database as it was."""

import importlib.util
import io
from pathlib import Path

import pytest

from partners.imports.sales_bench import sales_import_bench, sales_report_write
from partners.imports.sales_rows import Header
from partners.models import Distributor, Partner, Product, Purchase, SalesImport, TierChange

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "bench.py"


@pytest.fixture
def partners(make_partner, make_certified_technician, tiers):
    listed = make_partner("Plainpalais Sécurité SA", tier="certified", city="Genève", region="GE", postcode="1205")
    climber = make_partner("Climber AG", uid="CHE-123.456.788", postcode="8004")
    make_certified_technician(climber)
    make_partner("Applicant GmbH", status=Partner.Status.APPLIED)
    return listed, climber


def counts():
    return [model.objects.count() for model in (Purchase, SalesImport, TierChange, Distributor, Product)] + [
        list(Partner.objects.values_list("pk", "tier_id").order_by("pk")),
        Partner.history.count(),
    ]


def test_the_generated_report_names_admitted_partners_only(partners, tmp_path):
    path = tmp_path / "report.csv"

    named = sales_report_write(path, rows=30, sku="X")

    assert named == 2
    lines = path.read_text().splitlines()
    Header.read(lines[0].split(";"))
    assert len(lines) == 31
    assert "P-" in path.read_text()


def test_the_measurement_leaves_the_database_as_it_found_it(partners):
    before = counts()

    bench = sales_import_bench(rows=400, chunk_rows=150)

    assert counts() == before
    assert (bench.rows, bench.partners) == (400, 2)
    first, again, memory = bench.lines()[1:]
    assert "rows/s" in first
    assert "rows/s" in again
    assert "peak RSS" in memory


def test_make_bench_reports_the_import(partners):
    spec = importlib.util.spec_from_file_location("bench_script_sales", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = io.StringIO()

    bench.run(iterations=1, warmup=0, import_rows=50, out=out)

    assert "Sales import: 50 rows" in out.getvalue()
    assert bench.parse_args(["--import-rows", "0"]).import_rows == 0
