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
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import tablib
from import_export.formats import base_formats

DELIMITERS = ",;\t"
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
        handle = path.open(encoding=encoding, newline="")
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


def parse_decimal(value) -> Decimal:
    """A number from a cell or text: 1234.5, 1'234.50, 1 234,50, 1.234,50 or 1,234.50.

    Raises ValueError with the value when it is not a number.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = str(value).strip().replace("'", "").replace("\u2019", "").replace(" ", "").replace("\xa0", "")
    if "," in text and "." in text:
        # The separator written last is the decimal one.
        thousands = "," if text.rfind(",") < text.rfind(".") else "."
        text = text.replace(thousands, "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".") if len(text.rsplit(",", 1)[1]) != 3 else text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(str(value)) from None
    if not number.is_finite():
        raise ValueError(str(value))
    return number
