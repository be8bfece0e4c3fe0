"""Reading the files distributors and staff send: CSV in any usual encoding and separator, or XLSX.

CSV arrives as UTF-8 (with or without BOM) or Windows-1252, separated by `,`, `;` or tabs.
Both formats are read as bytes and decoded here, so a wrong guess never becomes a
`UnicodeDecodeError` in the admin. `iter_datasets` streams a file in chunks for big
imports; `SniffingCSV` and `ExcelXLSX` plug the same reading into django-import-export.
"""

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from import_export.formats import base_formats

DELIMITERS = ",;\t"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection): exports put an
# apostrophe before them, imports take it off again, so an export imports unchanged.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Apostrophes before one of them: such a value is escaped with one apostrophe more, so it reads back exactly.
ESCAPED_LOOK = re.compile("'*[" + re.escape("".join(FORMULA_PREFIXES)) + "]")
SAMPLE_BYTES = 64 * 1024
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def encoding_of(stream) -> str:
    """'utf-8-sig' when the whole binary stream decodes as UTF-8, else 'cp1252'. Reads in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(SAMPLE_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def decode(data: bytes) -> str:
    return data.decode(encoding_of(io.BytesIO(data)), errors="replace")


def delimiter_of(sample: str) -> str:
    """The separator of the header line: whichever of `,` `;` tab it holds most often."""
    header = sample.lstrip("\ufeff").splitlines()[0] if sample.strip() else ""
    return max(DELIMITERS, key=header.count) if any(d in header for d in DELIMITERS) else ","


def _dataset(headers, numbered_rows) -> tablib.Dataset:
    """A dataset of `(row number, row)` pairs; `dataset.row_numbers` keeps the numbers for error reports."""
    dataset = tablib.Dataset(headers=[clean_header(h) for h in headers])
    width = len(dataset.headers)
    numbers = []
    for number, row in numbered_rows:
        values = list(row)[:width]
        dataset.append(values + [""] * (width - len(values)))
        numbers.append(number)
    dataset.row_numbers = numbers
    return dataset


def clean_header(value) -> str:
    return "" if value is None else " ".join(str(value).replace("\ufeff", "").split())


def _csv_rows(text_stream) -> Iterator[list[str]]:
    sample = text_stream.read(SAMPLE_BYTES)
    text_stream.seek(0)
    return csv.reader(text_stream, delimiter=delimiter_of(sample))


def _xlsx_rows(source) -> Iterator[list]:
    import openpyxl

    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        for row in book.active.iter_rows(values_only=True):
            yield ["" if value is None else value for value in row]
    finally:
        book.close()


def _non_blank(rows) -> Iterator[tuple[int, list]]:
    """`(row number, row)` of the rows holding a value, numbered as a spreadsheet shows them (header = 1).

    Blank lines are skipped but still counted, so an error names the row a person finds in Excel.
    """
    return ((number, row) for number, row in enumerate(rows, start=1) if any(str(value).strip() for value in row))


def _header_and_rows(rows) -> tuple[list, Iterator[tuple[int, list]]]:
    numbered = _non_blank(rows)
    return next(numbered, (1, []))[1], numbered


def iter_datasets(path: Path | str, *, chunk_rows: int = 5000) -> Iterator[tablib.Dataset]:
    """The file as datasets of at most `chunk_rows` rows, each with the header; memory stays bounded.

    Blank lines are skipped (and counted in `dataset.row_numbers`). The first dataset may be empty
    (a file with a header only).
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        rows = _xlsx_rows(path)
        handle = None
    else:
        with path.open("rb") as binary:
            encoding = encoding_of(binary)
        # As `decode` does: cp1252 leaves five bytes undefined (a cp850 "ü" is one), never a crash.
        handle = path.open(encoding=encoding, errors="replace", newline="")
        rows = _csv_rows(handle)
    try:
        headers, rows = _header_and_rows(rows)
        chunk = []
        yielded = False
        for row in rows:
            chunk.append(row)
            if len(chunk) == chunk_rows:
                yield _dataset(headers, chunk)
                chunk, yielded = [], True
        if chunk or not yielded:
            yield _dataset(headers, chunk)
    finally:
        if handle is not None:
            handle.close()


