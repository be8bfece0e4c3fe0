"""The newsletter's task worker killed with SIGKILL mid-send, then the send retried (PostgreSQL).

Real processes on the test database: `manage.py db_worker` runs the queued send and writes the
emails to files (Django's file backend), the test kills it once some members have their email,
presses "Publish now" again (as staff do for an issue left "sending") and lets a new worker finish. Every member ends
up with exactly one email, except at most the one whose email was under way at the kill: its
delivery stays "being sent" and is never resent (at most once; see `issue_deliver`).
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import User
from newsletter.models import Delivery, Issue
from newsletter.services import issue_publish
from partners.models import Membership
from tests.processes import database_url

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 600

pytestmark = pytest.mark.django_db(transaction=True)


def worker(mail: Path) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_EMAIL_FILE_PATH": str(mail)}
    environment["DJANGO_DEBUG"] = "0"
    environment.pop("EMAIL_HOST", None)
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--batch", "--no-startup-delay"]
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def emails_per_address(mail: Path) -> Counter:
    return Counter(
        address for path in mail.iterdir() for address in re.findall(r"^To: (\S+)$", path.read_text(), re.MULTILINE)
    )


def test_a_killed_worker_and_a_retry_email_each_member_once(tmp_path, programme_defaults, make_partner, today):
    if connection.vendor != "postgresql":
        pytest.skip("kills a real worker process on the test database; CI runs it on PostgreSQL.")
    partner = make_partner("Many Readers AG")
    users = User.objects.bulk_create(
        User(email=f"reader{n:04d}@many-readers.example", language="en", password="!") for n in range(MEMBERS)
    )
    Membership.objects.bulk_create(Membership(user=user, partner=partner) for user in users)
    issue = Issue.objects.create(
        subject="November news",
        body="Text.",
        min_tier=partner.tier,
        language="en",
        status=Issue.Status.SCHEDULED,
        publish_on=today,
    )
    mail = tmp_path / "mail"
    mail.mkdir()

    issue_publish(issue=issue, actor=None)  # "Publish now": queues the send
    first = worker(mail)
    try:
        deadline = time.monotonic() + 120
        while Delivery.objects.filter(issue=issue).count() < MEMBERS // 10:
            assert first.poll() is None, first.stdout.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the worker never got under way"
            time.sleep(0.01)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    claimed = Delivery.objects.filter(issue=issue).count()
    assert claimed < MEMBERS, "the worker finished before it was killed"

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    issue_publish(issue=issue, actor=None)  # the retry: staff press "Publish now" again
    second = worker(mail)
    try:
        output = second.communicate(timeout=300)[0].decode()
    finally:
        second.kill()
        second.wait()
    assert second.returncode == 0, output[-2000:]

    received = emails_per_address(mail)
    pending = set(
        Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING).values_list("user__email", flat=True)
    )
    assert max(received.values()) == 1, [address for address, count in received.items() if count > 1]
    assert len(pending) <= 1
    assert set(received) | pending == {user.email for user in users}
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count() == MEMBERS - len(pending)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
