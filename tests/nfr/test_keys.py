"""Licence keys: the product's format, an unambiguous alphabet, never the same key twice."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nfr import keys
from nfr.keys import KEY_ALPHABET, licence_key_generate, licence_key_random


def test_key_follows_the_format():
    key = licence_key_random("KAV-####-XXXX/xX")

    assert re.fullmatch(rf"KAV-\d{{4}}-[{KEY_ALPHABET}]{{4}}/x[{KEY_ALPHABET}]", key), key


def test_keys_avoid_characters_people_confuse():
    drawn = "".join(licence_key_random("XXXXXXXXXX") for _ in range(300))

    assert not set(drawn) & set("0O1I")
    assert set(drawn) == set(KEY_ALPHABET)  # 3,000 draws reach every character


def test_digit_placeholders_use_every_digit():
    drawn = "".join(licence_key_random("##########") for _ in range(100))

    assert set(drawn) == set("0123456789")


def test_keys_come_from_the_secrets_module(monkeypatch):
    drawn = []
    monkeypatch.setattr(keys.secrets, "choice", lambda alphabet: drawn.append(alphabet) or alphabet[-1])

    assert licence_key_random("A-X#") == "A-99"
    assert drawn == [KEY_ALPHABET, "0123456789"]


def test_generate_retries_on_a_key_already_issued(monkeypatch, make_partner, nfr_product, make_licence):
    make_licence(make_partner(), nfr_product, key="AVW-1111-AAAA-AAAA")
    draws = iter(["AVW-1111-AAAA-AAAA", "AVW-1111-AAAA-AAAA", "AVW-2222-BBBB-BBBB"])
    monkeypatch.setattr(keys, "licence_key_random", lambda fmt: next(draws))

    assert licence_key_generate(nfr_product.licence_key_format) == "AVW-2222-BBBB-BBBB"


def test_generate_gives_up_with_a_clear_message_when_the_format_is_exhausted(make_partner, make_product, make_licence):
    tiny = make_product(licence_key_format="T-#")
    partner = make_partner()
    for digit in range(10):
        make_licence(partner, tiny, key=f"T-{digit}")

    with pytest.raises(ValidationError) as refused:
        licence_key_generate("T-#")

    assert refused.value.messages == [
        "No unused licence key left in the format T-#; the product's key format needs more X or #."
    ]


@pytest.mark.django_db
def test_issued_keys_are_unique_in_the_database(make_partner, nfr_product, make_licence):
    make_licence(make_partner(), nfr_product, key="AVW-1234-ABCD-EFGH")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_licence(make_partner(), nfr_product, key="AVW-1234-ABCD-EFGH")
    # Pending requests have no key yet, and there may be many of them.
    make_licence(make_partner(), nfr_product, issued_on=None)
    make_licence(make_partner(), nfr_product, issued_on=None)
