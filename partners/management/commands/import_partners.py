import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.imports.formats import iter_datasets
from partners.imports.partners import Action, partners_import
from partners.management.commands.import_sales import counted

SHOWN_ERRORS = 100


class Command(BaseCommand):
    help = (
        "Import partners from the previous programme, from a CSV or XLSX file (headers in English or German). "
        "Checks every row first: any bad row and nothing is written. Partners found again by UID, or by "
        "company name and postcode, are updated, never duplicated; their tier is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument(
            "--invite",
            action="store_true",
            help="Email an owner invitation to each partner's owner email, where it has no owner and no open one.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")

    def handle(self, *args, file: str, invite: bool, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = partners_import(datasets=iter_datasets(path), actor=None, invite=invite, dry_run=dry_run)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            # openpyxl raises these for a file that is not really XLSX; a CSV always reads.
            raise CommandError(f"Cannot read {path.name} as a {path.suffix or 'CSV'} file: {error}") from error
        if result.errors:
            lines = [str(error) for error in result.errors[:SHOWN_ERRORS]]
            if len(result.errors) > SHOWN_ERRORS:
                lines.append(f"... and {len(result.errors) - SHOWN_ERRORS} more.")
            problems = counted(len(result.errors), "error")
            raise CommandError(f"Nothing imported: {problems} in {path.name}.\n" + "\n".join(lines))
        if options["verbosity"] > 1:
            for outcome in result.outcomes:
                if outcome.action != Action.UNCHANGED or outcome.notes:
                    details = "; ".join([", ".join(outcome.changes), *outcome.notes]).strip("; ")
                    self.stdout.write(f"row {outcome.row}: {outcome.action} {outcome.partner.name} {details}".rstrip())
        verb = "Would import" if dry_run else "Imported"
        summary = f"{verb} {path.name}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged"
        if invite:
            summary += f", {counted(len(result.invitations), 'owner invitation')} {'to send' if dry_run else 'sent'}"
        self.stdout.write(self.style.SUCCESS(summary + "."))
