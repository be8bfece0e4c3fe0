"""Builders for the public directory's tests: listed partners with languages and services."""

import itertools
import re
import struct
import zlib
from collections.abc import Iterable

import pytest
from django.core.cache import cache

from partners.models import Language, Partner, Service

_sequence = itertools.count(1)
CARD_ID = re.compile(r'<h3 id="partner-([\w-]+)"')


def png(width: int = 8, height: int = 8) -> bytes:
    """A real, displayable grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def card_slugs(response) -> list[str]:
    """The slugs of the partner cards on a directory page (or fragment), in page order."""
    return CARD_ID.findall(response.content.decode())


@pytest.fixture(autouse=True)
def _empty_cache(db):
    """The contact rate limit counts in the cache (Redis outlives a test); a test must not inherit a count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Logos land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def languages(tiers) -> dict[str, Language]:
    return {language.code: language for language in Language.objects.all()}


@pytest.fixture
def services(tiers) -> dict[str, Service]:
    return {service.code: service for service in Service.objects.all()}


@pytest.fixture
def make_listed(make_partner, languages, services):
    """A partner the directory lists (Certified, active, consenting) unless the fields say otherwise."""

    def make(
        name: str | None = None,
        tier: str = "certified",
        speaks: Iterable[str] = ("de",),
        offers: Iterable[str] = ("installation",),
        **fields,
    ) -> Partner:
        fields.setdefault("city", "Bern")
        fields.setdefault("postcode", "3011")
        fields.setdefault("region", "BE")
        partner = make_partner(name, tier=tier, **fields)
        partner.languages.set([languages[code] for code in speaks])
        partner.services.set([services[code] for code in offers])
        return partner

    return make


@pytest.fixture
def bulk_listed(tiers, languages, services, make_territory):
    """`count` listed partners in three statements, each with two languages and two services."""

    def make(count: int) -> list[Partner]:
        territory = make_territory("bulk-ch", name="Switzerland", country="CH")
        batch = next(_sequence)
        partners = Partner.objects.bulk_create(
            Partner(
                name=f"Bulk Partner {batch}-{number:04d}",
                slug=f"bulk-{batch}-{number}",
                tier=tiers["enterprise" if number % 5 == 0 else "certified"],
                status=Partner.Status.ACTIVE,
                city="Zürich",
                postcode=f"80{number % 100:02d}",
                region="ZH",
                territory=territory,
                description="Installs and supports endpoint security.",
            )
            for number in range(count)
        )
        partner_languages = Partner.languages.through
        partner_services = Partner.services.through
        partner_languages.objects.bulk_create(
            partner_languages(partner=partner, language=languages[code])
            for partner in partners
            for code in ("de", "fr")
        )
        partner_services.objects.bulk_create(
            partner_services(partner=partner, service=services[code])
            for partner in partners
            for code in ("installation", "training")
        )
        return partners

    return make


def mo_file(entries: dict[str, str]) -> bytes:
    """A GNU gettext catalogue (.mo) holding `entries`, UTF-8."""
    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **entries}
    keys = sorted(entries)
    ids = [key.encode() for key in keys]
    strs = [entries[key].encode() for key in keys]
    header_size = 7 * 4
    tables_size = 2 * 8 * len(keys)
    offset = header_size + tables_size
    id_table, str_table, data = [], [], b""
    for text in ids:
        id_table.append((len(text), offset + len(data)))
        data += text + b"\0"
    for text in strs:
        str_table.append((len(text), offset + len(data)))
        data += text + b"\0"
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), header_size, header_size + 8 * len(keys), 0, 0)
    tables = b"".join(struct.pack("<2I", *pair) for pair in id_table + str_table)
    return header + tables + data


@pytest.fixture
def german_catalogue(settings, tmp_path):
    """Add German translations ahead of the project's own catalogue (its translators come later)."""

    def install(entries: dict[str, str]) -> None:
        folder = tmp_path / "locale" / "de" / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "django.mo").write_bytes(mo_file(entries))
        # Changing LOCALE_PATHS makes Django drop its loaded catalogues (setting_changed).
        settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]

    return install
