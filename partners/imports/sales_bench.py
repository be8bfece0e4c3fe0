"""`make bench`'s sales import measurement: rows per second of `manage.py import_sales`.

A report of N rows is generated against the database's own partners (by partner number,
UID, or company and postcode, German headers, `;`, decimal commas), then imported twice
(all new, then all already imported) for a distributor and product created for the run.
Everything happens in one transaction that is rolled back, tier review included, so the
database is left as it was found.
"""

import csv
import datetime
import io
import random
import resource
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ..models import Distributor, Partner, Product
from .sales import ADMITTED

HEADER = [
    "Belegnummer",
    "Rechnungsdatum",
    "Partnernummer",
    "UID",
    "Firma",
    "PLZ",
    "Artikelnummer",
    "Menge",
    "Betrag EUR",
]


@dataclass(frozen=True)
class ImportBench:
    rows: int
    partners: int
    file_mb: float
    seconds: float
    reimport_seconds: float
    rss_before_mb: float
    rss_peak_mb: float

    def lines(self) -> list[str]:
        return [
            f"Sales import: {self.rows:,} rows ({self.file_mb:.1f} MB CSV) for {self.partners:,} partners, "
            f"with `manage.py import_sales` in a transaction rolled back afterwards.",
            f"  first import (all new):        {self.seconds:7.1f} s  {self.rows / self.seconds:>9,.0f} rows/s",
            f"  same file again (all known):   {self.reimport_seconds:7.1f} s  "
            f"{self.rows / self.reimport_seconds:>9,.0f} rows/s",
            f"  peak RSS of this process:      {self.rss_peak_mb:7.0f} MB "
            f"({self.rss_before_mb:.0f} MB before writing and importing the report)",
        ]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux counts in KiB


def sales_report_write(path: Path, *, rows: int, sku: str, seed: int = 2005) -> int:
    """Write a report of `rows` purchases of the admitted partners; return how many partners it names."""
    partners = list(Partner.objects.filter(status__in=ADMITTED).values_list("pk", "uid", "name", "postcode"))
    if not partners:
        raise LookupError("No admitted partners to sell to: load the demo or run seed_scale first.")
    names = Counter((name.casefold(), postcode) for name, postcode in Partner.objects.values_list("name", "postcode"))
    rng = random.Random(seed)
    today = timezone.localdate()
    named = set()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for number in range(rows):
            pk, uid, name, postcode = rng.choice(partners)
            named.add(pk)
            key = ["", "", "", ""]
            pick = rng.random()
            if pick < 0.1 and uid:
                key[1] = uid
            elif pick < 0.2 and postcode and names[(name.casefold(), postcode)] == 1:
                key[2:] = [name, postcode]
            else:
                key[0] = f"P-{pk:05d}"
            invoiced = today - datetime.timedelta(days=rng.randrange(1, 330))
            amount = f"{rng.randrange(5_000, 400_000) / 100:.2f}".replace(".", ",")
            writer.writerow(
                [f"BENCH-{number:07d}", invoiced.strftime("%d.%m.%Y"), *key, sku, rng.randint(1, 20), amount]
            )
    return len(named)


def sales_import_bench(*, rows: int, chunk_rows: int = 5000) -> ImportBench:
    rss_before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        stamp = time.time_ns()
        distributor = Distributor.objects.create(code=f"bench-{stamp}", name="Benchmark Distribution")
        product = Product.objects.create(sku=f"BENCH-{stamp}", name="Benchmark product")
        path = Path(folder) / "bench-sales.csv"
        partners = sales_report_write(path, rows=rows, sku=product.sku)
        arguments = [str(path), "--distributor", distributor.code, "--chunk-rows", str(chunk_rows)]
        timings = []
        for _attempt in range(2):
            started = time.perf_counter()
            call_command("import_sales", *arguments, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
            timings.append(time.perf_counter() - started)
        transaction.set_rollback(True)
        return ImportBench(
            rows=rows,
            partners=partners,
            file_mb=path.stat().st_size / 1024**2,
            seconds=timings[0],
            reimport_seconds=timings[1],
            rss_before_mb=rss_before,
            rss_peak_mb=peak_rss_mb(),
        )
