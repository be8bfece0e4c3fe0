"""`manage.py backup` / `manage.py restore` round-trip the demo data exactly, on SQLite and PostgreSQL.

The restore replaces tables outside any test transaction, so the round trip is a transactional test.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from extranet import backups
from library.models import Resource
from partners.models import Partner, Purchase, Tier
from tests.conftest import programme_defaults_ensure


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of all its rows (all columns, ordered by primary key)."""
    introspection, quote = connection.introspection, connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            columns = [column.name for column in introspection.get_table_description(cursor, table)]
            order = introspection.get_primary_key_columns(cursor, table) or columns
            cursor.execute(
                f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} ORDER BY {', '.join(map(quote, order))}"
            )
            rows = cursor.fetchall()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)).encode())
            snapshot[table] = (len(rows), digest.hexdigest())
    return snapshot


def files_snapshot() -> dict[str, str]:
    """A checksum of every file under MEDIA_ROOT and the private library folder, by path."""
    return {
        f"{name}/{path.relative_to(root)}": hashlib.sha256(path.read_bytes()).hexdigest()
        for name, root in backups.media_roots().items()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "logos").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "acme.png").write_bytes(b"\x89PNG logo bytes")
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(transactional_db, media_root):
    programme_defaults_ensure()
    call_command("load_demo", "--force", stdout=io.StringIO())


def test_backup_restore_round_trips_the_demo_exactly(demo, tmp_path, media_root):
    database_before, files_before = database_snapshot(), files_snapshot()
    assert database_before["partners_purchase"][0] > 0
    assert any(path.startswith("private/") for path in files_before)
    archive = tmp_path / "backups" / "demo.tar.gz"
    out = io.StringIO()

    call_command("backup", "--output", str(archive), stdout=out)

    assert archive.is_file()
    assert str(archive) in out.getvalue()
    partners = list(Partner.objects.order_by("pk")[:3])
    assert Purchase.objects.filter(partner__in=partners).delete()[0] > 0
    tier = Tier.objects.order_by("rank").first()
    tier.min_annual_volume = 123456
    tier.save()
    resource = Resource.objects.exclude(file="").first()
    resource.file.storage.delete(resource.file.name)
    (media_root / "logos" / "acme.png").unlink()
    (media_root / "logos" / "added-later.png").write_bytes(b"not in the backup")
    assert database_snapshot() != database_before
    assert files_snapshot() != files_before

    call_command("restore", str(archive), "--yes", stdout=out)

    assert database_snapshot() == database_before
    assert files_snapshot() == files_before
    assert f"Restored {archive}" in out.getvalue()


def test_backup_default_path_is_under_var_backups(transactional_db, settings, tmp_path, media_root):
    settings.VAR_DIR = tmp_path / "var"

    path = backups.backup_create()

    assert path.parent == tmp_path / "var" / "backups"
    assert path.name.startswith("extranet-")
    assert path.name.endswith(".tar.gz")
    assert backups.backup_read_manifest(path).vendor == connection.vendor


def test_backup_refuses_to_overwrite(db, tmp_path):
    existing = tmp_path / "there.tar.gz"
    existing.write_bytes(b"keep me")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--output", str(existing))
    assert existing.read_bytes() == b"keep me"


def test_restore_of_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.tar.gz"), "--yes")


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    dump = tmp_path / "extranet.dump"
    dump.write_bytes(b"PGDMP not an archive of ours")

    with pytest.raises(CommandError, match="not a backup made by `manage.py backup`"):
        call_command("restore", str(dump), "--yes")


def test_restore_refuses_a_backup_of_the_other_database_vendor(db, tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    archive = tmp_path / "other.tar.gz"
    manifest = json.dumps({"format": backups.FORMAT, "vendor": other, "created": "2025-01-01"}).encode()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo(backups.MANIFEST)
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))

    with pytest.raises(CommandError, match=f"holds a {other} database, but this site runs on {connection.vendor}"):
        call_command("restore", str(archive), "--yes")


def test_restore_without_yes_asks_and_refuses_when_not_interactive(transactional_db, tmp_path, monkeypatch):
    archive = backups.backup_create(output=tmp_path / "b.tar.gz")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError, match="pass --yes to confirm"):
        call_command("restore", str(archive))


def test_missing_pg_dump_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "")

    with pytest.raises(backups.BackupError, match="pg_dump was not found on PATH"):
        backups._pg_dump({"NAME": "extranet", "OPTIONS": {}}, Path("out.dump"))


def test_backup_carries_both_media_folders(transactional_db, tmp_path, media_root):
    (Path(settings.EXTRANET_PRIVATE_MEDIA_ROOT) / "library").mkdir(parents=True)
    (Path(settings.EXTRANET_PRIVATE_MEDIA_ROOT) / "library" / "kit.pdf").write_bytes(b"%PDF")

    archive = backups.backup_create(output=tmp_path / "b.tar.gz")

    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", backups.DATABASE_FILES[connection.vendor], "media/logos/acme.png"} <= names
    assert "private/library/kit.pdf" in names
