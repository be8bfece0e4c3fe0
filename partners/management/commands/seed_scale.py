import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from partners import scale


class Command(BaseCommand):
    help = (
        "Create a large, realistic partner population for benchmarks (default 100,000): Swiss, German and "
        "Austrian resellers across the tiers, most of them Accredited (not listed), about one in nine "
        "listed in the directory. Seeded partners have slugs 'scale-<number>-...'; a second run adds only "
        "the numbers missing up to --partners. Refuses to run next to partners that are neither demo nor "
        "seeded partners unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=100_000, help="How many seeded partners should exist.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Partners per insert and transaction.")
        parser.add_argument("--seed", type=int, default=2005, help="Random seed: the same seed, the same partners.")
        parser.add_argument(
            "--workers",
            type=int,
            help="Processes inserting side by side (default: one per core, at most 4, on PostgreSQL; else 1).",
        )
        parser.add_argument("--reset", action="store_true", help="Delete the previously seeded partners first.")
        parser.add_argument("--force", action="store_true", help="Seed even next to real partners.")

    def handle(self, *args, partners: int, batch_size: int, seed: int, workers, reset: bool, force: bool, **options):
        if partners < 0 or batch_size < 1 or (workers is not None and workers < 1):
            raise CommandError("--partners must be 0 or more, --batch-size and --workers at least 1.")
        if workers is None:
            parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
            workers = min(os.cpu_count() or 1, 4) if parallel else 1
        real = list(scale.real_partners().order_by("name").values_list("name", flat=True)[:4])
        if real and not force:
            names = ", ".join(real[:3]) + (", ..." if len(real) > 3 else "")
            raise CommandError(
                f"Refusing to seed benchmark data: the database holds partners that are neither demo nor "
                f"seeded partners ({names}). Use a database of its own for benchmarks, or pass --force."
            )
        self.verbose = options["verbosity"] > 0
        if reset:
            started = time.perf_counter()
            removed = scale.scale_reset(batch_size=batch_size)
            self.report(f"Removed {removed:,} seeded partners in {time.perf_counter() - started:.1f} s.")
        try:
            result = scale.scale_seed(
                partners=partners, batch_size=batch_size, seed=seed, workers=workers, progress=self.progress
            )
        except (LookupError, ValueError) as error:
            raise CommandError(f"No partners seeded: {error}.") from error
        if result.created and self.verbose:
            self.stderr.write("", style_func=str)
        seconds = max(result.seconds, 1e-9)
        if result.created:
            self.report(
                f"Created {result.created:,} partners and {result.links:,} language and service links "
                f"in {result.seconds:.1f} s ({workers} worker{'s' if workers > 1 else ''}): "
                f"{result.created / seconds:,.0f} partners/s, {result.rows / seconds:,.0f} rows/s."
            )
        else:
            self.report(f"Nothing to add: {result.existing:,} seeded partners exist (asked for {partners:,}).")
        listed = scale.scale_partners().listed().count()
        total = scale.scale_partners().count()
        self.report(f"{total:,} seeded partners, {listed:,} of them listed in the directory.")

    def report(self, line: str) -> None:
        if self.verbose:
            self.stdout.write(line)

    def progress(self, done: int, total: int, seconds: float) -> None:
        if not self.verbose:
            return
        filled = round(30 * done / total) if total else 30
        bar = "#" * filled + "." * (30 - filled)
        self.stderr.write(f"\r[{bar}] {done:,}/{total:,} ({seconds:.1f} s)", style_func=str, ending="")
        self.stderr.flush()
