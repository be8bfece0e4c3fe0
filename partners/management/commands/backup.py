from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from extranet.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, SQLite's online backup API on SQLite) together with "
        "the media folder (logos) and the private library files, as one .tar.gz archive. "
        "Default: var/backups/extranet-<timestamp>.tar.gz. Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Where to write the archive (must not exist yet).")
        parser.add_argument("--database", default="default", help="The database alias to back up.")

    def handle(self, *args, output: Path | None, database: str, **options):
        try:
            path = backup_create(output=output, using=database)
        except BackupError as error:
            raise CommandError(f"Backup failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
