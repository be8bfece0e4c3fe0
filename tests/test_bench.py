"""The machinery of `make bench` (scripts/bench.py) on tiny data. Timings are never asserted."""

import importlib.util
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from partners.models import Language, Partner, Service

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def listed_partner(tiers):
    # A demo partner's slug: seed_scale (--seed) refuses to run next to real partners.
    partner = Partner.objects.create(
        name="Plainpalais Sécurité SA",
        slug="plainpalais-securite",
        tier=tiers["certified"],
        status=Partner.Status.ACTIVE,
        city="Genève",
        region="GE",
    )
    partner.languages.set(Language.objects.filter(code__in=["fr", "en"]))
    partner.services.set(Service.objects.filter(code="installation"))
    return partner


def run(bench, **options) -> tuple[int, str]:
    out = io.StringIO()
    status = bench.run(iterations=2, warmup=1, out=out, **options)
    return status, out.getvalue()


def test_prints_every_page_against_the_baseline(bench, listed_partner):
    status, output = run(bench)

    assert status == 0
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("page "))
    assert header.split() == ["page", "url", "queries", "KB", "median", "ms", "p90", "ms", "cpu", "ms", "ratio"]
    table = lines[lines.index(header) + 1 : lines.index("", lines.index(header))]
    rows = {line.split()[0]: line.split() for line in table}
    assert list(rows) == [
        "baseline",
        "directory",
        "search",
        "filtered",
        "directory-cold",
        "search-cold",
        "filtered-cold",
        "profile",
    ]
    # A cached listing costs the data version's lookup; cold, the search and filters run.
    for name in ("directory", "search", "filtered"):
        assert int(rows[name][2]) <= 1 < int(rows[f"{name}-cold"][2])
        assert rows[name][1] == rows[f"{name}-cold"][1]
    assert rows["baseline"][1] == "/bench/baseline/"
    assert rows["baseline"][2] == "0"  # queries: the baseline runs none
    assert rows["baseline"][-1] == "1.00"
    assert rows["search"][1] == f"{reverse('directory:partner-list')}?q=Plainpalais"
    assert rows["filtered"][1].endswith("?tier=certified&language=fr&canton=VD")
    assert rows["profile"][1] == reverse("directory:partner-detail", kwargs={"slug": listed_partner.slug})
    for row in rows.values():
        assert int(row[2]) >= 0
        assert float(row[4]) > 0
        assert float(row[5]) >= float(row[4])
        assert float(row[6]) > 0  # CPU time: Python renders every page, the baseline too
    assert "Database: sqlite" in output or "Database: postgresql" in output
    assert "2 rounds after 1 warm-up rounds" in output
    assert re.search(r"load average [0-9.]+ before and [0-9.]+ after", output)


def test_check_fails_only_when_asked_and_over_the_limit(bench, listed_partner):
    status, output = run(bench, check=True, max_ratio=1e-6)
    assert status == 1
    assert "too slow: directory, search, filtered" in output

    assert run(bench, check=False, max_ratio=1e-6)[0] == 0
    status, output = run(bench, check=True, max_ratio=1e9)
    assert status == 0
    assert "within 1000000000.00x the baseline median: OK" in output


def test_the_baseline_page_runs_no_queries(bench, settings, django_assert_num_queries):
    settings.ROOT_URLCONF = bench.install_baseline_urlconf()

    with django_assert_num_queries(0):
        response = Client().get("/bench/baseline/")

    assert response.status_code == 200
    assert response.content.decode().count('class="card h-100 directory-card"') == bench.CARDS


def test_the_baseline_exists_only_in_the_benchmark(client):
    assert client.get("/bench/baseline/").status_code == 404


def test_a_page_that_fails_stops_the_run(bench, settings):
    settings.ROOT_URLCONF = bench.install_baseline_urlconf()
    pages = [bench.Page("baseline", "/bench/baseline/"), bench.Page("missing", "/partners/no-such-partner/")]

    with pytest.raises(SystemExit, match="missing: /partners/no-such-partner/ answered 404"):
        bench.measure(Client(), pages, iterations=1, warmup=0)


def test_measure_records_wall_and_cpu_time_per_request(bench, settings):
    settings.ROOT_URLCONF = bench.install_baseline_urlconf()
    pages = [bench.Page("baseline", "/bench/baseline/")]

    timings, cpu = bench.measure(Client(), pages, iterations=3, warmup=1)

    assert len(timings["baseline"]) == len(cpu["baseline"]) == 3
    assert all(seconds > 0 for seconds in timings["baseline"] + cpu["baseline"])


def test_without_listed_partners_it_says_what_to_do(bench):
    with pytest.raises(SystemExit, match="load the demo or run seed_scale"):
        run(bench)


def test_summary_medians_percentiles_and_ratios(bench):
    pages = [bench.Page("baseline", "/b/"), bench.Page("directory", "/d/")]
    timings = {"baseline": [0.002, 0.004, 0.003], "directory": [0.006, 0.005, 0.007]}

    cpu = {"baseline": [0.001, 0.002, 0.003], "directory": [0.004, 0.001, 0.002]}

    results = bench.summarise(pages, timings, {"baseline": (0, 2048), "directory": (5, 4096)}, cpu)

    assert [(r.median_ms, r.ratio, r.queries, r.size_kb, r.cpu_ms) for r in results] == [
        (pytest.approx(3.0), pytest.approx(1.0), 0, 2.0, pytest.approx(2.0)),
        (pytest.approx(6.0), pytest.approx(2.0), 5, 4.0, pytest.approx(2.0)),
    ]
    assert results[1].p90_ms == pytest.approx(6.8)


def test_seed_option_reports_rows_per_second(bench, listed_partner):
    status, output = run(bench, seed_partners=12)

    assert status == 0
    assert "seed_scale: Created 12 partners and" in output
    assert "partners/s" in output
    assert "rows/s" in output


@pytest.mark.parametrize("argv", [["--iterations", "0"], ["--warmup", "-1"]])
def test_bad_arguments_are_refused(bench, argv):
    with pytest.raises(SystemExit):
        bench.parse_args(argv)
