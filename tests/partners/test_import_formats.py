"""Reading cells the way both importers do: numbers, escaped formulas, UIDs, and files in odd encodings."""

import datetime
import re
from decimal import Decimal

import pytest

from partners.imports.formats import (
    AmbiguousNumber,
    cell_text,
    formula_escape,
    formula_unescape,
    iter_datasets,
    normalised_uid,
    parse_decimal,
)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1234.5", "1234.5"),
        ("1'234.50", "1234.50"),
        ("1 234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234.567,50", "1234567.50"),
        ("1,234,567", "1234567"),
        ("1.234.567", "1234567"),
        ("0.125", "0.125"),  # no thousands group starts with 0
        ("1234.567", "1234.567"),  # four digits before: no thousands group
        ("-5.00", "-5.00"),
        ("12,5", "12.5"),
        (3, "3"),
        (99.9, "99.9"),
        (107.69999999999999, "107.7"),  # Excel's binary noise, not a decimal anyone wrote
    ],
)
def test_numbers_in_every_usual_spelling(text, number):
    assert parse_decimal(text) == Decimal(number)


@pytest.mark.parametrize("text", ["1.234", "1,234", "-1.500", "12.345", "999,000"])
def test_one_separator_before_three_digits_is_ambiguous(text):
    with pytest.raises(AmbiguousNumber):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["two", "1,23,456", "1.2.3,4", "1,2.3,4", "", "NaN", float("inf")])
def test_what_is_not_a_number(text):
    with pytest.raises(ValueError, match=f"^{re.escape(str(text))}$") as raised:
        parse_decimal(text)

    assert not isinstance(raised.value, AmbiguousNumber)


@pytest.mark.parametrize("value", ["=1+2", "+41 44 123 45 67", "-5001", "@SUM(A1)", "\tx", "'=quoted"])
def test_escaped_formulas_read_back_as_they_were(value):
    escaped = formula_escape(value)

    assert escaped == "'" + value
    assert formula_unescape(escaped) == value
    assert cell_text(escaped) == value.strip()


def test_only_formula_cells_are_escaped_and_unescaped():
    assert formula_escape("O'Brien AG") == "O'Brien AG"
    assert formula_escape(Decimal("-5")) == Decimal("-5")
    assert formula_unescape("'s Hertogenbosch") == "'s Hertogenbosch"


def test_cell_text():
    assert cell_text(None) == ""
    assert cell_text(8004.0) == "8004"
    assert cell_text(datetime.date(2026, 1, 31)) == "2026-01-31"
    assert cell_text("  INV  1 ") == "INV  1"  # references keep their inner spaces


@pytest.mark.parametrize(
    ("text", "uid"),
    [
        ("CHE-109.322.551", "CHE-109.322.551"),
        ("CHE109322551", "CHE-109.322.551"),
        ("che 109 322 551 MWST", "CHE-109.322.551"),
        ("CHE-109-322-551", "CHE-109.322.551"),
        ("CHE-109.322.551 TVA", "CHE-109.322.551"),
        ("CHE-109.322.55", None),
        ("CHEF 109322551", None),
        ("CHE-109.322.551 and more", None),
        ("DE123456789", None),
    ],
)
def test_uid_spellings(text, uid):
    assert normalised_uid(text) == uid


def test_a_csv_with_bytes_windows_1252_leaves_undefined_reads(tmp_path):
    """cp850 writes ü as 0x81, which cp1252 leaves undefined: the row is read, the letter replaced."""
    path = tmp_path / "dos.csv"
    path.write_bytes("company;postcode\r\nMüller AG;8004\r\n".encode("cp850"))

    [dataset] = list(iter_datasets(path))

    assert dataset.headers == ["company", "postcode"]
    assert list(dataset[0]) == ["M\ufffdller AG", "8004"]
