"""Reading one row of a distributor's sales report: its columns, values and what is wrong with them.

Pure parsing, no database: `partners.imports.sales` resolves partners and products in bulk.
Header names are matched ignoring case, spaces and punctuation, in English or German.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..validators import validate_swiss_uid
from .formats import AmbiguousNumber, cell_text, header_key, normalised_uid, parse_date, parse_decimal

# The accepted header names of each column. The first one is the name error messages use.
COLUMNS = {
    "reference": (
        "reference",
        "distributor reference",
        "invoice number",
        "Referenz",
        "Belegnummer",
        "Rechnungsnummer",
    ),
    "invoice_date": ("invoice date", "date", "Rechnungsdatum", "Datum", "Belegdatum"),
    "partner_number": ("partner number", "partner no", "partner", "Partnernummer", "Partner-Nr."),
    "uid": ("UID", "UID number", "company UID", "UID-Nummer", "UID-Nr."),
    "company": ("company", "company name", "Firma", "Firmenname"),
    "postcode": ("postcode", "postal code", "zip", "PLZ", "Postleitzahl"),
    "product": ("product", "SKU", "Produkt", "Artikelnummer", "Artikel"),
    "quantity": ("quantity", "qty", "Menge", "Anzahl"),
    "amount": ("amount EUR", "amount", "Betrag EUR", "Betrag"),
}
REQUIRED = ("reference", "invoice_date", "product", "quantity", "amount")
REFERENCE_MAX_LENGTH = 64
AMOUNT_LIMIT = Decimal("10000000000")  # Purchase.amount_eur has 12 digits, 2 of them decimals
QUANTITY_LIMIT = 2_147_483_647
PARTNER_NUMBER = re.compile(r"P?\s*-?\s*0*(\d{1,9})", re.IGNORECASE)
CENT = Decimal("0.01")
DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

COLUMN_HELP = gettext_lazy(
    "CSV or XLSX. Required columns: reference, invoice date, product (SKU or name), quantity, amount EUR, and "
    "the partner: its number (P-00042), its UID (CHE-123.456.788), or company and postcode. Each column may be "
    "headed by any of its names:"
)


ALIASES = {header_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


class SalesFileError(Exception):
    """The file as a whole cannot be imported (a column missing, no rows); `messages` say why."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    reason: str

    def __str__(self):
        return _("Row %(row)d, column “%(column)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Header:
    """Where each known column is in the file (`index`) and how the file names it (`names`)."""

    index: dict[str, int]
    names: dict[str, str]

    @classmethod
    def read(cls, headers) -> "Header":
        """Map the file's headers to the columns; SalesFileError naming every missing column."""
        index, names = {}, {}
        for position, name in enumerate(headers):
            column = ALIASES.get(header_key(name))
            if column and column not in index:
                index[column], names[column] = position, str(name)
        missing = [
            _("The column “%(column)s” is missing (accepted names: %(names)s).")
            % {"column": COLUMNS[column][0], "names": ", ".join(COLUMNS[column])}
            for column in REQUIRED
            if column not in index
        ]
        if not {"partner_number", "uid"} & index.keys() and not {"company", "postcode"} <= index.keys():
            missing.append(
                _(
                    "No column names the partner: add “partner number” (P-00042), “UID” (CHE-123.456.788) "
                    "or both “company” and “postcode” (accepted names: %(names)s)."
                )
                % {
                    "names": ", ".join(
                        COLUMNS["partner_number"] + COLUMNS["uid"] + COLUMNS["company"] + COLUMNS["postcode"]
                    )
                }
            )
        if missing:
            raise SalesFileError(missing)
        return cls(index, names)


@dataclass(frozen=True)
class SalesRow:
    """A row whose values parsed; its partner and product are still keys to look up."""

    number: int
    reference: str
    invoice_date: datetime.date
    partner_column: str
    partner_key: tuple  # ("pk", 42), ("uid", "CHE-…") or ("name", (casefolded name, postcode))
    partner_text: str  # as the file writes it, for messages
    product: str
    quantity: int
    amount: Decimal


def day_of(value, cell: str) -> datetime.date:
    """`parse_date`, with the two usual spellings first: strptime costs more than the rest of a row."""
    if isinstance(value, str):
        if match := DOTTED_DATE.fullmatch(cell):
            return datetime.date(int(match[3]), int(match[2]), int(match[1]))
        if ISO_DATE.fullmatch(cell):
            return datetime.date.fromisoformat(cell)
    return parse_date(value)


def company_key(name: str, postcode: str) -> tuple[str, str]:
    return " ".join(name.split()).casefold(), postcode.strip()


class RowReader:
    """Parses rows against one header; remembers references to report duplicates across chunks."""

    def __init__(self, header: Header, *, today: datetime.date):
        self.header = header
        self.today = today
        self.seen: dict[str, int] = {}

    def read(self, number: int, values, errors: list[RowError]) -> SalesRow | None:
        """The row's values, or None after adding each of its problems to `errors`."""
        found: list[RowError] = []

        def error(column: str, code: str, reason: str) -> None:
            found.append(RowError(number, self.header.names.get(column, COLUMNS[column][0]), code, reason))

        raw = {column: values[at] for column, at in self.header.index.items() if at < len(values)}
        cells = {column: cell_text(raw.get(column)) for column in COLUMNS}
        for column in REQUIRED:
            if not cells[column]:
                error(column, "missing", _("missing value"))
        reference = cells["reference"]
        if len(reference) > REFERENCE_MAX_LENGTH:
            error("reference", "too_long", _("longer than %(max)d characters") % {"max": REFERENCE_MAX_LENGTH})
        elif reference in self.seen:
            error(
                "reference", "duplicate", _("duplicate reference: also in row %(row)d") % {"row": self.seen[reference]}
            )
        elif reference:
            self.seen[reference] = number
        invoice_date = self._date(raw.get("invoice_date"), cells["invoice_date"], error)
        quantity = self._quantity(raw.get("quantity"), cells["quantity"], error)
        amount = self._amount(raw.get("amount"), cells["amount"], error)
        partner_column, partner_key = self._partner(cells, error)
        if found:
            errors.extend(found)
            return None
        return SalesRow(
            number=number,
            reference=reference,
            invoice_date=invoice_date,
            partner_column=partner_column,
            partner_key=partner_key,
            partner_text=cells[partner_column],
            product=cells["product"],
            quantity=quantity,
            amount=amount,
        )

    def _date(self, value, cell: str, error) -> datetime.date | None:
        if not cell:
            return None
        try:
            day = day_of(value, cell)
        except ValueError:
            error("invoice_date", "bad_date", _("bad date: %(value)s (use 31.12.2026 or 2026-12-31)") % {"value": cell})
            return None
        if day > self.today:
            error("invoice_date", "future_date", _("invoice date in the future: %(date)s") % {"date": day.isoformat()})
        return day

    def _number(self, column: str, value, cell: str, error) -> Decimal | None:
        if not cell:
            return None
        try:
            # The cell's text has an export's escaping apostrophe off; a number from Excel stays a number.
            return parse_decimal(cell if isinstance(value, str) else value)
        except AmbiguousNumber:
            error(
                column, "ambiguous_number", _("ambiguous number: %(value)s (write 1234 or 1234.00)") % {"value": cell}
            )
            return None
        except ValueError:
            error(column, "bad_number", _("bad number: %(value)s") % {"value": cell})
            return None

    def _quantity(self, value, cell: str, error) -> int | None:
        number = self._number("quantity", value, cell, error)
        if number is None:
            return None
        if number != number.to_integral_value() or number > QUANTITY_LIMIT:
            error("quantity", "bad_number", _("bad number: %(value)s (a whole number)") % {"value": cell})
            return None
        if number < 1:
            error("quantity", "quantity_below_one", _("quantity below 1: %(value)s") % {"value": cell})
            return None
        return int(number)

    def _amount(self, value, cell: str, error) -> Decimal | None:
        number = self._number("amount", value, cell, error)
        if number is None:
            return None
        if number < 0:
            error("amount", "negative_amount", _("negative amount: %(value)s") % {"value": cell})
            return None
        if number >= AMOUNT_LIMIT:
            error("amount", "bad_number", _("amount too large: %(value)s") % {"value": cell})
            return None
        if number != number.quantize(CENT):
            # Rounding would change what the distributor billed: they correct the report instead.
            error("amount", "too_many_decimals", _("more than two decimals: %(value)s") % {"value": cell})
            return None
        return number.quantize(CENT)

    def _partner(self, cells, error) -> tuple[str, tuple | None]:
        """The first partner column the row fills: partner number, then UID, then company and postcode."""
        for column in ("partner_number", "uid"):
            value = cells[column]
            if not value:
                continue
            if uid := normalised_uid(value):
                try:
                    validate_swiss_uid(uid)
                except ValidationError as invalid:
                    error(column, "bad_partner", " ".join(invalid.messages))
                    return column, None
                return column, ("uid", uid)
            if column == "partner_number" and (match := PARTNER_NUMBER.fullmatch(value)):
                return column, ("pk", int(match[1]))
            error(
                column,
                "bad_partner",
                _("not a partner number or UID: %(value)s (use P-00042 or CHE-123.456.788)") % {"value": value},
            )
            return column, None
        company, postcode = cells["company"], cells["postcode"]
        if company and postcode:
            return "company", ("name", company_key(company, postcode))
        if company and "postcode" in self.header.index:
            error("postcode", "missing", _("missing value (the company's postcode identifies the partner)"))
        else:
            column = next(c for c in ("partner_number", "uid", "company") if c in self.header.index)
            error(column, "missing", _("missing value: the partner number, UID or company and postcode"))
        return "company", None
