"""Backups of the whole site: the database and both media folders, in one .tar.gz archive.

An archive holds `manifest.json` (format, database vendor, creation time), the database
(`database.dump` from `pg_dump -Fc` on PostgreSQL, `database.sqlite3` from SQLite's online
backup API) and the folders `media/` (MEDIA_ROOT: partner logos) and `private/` (library files).
One file is easy to move off the machine, and the manifest lets a restore refuse an archive
made for the other database vendor before it touches anything.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.utils import timezone

from library.storage import private_media_root

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    created: str


def media_roots() -> dict[str, Path]:
    """The folders a backup carries, by their name inside the archive."""
    return {"media": Path(settings.MEDIA_ROOT), "private": private_media_root()}


def default_backup_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"extranet-{stamp}.tar.gz"


def backup_create(*, output: Path | None = None, using: str = "default") -> Path:
    """Write the database and media folders to `output` (by default under var/backups/); return the path.

    The archive is built under a temporary name and renamed at the end, so a failed backup
    never leaves a half-written file that looks like a good one.
    """
    connection = connections[using]
    vendor = _vendor(connection)
    output = Path(output) if output else default_backup_path()
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output or remove it first.")
    output.parent.mkdir(parents=True, exist_ok=True)
    manifest = json.dumps({"format": FORMAT, "vendor": vendor, "created": timezone.now().isoformat()}).encode()
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as workdir:
        database_file = Path(workdir) / DATABASE_FILES[vendor]
        if vendor == "postgresql":
            _pg_dump(connection.settings_dict, database_file)
        else:
            _sqlite_copy(_sqlite_path(connection.settings_dict), database_file)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(manifest), int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(manifest))
                archive.add(database_file, arcname=database_file.name)
                for name, root in media_roots().items():
                    if root.is_dir():
                        archive.add(root, arcname=name)
            partial.rename(output)
        finally:
            partial.unlink(missing_ok=True)
    return output


def backup_read_manifest(path: Path) -> Manifest:
    """The manifest of the archive at `path`; BackupError if it is missing or not an extranet backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Backup file {path} does not exist.")
    try:
        with tarfile.open(path, "r:*") as archive:
            data = json.load(archive.extractfile(MANIFEST))
    except (tarfile.TarError, KeyError, AttributeError, ValueError, OSError) as error:
        raise BackupError(f"{path} is not a backup made by `manage.py backup` ({error}).") from error
    if data.get("format") != FORMAT or data.get("vendor") not in DATABASE_FILES:
        raise BackupError(f"{path} has an unknown backup format: {data!r}.")
    return Manifest(vendor=data["vendor"], created=data.get("created", "?"))


def backup_restore(*, path: Path, using: str = "default") -> Manifest:
    """Replace the database and both media folders with the archive's content; return its manifest.

    The database goes first (on PostgreSQL in one transaction), so a restore that fails there
    leaves the media folders as they were. Django's connections are closed first: the restore
    replaces tables underneath them.
    """
    connection = connections[using]
    vendor = _vendor(connection)
    manifest = backup_read_manifest(path)
    if manifest.vendor != vendor:
        raise BackupError(
            f"{path} holds a {manifest.vendor} database, but this site runs on {vendor}. "
            "Restore it on a site configured for the same database."
        )
    with tempfile.TemporaryDirectory() as workdir:
        with tarfile.open(path, "r:*") as archive:
            archive.extractall(workdir, filter="data")
        database_file = Path(workdir) / DATABASE_FILES[vendor]
        if not database_file.is_file():
            raise BackupError(f"{path} has no {database_file.name}; the archive is incomplete.")
        connections.close_all()
        if vendor == "postgresql":
            _pg_restore(connection.settings_dict, database_file)
        else:
            _sqlite_copy(database_file, _sqlite_path(connection.settings_dict))
        for name, root in media_roots().items():
            _replace_tree(Path(workdir) / name, root)
    return manifest


# Helpers ---------------------------------------------------------------------------------


def _vendor(connection) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _sqlite_path(settings_dict: dict) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database {name} is not a plain file; it cannot be backed up or restored.")
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API.

    Unlike a file copy it reads a consistent snapshot while the site writes (WAL mode), and
    it writes through SQLite's locks, so other connections see the old or the new database.
    """
    if not source.is_file():
        raise BackupError(f"The SQLite database {source} does not exist.")
    target.parent.mkdir(parents=True, exist_ok=True)
    source_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target_db = sqlite3.connect(target)
    try:
        source_db.backup(target_db)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy {source} to {target}: {error}") from error
    finally:
        source_db.close()
        target_db.close()


def _pg_command(program: str, settings_dict: dict, parameters: list[str]) -> tuple[list[str], dict]:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found on PATH. Install the PostgreSQL client tools "
            "(e.g. apt-get install postgresql-client) in the server's major version or newer."
        )
    # Django's own psql settings mapping: host, port, user, password, SSL and service options.
    args, env = PostgresClient.settings_to_cmd_args_env(settings_dict, parameters)
    return [executable, *args[1:]], env or {}


def _pg_run(args: list[str], env: dict, what: str) -> None:
    # The arguments come from settings and a path we chose, never from a request.
    result = subprocess.run(args, env={**os.environ, **env}, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}): {result.stderr.strip()}")


def _pg_dump(settings_dict: dict, output: Path) -> None:
    args, env = _pg_command("pg_dump", settings_dict, ["--format=custom", f"--file={output}"])
    _pg_run(args, env, f"pg_dump of {settings_dict['NAME']}")


def _pg_restore(settings_dict: dict, dump: Path) -> None:
    # The database name goes last in Django's arguments, so "--dbname" is its option; the dump file follows.
    parameters = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname"]
    args, env = _pg_command("pg_restore", settings_dict, parameters)
    _pg_run([*args, str(dump)], env, f"pg_restore into {settings_dict['NAME']}")


def _replace_tree(source: Path, target: Path) -> None:
    """Make `target` hold exactly what `source` holds (nothing if the archive had no such folder).

    The new tree is staged next to the target and swapped in by renames, so a crash midway
    leaves either the old folder or the new one, plus a leftover to delete by hand.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restoring")
    retired = target.with_name(f".{target.name}.replaced")
    for leftover in (staged, retired):
        shutil.rmtree(leftover, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    if target.exists():
        target.rename(retired)
    staged.rename(target)
    shutil.rmtree(retired, ignore_errors=True)
