"""Importing a distributor's sales report: one importer for the admin and `manage.py import_sales`.

The file arrives as datasets (chunks, see `formats.iter_datasets`). Each chunk costs a fixed
number of queries: its partners, its existing references, then bulk writes. The whole file is
one transaction: a single bad row anywhere and nothing is written. The distributor's reference
is the key, so importing a file again creates nothing twice.
"""

import datetime
import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..evaluation import Evaluation
from ..models import Distributor, Partner, Product, Purchase, SalesImport
from ..services import tier_review
from .sales_rows import Header, RowError, RowReader, SalesFileError, SalesRow, company_key

__all__ = ["RowError", "SalesFileError", "SalesImportResult", "sales_import"]

BATCH_SIZE = 1000
CHUNK_ROWS = 5000  # rows checked with one set of queries
KEPT_ERRORS = 1000  # errors kept for display; the rest are only counted
PREVIEW_ROWS = 200  # rows to create or update kept for the dry run's preview
REVIEW_CHUNK = 2000  # partners per tier review (a bounded IN list)
ADMITTED = frozenset({Partner.Status.ACTIVE, Partner.Status.SUSPENDED, Partner.Status.ENDED})
WRITTEN_FIELDS = ["partner", "product", "quantity", "amount_eur", "invoice_date"]

Progress = Callable[[int, float], None]


@dataclass(frozen=True)
class PreviewRow:
    row: int
    action: str  # "new" or "update"
    purchase: Purchase
    partner_name: str
    product_name: str
    changed: tuple[str, ...] = ()


@dataclass
class SalesImportResult:
    distributor: Distributor
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    error_rows: int = 0  # rows with at least one problem: a row with two problems counts once
    errors: list[RowError] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    upgrades: list[Evaluation] = field(default_factory=list)
    sales_import: SalesImport | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error_count

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        # A row's problems arrive together: each chunk's rows are checked in one call.
        self.error_rows += len({error.row for error in errors})
        self.errors.extend(errors[: max(KEPT_ERRORS - len(self.errors), 0)])


class _Rollback(Exception):
    pass


