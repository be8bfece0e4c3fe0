import csv
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from openpyxl.utils.exceptions import InvalidFileException

from partners.imports.formats import iter_datasets
from partners.imports.sales import SalesFileError, sales_import
from partners.management.commands import seed_scale
from partners.models import Distributor

ERRORS_PRINTED = 100


def rows_estimate(path: Path) -> int:
    """Data rows for the progress bar, cheaply: lines of a CSV, the sheet's recorded size of an XLSX."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return max((book.active.max_row or 1) - 1, 0)
        finally:
            book.close()
    with path.open("rb") as binary:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: binary.read(1 << 20), b"")) - 1, 0)


def counted(number: int, noun: str) -> str:
    """'1 partner', '2 partners': the command speaks English only, so an -s does it."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Import a distributor's sales report (CSV or XLSX): one purchase per row, identified by the "
        "distributor's reference, so importing a file again creates nothing twice. A file with any bad "
        "row writes nothing and lists every problem (row, column, reason); the exit status is then 1."
    )
    # The progress bar of seed_scale, on stderr.
    progress = seed_scale.Command.progress

    def add_arguments(self, parser):
        parser.add_argument("file", help="The report, .csv (UTF-8 or Windows-1252, , or ;) or .xlsx.")
        parser.add_argument("--distributor", required=True, metavar="CODE", help="The distributor's code.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and count; write nothing.")
        parser.add_argument("--chunk-rows", type=int, default=5000, help="Rows read and written at a time.")

    def handle(self, *args, file: str, distributor: str, dry_run: bool, chunk_rows: int, **options):
        self.verbose = options["verbosity"] > 0
        if chunk_rows < 1:
            raise CommandError("--chunk-rows must be at least 1.")
        try:
            seller = Distributor.objects.get(code=distributor)
        except Distributor.DoesNotExist:
            codes = ", ".join(Distributor.objects.order_by("code").values_list("code", flat=True)) or "none"
            raise CommandError(f"Unknown distributor code {distributor!r}. Known codes: {codes}.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            total = rows_estimate(path)
            result = sales_import(
                distributor=seller,
                datasets=iter_datasets(path, chunk_rows=chunk_rows),
                file_name=path.name,
                dry_run=dry_run,
                progress=lambda done, seconds: self.progress(done, max(total, done), seconds),
            )
        except SalesFileError as error:
            raise CommandError(f"{path.name} cannot be imported: {' '.join(error.messages)}") from error
        except (OSError, csv.Error, zipfile.BadZipFile, InvalidFileException) as error:
            raise CommandError(f"{path.name} cannot be read as CSV or XLSX: {error}") from error
        finally:
            if self.verbose:
                self.stderr.write("", style_func=str)
        if not result.ok:
            shown = [f"  {error}" for error in result.errors[:ERRORS_PRINTED]]
            if result.error_count > len(shown):
                shown.append(f"  ... and {result.error_count - len(shown):,} more.")
            raise CommandError(
                f"Nothing imported: {counted(result.error_count, 'problem')} in {counted(result.error_rows, 'row')} "
                f"of {path.name}:\n" + "\n".join(shown)
            )
        rate = result.rows / max(result.seconds, 1e-9)
        self.stdout.write(
            f"{'Dry run, nothing written. ' if dry_run else ''}{path.name} from {seller}: "
            f"{counted(result.rows, 'row')}, "
            f"{result.created:,} new, {result.updated:,} updated, {result.unchanged:,} already imported "
            f"({result.seconds:.1f} s, {rate:,.0f} rows/s)."
        )
        if result.upgrades:
            self.stdout.write(f"Upgraded {counted(len(result.upgrades), 'partner')}:")
            for evaluation in result.upgrades[:ERRORS_PRINTED]:
                self.stdout.write(f"  {evaluation.partner.name}: {evaluation.held} -> {evaluation.qualified}")
