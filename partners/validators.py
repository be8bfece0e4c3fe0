"""Checks of Swiss business identifiers and regions."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SWISS_CANTONS = frozenset("AG AI AR BE BL BS FR GE GL GR JU LU NE NW OW SG SH SO SZ TG TI UR VD VS ZG ZH".split())
UID_FORMAT = re.compile(r"^CHE-(\d{3})\.(\d{3})\.(\d{3})$")
UID_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4)


def validate_swiss_uid(value: str) -> None:
    """The format CHE-123.456.788 and the check digit (modulo 11) of the Federal Statistical Office."""
    match = UID_FORMAT.match(value)
    if not match:
        raise ValidationError(_("Use the format CHE-123.456.788."), code="uid_format")
    digits = [int(digit) for digit in "".join(match.groups())]
    check = 11 - sum(d * w for d, w in zip(digits[:8], UID_WEIGHTS, strict=True)) % 11
    if check == 11:
        check = 0
    if check == 10 or check != digits[8]:
        raise ValidationError(
            _("%(uid)s is not a valid UID: its check digit does not match."), params={"uid": value}, code="uid_check"
        )


def invalid_cantons(codes) -> list[str]:
    return [code for code in codes if code.upper() not in SWISS_CANTONS]
