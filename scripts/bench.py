#!/usr/bin/env python
"""`make bench`: the public directory's server time against a page that runs no queries.

Measures, on the database DATABASE_URL points at, the time Django takes to answer the
directory (no filter, a selective search, a filtered page) and a profile, each request
through the full middleware stack (Django's test `Client`, no network, DEBUG off), and a
BASELINE page: the same base template with the same number of cards (12), static, no
queries. Pages take turns in every round, so drift (cache, CPU frequency) hits all alike.
Prints median, 90th percentile, queries, size, the median CPU time of this process (Python's
share, without the database server's) and the ratio median/baseline median; with --check,
exits 1 when a directory page's ratio exceeds --max-ratio. The load average is printed too:
on a busy machine wall times stretch, CPU times much less.

Each directory page is measured twice: as visitors get a URL asked for before (its listing
cached in the process until the data changes, see directory/listing_cache.py), which --check
holds to --max-ratio, and "cold", with the cached listings dropped before every request, so the
search, filters and rendering run each time (shown, not checked).

Then the sales import: rows per second of `manage.py import_sales` on a generated report
against the database's partners (--import-rows, default 100,000 on PostgreSQL and 20,000 on
SQLite; 0 skips it), rolled back afterwards (see partners/imports/sales_bench.py).

    .venv/bin/python scripts/bench.py [--iterations 30] [--check] [--seed 100000] [--import-rows N]
"""

import argparse
import functools
import os
import statistics
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
BASELINE_URLCONF = "bench_baseline_urls"
CARDS = 12
DEFAULT_QUERY = "Plainpalais"
DEFAULT_FILTERS = "tier=certified&language=fr&canton=VD"
# The pages whose ratio --check enforces; the profile is measured and shown, not enforced.
CHECKED = ("directory", "search", "filtered")

# The directory's page without its work: base template, heading, 12 cards in the directory's markup.
BASELINE_TEMPLATE = """{% extends "base_public.html" %}{% load i18n %}
{% block title %}{% translate "Find a partner" %} · {% translate "Partner programme" %}{% endblock title %}
{% block content %}
<header class="directory-header mb-4">
  <h1 class="mb-2">{% translate "Find a partner" %}</h1>
  <p class="lead mb-0">Certified partners install, run and support our security software for you.</p>
</header>
<section aria-labelledby="results-title">
  <h2 id="results-title" class="visually-hidden">{% translate "Partners" %}</h2>
  <p class="directory-count mb-3" role="status">{{ cards|length }} partners</p>
  <ul class="row row-cols-1 row-cols-md-2 row-cols-xxl-3 g-3 list-unstyled directory-cards mb-4">
    {% for card in cards %}
      <li class="col">
        <article class="card h-100 directory-card" aria-labelledby="partner-{{ card.slug }}">
          <div class="card-body d-flex flex-column gap-2">
            <div class="directory-card-heading">
              <h3 id="partner-{{ card.slug }}" class="h5 mb-1"><a class="stretched-link directory-card-link"
                href="/partners/{{ card.slug }}/">{{ card.name }}</a></h3>
              <span class="badge tier-badge tier-certified">{{ card.tier }}</span>
            </div>
            <p class="directory-card-place mb-0">{{ card.postcode }} {{ card.city }} ({{ card.region }})</p>
            <dl class="directory-card-facts mb-0">
              <dt>{% translate "Languages" %}</dt><dd>{{ card.languages|join:", " }}</dd>
              <dt>{% translate "Services" %}</dt><dd>{{ card.services|join:", " }}</dd>
            </dl>
          </div>
        </article>
      </li>
    {% endfor %}
  </ul>
</section>
{% endblock content %}
"""
BASELINE_CARDS = [
    {
        "slug": f"baseline-{number}",
        "name": f"Baseline Informatik {number} AG",
        "tier": "Certified Partner",
        "postcode": f"{8000 + number}",
        "city": "Zürich",
        "region": "ZH",
        "languages": ["German", "English"],
        "services": ["Installation and roll-out", "Security consulting", "Training"],
    }
    for number in range(1, CARDS + 1)
]


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    # Cold: the directory's cached listing is dropped before each request, so the page runs its
    # search, filters and rendering every time (a URL nobody asked for since the data last changed).
    cold: bool = False


@dataclass(frozen=True)
class Result:
    page: Page
    median_ms: float
    p90_ms: float
    ratio: float
    queries: int
    size_kb: float
    cpu_ms: float


