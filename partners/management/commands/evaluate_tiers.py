from django.core.management.base import BaseCommand, CommandError

from partners.services import tier_review
from partners.tasks import review_tiers


class Command(BaseCommand):
    help = (
        "Evaluate every active partner: apply upgrades, propose downgrades (applied after the "
        "tier's grace period), flag nominated partners below the criteria, email the partners concerned. "
        "Prints a summary; with --enqueue, queues the review for the task worker instead (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the review for the task worker (manage.py db_worker) and return at once.",
        )

    def handle(self, *args, dry_run: bool, enqueue: bool, verbosity: int, **options):
        if enqueue:
            if dry_run:
                raise CommandError("--dry-run runs here and now; it cannot be queued with --enqueue.")
            result = review_tiers.enqueue()
            self.stdout.write(f"Queued the tier review for the task worker (task {result.id}).")
            return
        summary = tier_review(dry_run=dry_run)
        sections = [
            ("Upgrades", summary.upgrades, lambda e: f"{e.held} -> {e.qualified}"),
            ("Downgrades applied", summary.applied_downgrades, lambda e: f"{e.held} -> {e.qualified}"),
            (
                "Downgrades proposed",
                summary.proposed_downgrades,
                lambda e: f"{e.held} -> {e.qualified}; lacks {', '.join(e.missing_for_held)}",
            ),
            ("Proposals withdrawn", summary.withdrawn_proposals, lambda e: f"meets {e.held} again"),
            ("Flagged", summary.flags, lambda e: f"{e.held} but lacks {', '.join(e.missing_for_held)}"),
        ]
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            f"{prefix}Evaluated {summary.evaluated} active partners: "
            + ", ".join(f"{len(items)} {title.lower()}" for title, items, _ in sections)
            + "."
        )
        for title, items, describe in sections:
            if items and verbosity > 0:
                self.stdout.write(f"{title}:")
                for evaluation in items:
                    self.stdout.write(
                        f"  {evaluation.partner.name}: {describe(evaluation)} "
                        f"(EUR {evaluation.volume_12m:,.0f}, {evaluation.certified_technicians} certified)"
                    )
