"""A large, realistic partner population for benchmarks, built by `manage.py seed_scale`.

Seeded partners are recognisable by their slug, `scale-<number>-<name>`, so they are never
mistaken for real partners. Partner number n is generated from its own random stream
(`<seed>:<n>`), so a second run adds exactly the numbers still missing and the data do not
depend on the batch size. Inserts go in batches, one transaction per batch: the partners, then
their languages and services straight into the M2M through tables; with COPY on PostgreSQL,
`bulk_create` elsewhere.
No history rows, memberships or purchases: the public directory needs none.
"""

import datetime
import multiprocessing
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User

from ..demo import foreign_partners
from ..demo.data import PROGRAMME_START, TERRITORIES
from ..models import Distributor, Language, Partner, Service, Territory, Tier
from ..signals import partners_bulk_changed
from . import data

SLUG_PATTERN = r"^scale-[0-9]+-"

Progress = Callable[[int, int, float], None]


def scale_partners():
    """Partners created by `seed_scale`."""
    return Partner.objects.filter(slug__regex=SLUG_PATTERN)


def real_partners():
    """Partners created neither by the demo nor by `seed_scale`: the data seeding must not mix with."""
    return foreign_partners().exclude(slug__regex=SLUG_PATTERN)


@dataclass(frozen=True)
class SeedResult:
    requested: int
    existing: int
    created: int
    links: int
    seconds: float

    @property
    def rows(self) -> int:
        return self.created + self.links


def scale_seed(
    *, partners: int, batch_size: int = 2000, seed: int = 2005, workers: int = 1, progress: Progress | None = None
) -> SeedResult:
    """Make partners number 1 to `partners` exist, creating only the missing ones.

    Each batch is its own transaction, so an interrupted run keeps whole partners only
    (with all their languages and services) and the next run completes it. With
    `workers` > 1, forked processes insert batches side by side (each with its own
    connection), which needs a database where committed rows are visible to them:
    not inside a transaction.
    """
    started = time.perf_counter()
    existing = {int(slug.split("-", 2)[1]) for slug in scale_partners().values_list("slug", flat=True)}
    missing = [number for number in range(1, partners + 1) if number not in existing]
    context = _Context.load(seed)
    batches = [missing[start : start + batch_size] for start in range(0, len(missing), batch_size)]
    created = links = 0
    for partners_saved, links_saved in _insert_all(context, batches, workers=workers):
        created += partners_saved
        links += links_saved
        if progress:
            progress(created, len(missing), time.perf_counter() - started)
    if created and connection.vendor == "postgresql":
        # Fresh statistics, as a production database has them; otherwise the planner guesses.
        tables = [Partner, Partner.languages.through, Partner.services.through]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t._meta.db_table) for t in tables))
    if created:
        partners_bulk_changed.send(sender=Partner)
    return SeedResult(partners, len(existing), created, links, time.perf_counter() - started)


def _insert_all(context: "_Context", batches: list[list[int]], *, workers: int):
    if workers <= 1 or len(batches) < 2:
        for numbers in batches:
            yield _insert(context, numbers)
        return
    if connection.in_atomic_block:
        raise ValueError("parallel workers cannot see the rows of an open transaction; use one worker")
    # Forked children must not share the parent's connection: each opens its own.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start, initargs=(context,)) as pool:
        yield from pool.imap_unordered(_worker_insert, batches)


def _insert(context: "_Context", numbers: list[int]) -> tuple[int, int]:
    """Insert the partners `numbers` with their languages and services, in one transaction."""
    rows = [context.partner(number) for number in numbers]
    partners = [partner for partner, _, _ in rows]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_partners(partners)
        else:
            partners = Partner.objects.bulk_create(partners, batch_size=len(partners))
        language_rows = [
            (partner.pk, language)
            for partner, (_, languages, _) in zip(partners, rows, strict=True)
            for language in languages
        ]
        service_rows = [
            (partner.pk, service)
            for partner, (_, _, services) in zip(partners, rows, strict=True)
            for service in services
        ]
        _insert_links(Partner.languages.through, "language_id", language_rows)
        _insert_links(Partner.services.through, "service_id", service_rows)
    return len(partners), len(language_rows) + len(service_rows)


def _copy_partners(partners: list[Partner]) -> None:
    """PostgreSQL: give `partners` ids from the table's sequence and COPY them in.

    COPY is several times faster than the INSERT `bulk_create` builds; the values are
    prepared for the database exactly as `bulk_create` prepares them.
    """
    table = Partner._meta.db_table
    fields = Partner._meta.concrete_fields
    database = connections[Partner.objects.db]  # the connection itself, not the proxy: read 200,000 times
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(partners)]
        )
        for partner, (pk,) in zip(partners, cursor.fetchall(), strict=True):
            partner.pk = pk
        values = [
            [field.get_db_prep_save(field.pre_save(partner, True), database) for field in fields]
            for partner in partners
        ]
        _copy(cursor, table, [field.column for field in fields], values)


