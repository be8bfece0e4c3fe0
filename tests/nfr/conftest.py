"""Factories for NFR licence tests."""

import datetime
import itertools

import pytest
from allauth.account.models import EmailAddress

from nfr.keys import licence_key_random
from nfr.models import Licence, one_year_after
from partners.models import Membership, Product

_numbers = itertools.count(1)


@pytest.fixture
def make_product(db):
    def make(name: str | None = None, **fields) -> Product:
        number = next(_numbers)
        fields.setdefault("nfr_available", True)
        fields.setdefault("licence_key_format", "NFR-####-XXXX-XXXX")
        return Product.objects.create(sku=f"NFR-{number}", name=name or f"Product {number}", **fields)

    return make


@pytest.fixture
def nfr_product(make_product) -> Product:
    return make_product("Anti-Virus Workstation", licence_key_format="AVW-####-XXXX-XXXX")


@pytest.fixture
def make_licence(db, today):
    """A licence as the services would have left it; `issued_on=None` makes a pending request."""

    def make(partner, product, *, issued_on: datetime.date | None = today, requested_by=None, **fields) -> Licence:
        if issued_on is not None:
            fields.setdefault("status", Licence.Status.ISSUED)
            fields.setdefault("key", licence_key_random(product.licence_key_format))
            fields.setdefault("expires_on", one_year_after(issued_on))
        else:
            fields.setdefault("status", Licence.Status.PENDING)
        fields.setdefault("purpose", "Demo system")
        return Licence.objects.create(
            partner=partner, product=product, issued_on=issued_on, requested_by=requested_by, **fields
        )

    return make


@pytest.fixture
def member(make_partner, make_member) -> Membership:
    """A sales member of an active Accredited Reseller (allowance 2 a year)."""
    return make_member(make_partner("Limmat Informatik GmbH"), role=Membership.Role.SALES, first_name="Simone")


@pytest.fixture
def member_client(client, member):
    EmailAddress.objects.create(user=member.user, email=member.user.email, verified=True, primary=True)
    client.force_login(member.user)
    return client