class SniffingCSV(base_formats.CSV):
    """CSV for django-import-export's admin: any of the usual encodings and separators."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        text = decode(in_stream) if isinstance(in_stream, bytes) else in_stream
        return _dataset(*_header_and_rows(_csv_rows(io.StringIO(text, newline=""))))


class ExcelXLSX(base_formats.XLSX):
    """XLSX for the admin, read like `iter_datasets` reads it (cleaned headers, no blank rows)."""

    def create_dataset(self, in_stream):
        return _dataset(*_header_and_rows(_xlsx_rows(io.BytesIO(in_stream))))


def parse_date(value) -> datetime.date:
    """A date from an Excel cell or text: a date, an Excel serial number, ISO, 31.12.2026 or 31/12/2026.

    Raises ValueError with the value when it is none of these.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        serial = value
    else:
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y", "%Y-%m-%d %H:%M:%S"):
            try:
                return datetime.datetime.strptime(text, pattern).date()
            except ValueError:
                pass
        try:
            serial = float(text)
        except ValueError:
            raise ValueError(text) from None
    if not 1 <= serial < 2958466:  # Excel's range: 1900-01-01 to 9999-12-31
        raise ValueError(str(value))
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


class AmbiguousNumber(ValueError):
    """One `.` or `,` before exactly three digits (1.234, 1,500): thousands, or decimals? The sender must say."""


def parse_decimal(value) -> Decimal:
    """A number from a cell or text: 1234.5, 1'234.50, 1 234,50, 1.234,50, 1,234.50 or 1.234.567,50.

    Of two kinds of separator, the one written last marks the decimals and the other must group
    thousands; one kind written several times groups thousands. Raises AmbiguousNumber for one
    separator after one to three digits and before exactly three (1.234), ValueError with the value
    when it is not a number. Nothing is rounded, except a spreadsheet's binary noise below 1e-9.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel stores 107.7 as 107.69999999999999: that noise is no decimal the sender wrote.
        return _finite(Decimal(repr(round(value, 9))), value)
    text = re.sub(r"['\u2019\s]", "", str(value))
    sign, digits = (text[0], text[1:]) if text.startswith(("+", "-")) else ("", text)
    separators = [character for character in digits if character in ".,"]
    if separators:
        last = separators[-1]
        grouping = "," if last == "." else "."
        if len(set(separators)) == 1 and len(separators) > 1:
            digits = _ungrouped(digits, last)
        else:
            whole, _, decimals = digits.rpartition(last)
            if grouping not in whole and len(decimals) == 3 and re.fullmatch(r"[1-9]\d{0,2}", whole):
                raise AmbiguousNumber(str(value))
            whole = _ungrouped(whole, grouping)
            digits = None if whole is None else f"{whole}.{decimals}"
    try:
        number = Decimal(sign + digits)
    except (InvalidOperation, TypeError):
        raise ValueError(str(value)) from None
    return _finite(number, value)


def _ungrouped(text: str, separator: str) -> str | None:
    """`text` without its thousands separators, which must group by three (1.234.567); None when they don't."""
    if separator not in text:
        return text
    if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+", text):
        return None
    return text.replace(separator, "")


def _finite(number: Decimal, value) -> Decimal:
    if not number.is_finite():
        raise ValueError(str(value))
    return number


def header_key(header) -> str:
    """Headers compare without case, spaces or punctuation: 'E-Mail', 'e mail' and 'EMAIL' are the same."""
    return re.sub(r"[\W_]+", "", str(header).casefold())


def formula_escape(value):
    """`value` with an apostrophe before it when a spreadsheet would run it as a formula; else unchanged.

    A value that looks escaped already ('=x) gets one more, so `formula_unescape` gives it back exactly.
    """
    if isinstance(value, str) and ESCAPED_LOOK.match(value):
        return "'" + value
    return value


def formula_unescape(text: str) -> str:
    """What `formula_escape` escaped: the apostrophe before a formula character comes off ('-5001 is -5001)."""
    return text[1:] if text[:1] == "'" and ESCAPED_LOOK.match(text, 1) else text


def cell_text(value) -> str:
    """A cell as text without spaces around it: Excel's 8004.0 reads 8004, a date its ISO form, '=1+2 reads =1+2."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return formula_unescape(str(value).strip()).strip()


UID_SPELLING = re.compile(r"CHE[\s.-]*(\d{3})[\s.-]*(\d{3})[\s.-]*(\d{3})(?:\s*(?:MWST|TVA|IVA|VAT|HR))?")


def normalised_uid(text: str) -> str | None:
    """CHE-123.456.788 from a usual spelling (CHE123456788, che-123 456 788, CHE-123.456.788 MWST), else None.

    Only the spelling: `partners.validators.validate_swiss_uid` checks the check digit.
    """
    match = UID_SPELLING.fullmatch(text.strip().upper())
    return "CHE-{}.{}.{}".format(*match.groups()) if match else None
