import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from extranet.backups import BackupError, backup_read_manifest, backup_restore, media_roots


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup`: replaces the configured database "
        "(pg_restore --clean on PostgreSQL, SQLite's backup API on SQLite), the media folder and the "
        "private library files with the archive's content. Asks first unless --yes is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup archive (.tar.gz) to restore.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation (for scripts).")
        parser.add_argument("--database", default="default", help="The database alias to restore into.")

    def handle(self, *args, file: Path, yes: bool, database: str, **options):
        try:
            manifest = backup_read_manifest(file)
            if not yes:
                self._confirm(file, manifest.created, database)
            backup_restore(path=file, using=database)
        except BackupError as error:
            raise CommandError(f"Restore failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Restored {file} (backup of {manifest.created})."))

    def _confirm(self, file: Path, created: str, database: str) -> None:
        target = connections[database].settings_dict["NAME"]
        folders = ", ".join(str(root) for root in media_roots().values())
        if not sys.stdin.isatty():
            raise CommandError(f"Restoring replaces the database {target} and {folders}; pass --yes to confirm.")
        self.stdout.write(
            f"This replaces the database {target} and the folders {folders} with the backup {file} of {created}."
        )
        if input("Type 'yes' to continue: ").strip().lower() != "yes":
            raise CommandError("Restore cancelled; nothing was changed.")