def sales_import(
    *,
    distributor: Distributor,
    datasets: Iterable,
    file_name: str,
    actor: User | None = None,
    dry_run: bool = False,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> SalesImportResult:
    """Check every row of the datasets and, when none is bad and not `dry_run`, write them.

    Returns the counts (new, updated, unchanged), every row error (the first KEPT_ERRORS of
    them kept), a preview of the changes and, after a write, the partners the tier review
    upgraded. Writes are one transaction with a SalesImport record; the tier review of the
    partners concerned runs after it. Raises SalesFileError when the file cannot be read as a
    sales report at all (a column missing, no rows).
    """
    started = time.perf_counter()
    result = SalesImportResult(distributor=distributor, file_name=file_name, dry_run=dry_run)
    products = _products()
    affected: set[int] = set()
    reader = None
    try:
        with transaction.atomic():
            for dataset in datasets:
                reader = reader or RowReader(Header.read(dataset.headers), today=today or timezone.localdate())
                numbers = getattr(dataset, "row_numbers", None) or range(2, len(dataset) + 2)
                # The admin hands over a whole file: slices keep every IN list and batch bounded.
                for rows in itertools.batched(zip(numbers, dataset, strict=True), CHUNK_ROWS):
                    chunk = _Chunk(result, reader, products)
                    chunk.check(rows)
                    if result.ok and not dry_run:
                        affected |= chunk.write()
                if progress:
                    progress(result.rows, time.perf_counter() - started)
            if not result.rows:
                raise SalesFileError([_("The file holds no rows below its header.")])
            if dry_run or not result.ok:
                raise _Rollback
            result.sales_import = SalesImport.objects.create(
                distributor=distributor,
                file_name=file_name[:255],
                rows=result.rows,
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                imported_by=actor,
            )
    except _Rollback:
        pass
    except IntegrityError as error:
        # Another import of the same references committed first (a double submit, two commands).
        raise SalesFileError(
            [_("Another import wrote some of these purchases at the same time; nothing was imported. Import again.")]
        ) from error
    if result.sales_import:
        result.upgrades = _review(affected, actor=actor)
    result.seconds = time.perf_counter() - started
    return result


def _products() -> dict[str, tuple[int, str]]:
    """Products by SKU and by name, casefolded: a report may name either."""
    products = list(Product.objects.values_list("pk", "sku", "name"))
    by_name = {name.casefold(): (pk, name) for pk, _sku, name in products}
    # A SKU wins over another product's name.
    return by_name | {sku.casefold(): (pk, name) for pk, sku, name in products}


class _Chunk:
    """One dataset: checked with a fixed number of queries, then written in bulk."""

    def __init__(self, result: SalesImportResult, reader: RowReader, products: dict):
        self.result = result
        self.reader = reader
        self.products = products
        self.new: list[Purchase] = []
        self.changed: list[tuple[Purchase, int]] = []  # with the partner it had before

    def check(self, numbered_rows) -> None:
        """Check `(row number, values)` pairs; count them into the result and keep what to write."""
        result, errors = self.result, []
        rows = [row for number, values in numbered_rows if (row := self.reader.read(number, values, errors))]
        result.rows += len(numbered_rows)
        partners = _partners_for(rows)
        existing = {
            values[0]: values[1:]
            for values in Purchase.objects.filter(
                distributor=result.distributor, reference__in=[row.reference for row in rows]
            ).values_list("reference", "pk", "partner_id", "product_id", "quantity", "amount_eur", "invoice_date")
        }
        for row in rows:
            partner = self._partner(row, partners, errors)
            product = self.products.get(row.product.casefold())
            if product is None:
                errors.append(
                    RowError(
                        row.number,
                        self.reader.header.names["product"],
                        "unknown_product",
                        _("unknown product: %(value)s") % {"value": row.product},
                    )
                )
            if partner is None or product is None:
                continue
            self._classify(row, partner, product, existing.get(row.reference))
        result.add_errors(sorted(errors, key=lambda error: error.row))

    def _partner(self, row: SalesRow, partners: dict, errors: list[RowError]) -> tuple | None:
        column = self.reader.header.names[row.partner_column]
        found = partners.get(row.partner_key, [])
        if len(found) == 1 and found[0][2] in ADMITTED:
            return found[0]
        kind, key = row.partner_key
        if not found:
            code = "unknown_partner"
            if kind == "pk":
                reason = _("unknown partner: no partner has the number P-%(number)05d") % {"number": key}
            elif kind == "uid":
                reason = _("unknown partner: no partner has the UID %(uid)s") % {"uid": key}
            else:
                reason = _("unknown partner: no partner named %(name)s in %(postcode)s") % {
                    "name": row.partner_text,
                    "postcode": key[1],
                }
        elif len(found) > 1:
            code = "ambiguous_partner"
            reason = _(
                "ambiguous partner: %(count)d partners named %(name)s in %(postcode)s; use the partner number"
            ) % {
                "count": len(found),
                "name": row.partner_text,
                "postcode": key[1],
            }
        else:
            code = "partner_not_admitted"
            reason = _("partner not admitted: %(partner)s is %(status)s") % {
                "partner": found[0][1],
                "status": Partner.Status(found[0][2]).label.lower(),
            }
        errors.append(RowError(row.number, column, code, reason))
        return None

    def _classify(self, row: SalesRow, partner: tuple, product: tuple, existing: tuple | None) -> None:
        result = self.result
        values = [partner[0], product[0], row.quantity, row.amount, row.invoice_date]
        changed = ()
        if existing is not None:
            pk, *before = existing
            changed = tuple(
                str(Purchase._meta.get_field(name).verbose_name)
                for name, old, new in zip(WRITTEN_FIELDS, before, values, strict=True)
                if old != new
            )
            if not changed:
                result.unchanged += 1
                return
        purchase = Purchase(
            distributor=result.distributor,
            reference=row.reference,
            partner_id=partner[0],
            product_id=product[0],
            quantity=row.quantity,
            amount_eur=row.amount,
            invoice_date=row.invoice_date,
        )
        if existing is None:
            result.created += 1
            self.new.append(purchase)
        else:
            purchase.pk = pk
            result.updated += 1
            self.changed.append((purchase, before[0]))
        if len(result.preview) < PREVIEW_ROWS:
            action = "update" if changed else "new"
            result.preview.append(PreviewRow(row.number, action, purchase, partner[1], product[1], changed))

    def write(self) -> set[int]:
        """Write the chunk's new and changed purchases; return the partners whose volume changed."""
        Purchase.objects.bulk_create(self.new, batch_size=BATCH_SIZE)
        Purchase.objects.bulk_update([p for p, _before in self.changed], WRITTEN_FIELDS, batch_size=BATCH_SIZE)
        affected = {p.partner_id for p in self.new} | {p.partner_id for p, _before in self.changed}
        return affected | {before for _p, before in self.changed}


def _partners_for(rows: list[SalesRow]) -> dict[tuple, list[tuple]]:
    """The partners the rows name, by their partner key: (pk, name, status) each. Three queries at most."""
    wanted = {"pk": set(), "uid": set(), "name": set()}
    for row in rows:
        wanted[row.partner_key[0]].add(row.partner_key[1])
    found: dict[tuple, list[tuple]] = {}
    if wanted["pk"]:
        for pk, name, status in Partner.objects.filter(pk__in=wanted["pk"]).values_list("pk", "name", "status"):
            found[("pk", pk)] = [(pk, name, status)]
    if wanted["uid"]:
        partners = Partner.objects.filter(uid__in=wanted["uid"]).values_list("pk", "name", "status", "uid")
        for pk, name, status, uid in partners:
            found[("uid", uid)] = [(pk, name, status)]
    if wanted["name"]:
        # Names are compared casefolded in Python: SQLite's LOWER() leaves non-ASCII letters alone.
        partners = Partner.objects.filter(postcode__in={postcode for _, postcode in wanted["name"]})
        for pk, name, status, postcode in partners.values_list("pk", "name", "status", "postcode"):
            key = company_key(name, postcode)
            if key in wanted["name"]:
                found.setdefault(("name", key), []).append((pk, name, status))
    return found


def _review(partner_ids: set[int], *, actor: User | None) -> list[Evaluation]:
    """Re-evaluate the partners whose purchases changed, so an upgrade shows at once."""
    ids = sorted(partner_ids)
    upgrades = []
    for start in range(0, len(ids), REVIEW_CHUNK):
        summary = tier_review(partners=Partner.objects.filter(pk__in=ids[start : start + REVIEW_CHUNK]), actor=actor)
        upgrades.extend(summary.upgrades)
    return upgrades