@functools.cache
def baseline_template():
    """Compiled once, as the site's templates are by the cached loader when DEBUG is off."""
    from django.template import engines

    return engines["django"].from_string(BASELINE_TEMPLATE)


def baseline_view(request):
    from django.http import HttpResponse

    return HttpResponse(baseline_template().render({"cards": BASELINE_CARDS}, request))


def install_baseline_urlconf() -> str:
    """A URLconf with every route of the site plus the baseline page; return its module name.

    The baseline exists only inside the benchmark: the site itself never serves it.
    """
    from importlib import import_module

    from django.conf import settings
    from django.urls import path

    if BASELINE_URLCONF not in sys.modules:
        module = types.ModuleType(BASELINE_URLCONF)
        site = import_module(settings.ROOT_URLCONF)
        module.urlpatterns = [path("bench/baseline/", baseline_view, name="bench-baseline"), *site.urlpatterns]
        sys.modules[BASELINE_URLCONF] = module
    return BASELINE_URLCONF


def default_pages(*, query: str, filters: str, profile: str | None) -> list[Page]:
    from django.urls import reverse

    from partners.models import Partner

    if profile is None:
        listed = Partner.objects.listed().order_by("-tier__rank", "pk")
        profile = listed.values_list("slug", flat=True).first()
        if profile is None:
            raise SystemExit("No partner is listed in the directory: load the demo or run seed_scale first.")
    directory = reverse("directory:partner-list")
    listings = [
        ("directory", directory),
        ("search", f"{directory}?{urlencode({'q': query})}"),
        ("filtered", f"{directory}?{filters}"),
    ]
    return [
        Page("baseline", "/bench/baseline/"),
        *(Page(name, url) for name, url in listings),
        *(Page(f"{name}-cold", url, cold=True) for name, url in listings),
        Page("profile", reverse("directory:partner-detail", kwargs={"slug": profile})),
    ]


def listing_forget(url: str) -> None:
    """Drop the cached listing of `url` (as the full page, in the language of its path), and only it."""
    from django.conf import settings
    from django.core.cache import caches
    from django.test import RequestFactory
    from django.utils import translation

    from directory.listing_cache import listing_key

    language = translation.get_language_from_path(url) or settings.LANGUAGE_CODE
    with translation.override(language):
        caches["directory"].delete(listing_key(RequestFactory().get(url), fragment=False))


def measure(client, pages: list[Page], *, iterations: int, warmup: int) -> tuple[dict, dict]:
    """Wall and CPU seconds per request for every page; each round requests every page once, in turn."""
    timings = {page.name: [] for page in pages}
    cpu = {page.name: [] for page in pages}
    for round_number in range(warmup + iterations):
        for page in pages:
            if page.cold:
                listing_forget(page.url)
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(page.url, secure=True)
            elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            if response.status_code != 200:
                raise SystemExit(f"{page.name}: {page.url} answered {response.status_code}, not 200.")
            if round_number >= warmup:
                timings[page.name].append(elapsed)
                cpu[page.name].append(elapsed_cpu)
    return timings, cpu


