import pytest
from django.core.exceptions import ValidationError

from partners.models import Partner, Territory
from partners.validators import validate_swiss_uid


@pytest.mark.parametrize("uid", ["CHE-123.456.788", "CHE-116.281.710", "CHE-109.322.551"])
def test_valid_uids_pass(uid):
    validate_swiss_uid(uid)


@pytest.mark.parametrize(
    ("uid", "problem"),
    [("CHE-123.456.789", "check digit"), ("CHE-123.456.780", "check digit"), ("CHE-123456789", "format")],
)
def test_wrong_uids_are_named(uid, problem):
    with pytest.raises(ValidationError, match=problem):
        validate_swiss_uid(uid)


@pytest.mark.django_db
def test_a_swiss_partner_needs_a_real_canton(tiers):
    partner = Partner(name="Zug IT", slug="zug-it", tier=tiers["accredited"], country="CH", region="Zug")

    with pytest.raises(ValidationError, match="not a Swiss canton"):
        partner.full_clean()

    partner.region = "ZG"
    partner.full_clean()


def test_swiss_territories_list_real_cantons():
    territory = Territory(code="ch-x", name="X", country="CH", regions="ZH, XX, ZZ")

    with pytest.raises(ValidationError, match="Not Swiss cantons: XX, ZZ"):
        territory.clean()
    Territory(code="de", name="Germany", country="DE", regions="BY, XX").clean()
