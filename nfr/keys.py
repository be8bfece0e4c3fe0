"""Licence keys in a product's format: `X` a random letter or digit, `#` a random digit, the rest literal."""

import secrets

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Letters and digits nobody confuses when reading a key aloud or off paper: no 0/O, 1/I.
KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
DIGITS = "0123456789"
ATTEMPTS = 25


def licence_key_random(fmt: str) -> str:
    """One key in `fmt`, from the operating system's cryptographic random source."""
    return "".join(
        secrets.choice(KEY_ALPHABET) if char == "X" else secrets.choice(DIGITS) if char == "#" else char for char in fmt
    )


def licence_key_generate(fmt: str) -> str:
    """A key in `fmt` that no licence has yet; retries on collision.

    Raises `ValidationError` when the format leaves too few keys to find a free one
    (e.g. `KAV-##`): staff must then lengthen the product's key format. The unique
    constraint on `Licence.key` still guards against a concurrent request drawing the
    same key between this check and its insert.
    """
    from .models import Licence

    for _attempt in range(ATTEMPTS):
        key = licence_key_random(fmt)
        if not Licence.objects.filter(key=key).exists():
            return key
    raise ValidationError(
        _("No unused licence key left in the format %(format)s; the product's key format needs more X or #."),
        params={"format": fmt},
        code="keys_exhausted",
    )
