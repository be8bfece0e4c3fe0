"""50 simultaneous requests against an allowance of 10 issue exactly 10 (PostgreSQL, real row locks)."""

import threading

import pytest
from django.db import connection, connections

from nfr.models import Licence
from nfr.services import licence_request

REQUESTS = 50
ALLOWANCE = 10


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_never_exceed_the_allowance(make_partner, make_member, nfr_product, tiers):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL's row locks (SELECT ... FOR UPDATE); this run uses {connection.vendor}. "
            "Run with DATABASE_URL=postgres://... (CI does)."
        )
    tiers["enterprise"].nfr_licences_per_year = ALLOWANCE
    tiers["enterprise"].save()
    partner = make_partner(tier="enterprise")
    user = make_member(partner).user
    start = threading.Barrier(REQUESTS)
    errors: list[BaseException] = []

    def ask(number: int) -> None:
        try:
            start.wait(timeout=30)  # all threads hit the database at once
            licence_request(partner=partner, product=nfr_product, purpose=f"Lab {number}", requested_by=user)
        except BaseException as error:  # noqa: BLE001 - reported below, with every other thread's
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    licences = Licence.objects.filter(partner=partner)
    assert licences.count() == REQUESTS
    assert licences.filter(status=Licence.Status.ISSUED).count() == ALLOWANCE
    assert licences.filter(status=Licence.Status.PENDING).count() == REQUESTS - ALLOWANCE
    assert len(set(licences.issued().values_list("key", flat=True))) == ALLOWANCE
