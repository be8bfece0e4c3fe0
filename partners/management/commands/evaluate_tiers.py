from django.core.management.base import BaseCommand

from partners.services import tier_review


class Command(BaseCommand):
    help = (
        "Evaluate every active partner: apply upgrades, propose downgrades (applied after the "
        "tier's grace period), flag nominated partners below the criteria. Prints a summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    def handle(self, *args, dry_run: bool, verbosity: int, **options):
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