def _insert_links(through, column: str, rows: list[tuple[int, int]]) -> None:
    """Rows (partner id, `column`) into the many-to-many table `through`."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _copy(cursor, through._meta.db_table, ["partner_id", column], rows)
        return
    links = [through(partner_id=partner, **{column: other}) for partner, other in rows]
    through.objects.bulk_create(links, batch_size=len(links))


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quote = connection.ops.quote_name
    with cursor.copy(f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


_worker_context = None


def _worker_start(context: "_Context") -> None:
    global _worker_context
    _worker_context = context


def _worker_insert(numbers: list[int]) -> tuple[int, int]:
    try:
        return _insert(_worker_context, numbers)
    finally:
        connections.close_all()


def scale_reset(*, batch_size: int = 2000) -> int:
    """Delete every seeded partner (and what hangs on it), a batch per transaction; return how many."""
    removed = 0
    # Seeded partners never had history; deleting them must not write 100,000 history rows either.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        while ids := list(scale_partners().order_by().values_list("pk", flat=True)[:batch_size]):
            with transaction.atomic():
                Partner.objects.filter(slug__regex=SLUG_PATTERN, pk__in=ids).delete()
            removed += len(ids)
    return removed


def territories_ensure() -> dict[str, Territory]:
    """The demo's territories by code, creating those missing (existing ones are left as they are)."""
    languages = {language.code: language for language in Language.objects.all()}
    territories = {}
    for code, name, country, regions, language_codes in TERRITORIES:
        territory, created = Territory.objects.get_or_create(
            code=code, defaults={"name": name, "country": country, "regions": regions}
        )
        if created:
            territory.languages.set([languages[c] for c in language_codes if c in languages])
        territories[code] = territory
    return territories


class _Context:
    """Everything a generated partner refers to, read once per run."""

    def __init__(self, seed: int, tiers, territories, languages, services, distributors, manager, today):
        self.seed = seed
        self.tiers, self.territories, self.languages, self.services = tiers, territories, languages, services
        self.distributors, self.manager, self.today = distributors, manager, today
        self.regions = list(data.REGIONS)
        self.region_weights = [data.REGIONS[code]["weight"] for code in self.regions]
        self.city_weights = {code: [city[-1] for city in data.REGIONS[code]["cities"]] for code in self.regions}

    @classmethod
    def load(cls, seed: int) -> "_Context":
        territories = {code: territory.pk for code, territory in territories_ensure().items()}
        tiers = {tier.code: tier.pk for tier in Tier.objects.all()}
        missing = {"accredited", "certified", "enterprise"} - tiers.keys()
        if missing:
            raise LookupError(f"the tiers of the data migration are missing: {', '.join(sorted(missing))}")
        distributors = {
            code: distributor_id
            for distributor_id, code in Distributor.objects.active().values_list("pk", "territories__code")
            if code
        }
        manager = User.objects.filter(is_staff=True, is_active=True).order_by("pk").values_list("pk", flat=True)
        return cls(
            seed,
            tiers,
            territories,
            dict(Language.objects.values_list("code", "pk")),
            dict(Service.objects.values_list("code", "pk")),
            distributors,
            manager.first(),
            timezone.localdate(),
        )

    def partner(self, number: int) -> tuple[Partner, list[int], list[int]]:
        rng = random.Random(f"{self.seed}:{number}")
        territory = rng.choices(self.regions, self.region_weights)[0]
        region = data.REGIONS[territory]
        city, canton, postcodes, area, _weight = rng.choices(region["cities"], self.city_weights[territory])[0]
        tier = rng.choices(["accredited", "certified", "enterprise"], data.TIER_WEIGHTS)[0]
        status = rng.choices(data.STATUSES, data.STATUS_WEIGHTS)[0]
        name = data.company_name(rng, region)
        slug = f"scale-{number}-{slugify(name)}"[:200]
        handle = slugify(name.rsplit(" ", 1)[0])[:60] or f"partner-{number}"
        joined = PROGRAMME_START + datetime.timedelta(days=rng.randrange((self.today - PROGRAMME_START).days))
        languages = [code for code, share in region["languages"] if rng.random() < share]
        services = data.services(rng, tier)
        partner = Partner(
            name=name,
            slug=slug,
            street=f"{rng.choice(region['streets'])} {rng.randint(1, 180)}",
            postcode=region["postcode"].format(rng.choice(postcodes)),
            city=city,
            region=canton,
            country=region["country"],
            website=f"https://www.{handle}-{number}.example",
            phone=data.phone(rng, region, area),
            email=f"info@{handle}-{number}.example",
            description=data.description(rng, city=city, name=name),
            tier_id=self.tiers[tier],
            status=status,
            territory_id=self.territories[territory],
            distributor_id=self.distributors.get(territory),
            account_manager_id=self.manager if tier != "accredited" else None,
            directory_consent=rng.random() < data.CONSENT_SHARE,
            joined_on=joined,
        )
        return (
            partner,
            [self.languages[code] for code in languages if code in self.languages],
            [self.services[code] for code in services if code in self.services],
        )
