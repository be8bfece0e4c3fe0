"""A sales import killed half-way leaves nothing behind, and running it again completes (PostgreSQL).

The command runs as a real process on the test database and is killed with SIGKILL while it
writes: PostgreSQL rolls back the open transaction when the connection drops.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from partners.models import Purchase, SalesImport
from tests.processes import database_url

from .sales_reports import csv_bytes

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30_000


def command_environment() -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "1"}


def import_sales(path: Path, code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_sales", str(path), "--distributor", code, "--chunk-rows", "500"],
        cwd=ROOT,
        env=command_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for_progress(process: subprocess.Popen, *, timeout: float = 120) -> str:
    """Read the progress bar until some rows, but not all, are through; return what it showed."""
    shown = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chunk = os.read(process.stderr.fileno(), 4096)
        if not chunk:
            break
        shown += chunk
        if b"2,000/30,000" in shown:
            return shown.decode()
    raise AssertionError(f"the import never got under way: {shown[-500:]!r}")


@pytest.mark.django_db(transaction=True)
def test_a_killed_import_leaves_nothing_and_a_rerun_completes(tmp_path, make_partner, make_distributor, product):
    if connection.vendor != "postgresql":
        pytest.skip("kills a real import process on the test database; CI runs it on PostgreSQL.")
    distributor = make_distributor()
    partners = [make_partner(f"Buyer {n}") for n in range(20)]
    rows = [
        (f"R-{n:06d}", "2026-01-15", partners[n % 20].number, "", "", "", product.sku, 1, "10.00") for n in range(ROWS)
    ]
    report = tmp_path / "report.csv"
    report.write_bytes(csv_bytes(rows))

    process = import_sales(report, distributor.code)
    wait_for_progress(process)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    assert process.returncode == -signal.SIGKILL
    assert not Purchase.objects.exists()
    assert not SalesImport.objects.exists()

    rerun = import_sales(report, distributor.code)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()[-2000:]
    assert Purchase.objects.filter(distributor=distributor).count() == ROWS
    assert SalesImport.objects.get().created == ROWS
