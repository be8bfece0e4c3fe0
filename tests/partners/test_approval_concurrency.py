"""Channel managers approving the same application at the same moment admit it once (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from partners.models import Membership, Partner, TierChange
from partners.services import partner_approve

MANAGERS = 8


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_admit_the_applicant_once(make_partner, make_member, make_user, mailoutbox):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL's row locks (SELECT ... FOR UPDATE); this run uses {connection.vendor}. "
            "Run with DATABASE_URL=postgres://... (CI does)."
        )
    applicant = make_partner("Applicant AG", status=Partner.Status.APPLIED)
    make_member(applicant, role=Membership.Role.OWNER)
    managers = [make_user(f"manager{n}@example.com", is_staff=True) for n in range(MANAGERS)]
    start = threading.Barrier(MANAGERS)
    approved: list[str] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def approve(manager) -> None:
        try:
            start.wait(timeout=30)  # every manager presses the button at once
            partner_approve(partner=applicant, actor=manager)
            approved.append(manager.email)
        except ValidationError as error:
            refused.append(" ".join(error.messages))
        except BaseException as error:  # noqa: BLE001 - reported below, with every other thread's
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(manager,)) for manager in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert len(approved) == 1
    assert refused == ["Applicant AG is not an open application."] * (MANAGERS - 1)
    applicant.refresh_from_db()
    assert applicant.status == Partner.Status.ACTIVE
    admissions = TierChange.objects.filter(partner=applicant, kind=TierChange.Kind.ADMISSION)
    assert admissions.count() == 1
    assert admissions.get().decided_by.email == approved[0]
    assert len(mailoutbox) == 1
