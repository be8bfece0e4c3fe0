"""The send as a background task: through the real database queue and its worker, and the periodic check."""

import datetime
import io
import signal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from newsletter.models import Issue
from newsletter.services import issue_publish
from newsletter.tasks import send_due_newsletters, send_issue

WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker_once() -> str:
    """`db_worker --batch` runs every queued task, then exits. It installs signal handlers; put pytest's back."""
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    output = io.StringIO()
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", stdout=output)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    return output.getvalue()


# The worker checks its connection like a request does, which a test inside a transaction
# cannot survive: this test commits for real, and the tiers are recreated after each flush.
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_published_issue(programme_defaults, make_partner, make_member, make_issue, mailoutbox):
    members = [make_member(make_partner()) for _ in range(2)]
    issue = make_issue(status=Issue.Status.DRAFT)

    issue_publish(issue=issue, actor=None)

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "newsletter.tasks.send_issue"
    assert mailoutbox == []  # nothing is sent before the worker runs

    run_worker_once()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.traceback
    assert queued.return_value["sent"] == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted(member.user.email for member in members)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_send_queued_twice_emails_each_member_once(
    programme_defaults, make_partner, make_member, make_issue, mailoutbox
):
    make_member(make_partner())
    issue = make_issue(status=Issue.Status.SCHEDULED)
    send_issue.enqueue(issue.pk)
    send_issue.enqueue(issue.pk)

    run_worker_once()

    assert len(mailoutbox) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_periodic_check_sends_due_issues_only(
    make_partner, make_member, make_issue, today, mailoutbox, immediate_tasks, django_capture_on_commit_callbacks
):
    make_member(make_partner())
    due = make_issue("Due", status=Issue.Status.SCHEDULED, publish_on=today)
    later = make_issue("Later", status=Issue.Status.SCHEDULED, publish_on=today + datetime.timedelta(days=1))
    make_issue("Draft", status=Issue.Status.DRAFT, publish_on=today)
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_newsletters", stdout=output)

    assert "Due (en): queued" in output.getvalue()
    assert [message.subject for message in mailoutbox] == ["Partner newsletter: Due"]
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == (Issue.Status.SENT, Issue.Status.SCHEDULED)


def test_the_periodic_check_can_send_in_process(make_partner, make_member, make_issue, today, mailoutbox):
    make_member(make_partner())
    make_issue("Due", status=Issue.Status.SCHEDULED, publish_on=today)
    output = io.StringIO()

    call_command("send_due_newsletters", "--in-process", stdout=output)
    call_command("send_due_newsletters", "--in-process", stdout=output)

    assert "Due (en): 1 sent, 0 failed, 0 reached before" in output.getvalue()
    assert "No newsletter issue is due." in output.getvalue()
    assert len(mailoutbox) == 1


def test_the_periodic_check_is_a_task_too(
    make_partner, make_member, make_issue, today, mailoutbox, immediate_tasks, django_capture_on_commit_callbacks
):
    make_member(make_partner())
    due = make_issue(status=Issue.Status.SCHEDULED, publish_on=today)

    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_newsletters.enqueue()

    assert result.return_value == [due.pk]
    assert len(mailoutbox) == 1
