"""Background work for the newsletter, run by the task worker (`manage.py db_worker`)."""

from dataclasses import asdict

from django.tasks import task

from . import services


@task
def send_issue(issue_id: int) -> dict:
    """Email the issue to everybody not reached yet (see `services.issue_deliver` for the guarantee)."""
    return asdict(services.issue_deliver(issue_id=issue_id))


@task
def send_due_newsletters() -> list[int]:
    """Queue the send of every scheduled issue whose publish date has come."""
    return [issue.pk for issue in services.newsletter_send_due()]
