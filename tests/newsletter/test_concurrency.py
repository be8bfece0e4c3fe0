"""Two workers sending the same issue at the same moment still email each member once (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from newsletter.models import Delivery, Issue
from newsletter.services import issue_deliver

WORKERS = 4
MEMBERS = 20


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sends_email_each_member_once(
    programme_defaults, make_partner, make_member, make_issue, mailoutbox
):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs concurrent writers, which SQLite serialises; this run uses {connection.vendor}. "
            "Run with DATABASE_URL=postgres://... (CI does)."
        )
    partner = make_partner()
    members = [make_member(partner) for _ in range(MEMBERS)]
    issue = make_issue(status=Issue.Status.SCHEDULED)
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []
    reports = []

    def work() -> None:
        try:
            start.wait(timeout=30)  # every worker starts the same send at once
            reports.append(issue_deliver(issue_id=issue.pk))
        except BaseException as error:  # noqa: BLE001 - reported below, with every other thread's
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert sorted(message.to[0] for message in mailoutbox) == sorted(member.user.email for member in members)
    assert sum(report.sent for report in reports) == MEMBERS
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count() == MEMBERS
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