def inspect(client, page: Page) -> tuple[int, int]:
    """Queries and bytes of one request to `page` (outside the timed rounds), cold or cached as measured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if page.cold:
        listing_forget(page.url)
    else:
        client.get(page.url, secure=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url, secure=True)
    return len(queries), len(response.content)


def summarise(
    pages: list[Page], timings: dict[str, list[float]], details: dict[str, tuple[int, int]], cpu: dict | None = None
) -> list[Result]:
    baseline = statistics.median(timings["baseline"])
    results = []
    for page in pages:
        values = timings[page.name]
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]
        cpu_median = statistics.median(cpu[page.name]) if cpu else 0.0
        queries, size = details[page.name]
        results.append(
            Result(page, median * 1000, p90 * 1000, median / baseline, queries, size / 1024, cpu_median * 1000)
        )
    return results


def table(results: list[Result]) -> str:
    width = max(len(result.page.url) for result in results)
    lines = [
        f"{'page':<14} {'url':<{width}} {'queries':>7} {'KB':>6} {'median ms':>9} {'p90 ms':>8} {'cpu ms':>7} "
        f"{'ratio':>6}"
    ]
    for r in results:
        lines.append(
            f"{r.page.name:<14} {r.page.url:<{width}} {r.queries:>7} {r.size_kb:>6.1f} "
            f"{r.median_ms:>9.2f} {r.p90_ms:>8.2f} {r.cpu_ms:>7.2f} {r.ratio:>6.2f}"
        )
    return "\n".join(lines)


def database_summary() -> str:
    from django.db import connection

    from partners.models import Partner

    connection.ensure_connection()
    version = ".".join(str(part) for part in connection.get_database_version())
    name = Path(str(connection.settings_dict["NAME"])).name
    total, listed = Partner.objects.count(), Partner.objects.listed().count()
    return f"{connection.vendor} {version} ({name}): {total:,} partners, {listed:,} listed in the directory"


def seed(partners: int, out) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    report = io.StringIO()
    try:
        call_command("seed_scale", partners=partners, stdout=report, stderr=io.StringIO())
    except CommandError as error:
        raise SystemExit(f"seed_scale: {error}") from error
    out.write("seed_scale: " + report.getvalue().replace("\n", "\n            ").rstrip() + "\n")


def run(
    *,
    iterations: int = 30,
    warmup: int = 5,
    query: str = DEFAULT_QUERY,
    filters: str = DEFAULT_FILTERS,
    profile: str | None = None,
    max_ratio: float = 2.0,
    check: bool = False,
    seed_partners: int | None = None,
    import_rows: int | None = None,
    out=sys.stdout,
) -> int:
    """Measure and print; return the exit status (1 only when `check` and a page is too slow)."""
    import platform

    import django
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    if seed_partners:
        seed(seed_partners, out)
    overrides = {
        "ROOT_URLCONF": install_baseline_urlconf(),
        "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, "testserver"],
    }
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not settings.DEBUG and not manifest.exists():
        # Hashed static names need `collectstatic`; `make bench` runs it, a bare call may not have.
        overrides["STORAGES"] = settings.STORAGES | {
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        }
    with override_settings(**overrides):
        pages = default_pages(query=query, filters=filters, profile=profile)
        client = Client()
        details = {page.name: inspect(client, page) for page in pages}
        load_before = os.getloadavg()[0]
        timings, cpu = measure(client, pages, iterations=iterations, warmup=warmup)
        results = summarise(pages, timings, details, cpu)
        out.write(
            f"Server time through Django's middleware stack (test Client, no network), DEBUG {settings.DEBUG}.\n"
            f"Database: {database_summary()}\n"
            f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} cores, "
            f"load average {load_before:.2f} before and {os.getloadavg()[0]:.2f} after; "
            f"{iterations} rounds after {warmup} warm-up rounds, pages in turn; baseline: {CARDS} static cards, "
            f"{'hashed' if 'STORAGES' not in overrides else 'plain'} static URLs.\n\n"
        )
    out.write(table(results) + "\n\n")
    too_slow = [r for r in results if r.page.name in CHECKED and r.ratio > max_ratio]
    verdict = "OK" if not too_slow else "too slow: " + ", ".join(r.page.name for r in too_slow)
    out.write(f"Directory pages ({', '.join(CHECKED)}) within {max_ratio:.2f}x the baseline median: {verdict}\n")
    if import_rows:
        from partners.imports.sales_bench import sales_import_bench

        out.write("\n" + "\n".join(sales_import_bench(rows=import_rows).lines()) + "\n")
    return 1 if check and too_slow else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first (default 5)")
    parser.add_argument("--query", default=DEFAULT_QUERY, help=f"the selective search (default {DEFAULT_QUERY})")
    parser.add_argument("--filters", default=DEFAULT_FILTERS, help=f"the filtered page (default {DEFAULT_FILTERS})")
    parser.add_argument("--profile", help="slug of the profile to measure (default: the first listed partner)")
    parser.add_argument("--max-ratio", type=float, default=2.0, help="limit for --check (default 2.0)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a directory page exceeds --max-ratio")
    parser.add_argument("--seed", type=int, metavar="N", help="first run seed_scale up to N partners, timed")
    parser.add_argument(
        "--import-rows",
        type=int,
        metavar="N",
        help="rows of the sales import measured (default 100,000 on PostgreSQL, 20,000 on SQLite; 0 skips it)",
    )
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.warmup < 0 or (args.import_rows or 0) < 0:
        parser.error("--iterations must be at least 1, --warmup and --import-rows 0 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Timing with DEBUG on would measure the query log and the debug toolbar's kin, not the site.
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "extranet.settings")
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.db import connection

    if args.import_rows is None:
        args.import_rows = 100_000 if connection.vendor == "postgresql" else 20_000
    return run(
        iterations=args.iterations,
        warmup=args.warmup,
        query=args.query,
        filters=args.filters,
        profile=args.profile,
        max_ratio=args.max_ratio,
        check=args.check,
        seed_partners=args.seed,
        import_rows=args.import_rows,
    )


if __name__ == "__main__":
    sys.exit(main())
