"""Building distributor sales reports for the sales import tests: CSV bytes, XLSX bytes, datasets."""

import csv
import io

import openpyxl

from partners.imports.formats import ExcelXLSX, SniffingCSV
from partners.validators import UID_WEIGHTS

HEADER = [
    "reference",
    "invoice date",
    "partner number",
    "UID",
    "company",
    "postcode",
    "product",
    "quantity",
    "amount EUR",
]


def valid_uid(seed: int) -> str:
    """A Swiss UID with a correct check digit (seeds whose check digit would be 10 are skipped)."""
    while True:
        digits = [int(d) for d in f"{seed:08d}"]
        check = 11 - sum(d * w for d, w in zip(digits, UID_WEIGHTS, strict=True)) % 11
        if check != 10:
            text = "".join(map(str, digits)) + str(0 if check == 11 else check)
            return f"CHE-{text[:3]}.{text[3:6]}.{text[6:]}"
        seed += 1


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def dataset(data: bytes, *, xlsx: bool = False):
    """The file as the admin reads it (and as `iter_datasets` yields it, in one chunk)."""
    return (ExcelXLSX() if xlsx else SniffingCSV()).create_dataset(data)
