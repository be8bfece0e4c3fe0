from django.core.management.base import BaseCommand

from newsletter import services
from newsletter.models import Issue


class Command(BaseCommand):
    help = (
        "Send the newsletter issues scheduled for today or earlier. Run it from cron, e.g. hourly. "
        "By default each send is queued for the task worker (manage.py db_worker); --in-process sends here "
        "and now. Running it again, or while a send is under way, never emails anybody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Send in this process instead of queueing for the worker (for setups without a worker).",
        )

    def handle(self, *args, in_process: bool, **options):
        if not in_process:
            due = services.newsletter_send_due()
            for issue in due:
                self.stdout.write(f"{issue}: queued")
        else:
            due = list(Issue.objects.due())
            for issue in due:
                report = services.issue_deliver(issue_id=issue.pk)
                self.stdout.write(
                    f"{issue}: {report.sent} sent, {report.failed} failed, {report.skipped} reached before"
                )
        if not due:
            self.stdout.write("No newsletter issue is due.")
