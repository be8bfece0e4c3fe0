"""Writes of the tier engine and staff decisions: what changes, what is logged, what is refused.

Nominations (four eyes) are in test_nominations.py, the emails in test_tier_emails.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from partners.models import Partner, TierChange
from partners.services import (
    downgrade_apply,
    downgrade_reject,
    partner_approve,
    tier_review,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def lapsed_certified(make_partner, make_purchase, today):
    """A Certified Partner whose volume and people now only qualify for Accredited."""
    partner = make_partner(tier="certified")
    make_purchase(partner, "3000", today)
    return partner


def test_upgrade_applies_at_once_and_is_logged(make_partner, make_purchase, make_certified_technician, today):
    partner = make_partner()
    make_purchase(partner, "10000", today)
    make_certified_technician(partner)

    summary = tier_review(on=today)

    partner.refresh_from_db()
    assert partner.tier.code == "certified"
    assert [e.partner for e in summary.upgrades] == [partner]
    change = TierChange.objects.get(partner=partner)
    assert (change.kind, change.from_tier.code, change.to_tier.code) == ("upgrade", "accredited", "certified")
    assert change.volume_12m == 10000
    assert change.certified_technicians == 1
    assert change.decided_by is None
    assert partner.history.first().history_change_reason == "tier review"


def test_dry_run_writes_nothing(make_partner, make_purchase, make_certified_technician, lapsed_certified, today):
    partner = make_partner()
    make_purchase(partner, "10000", today)
    make_certified_technician(partner)

    summary = tier_review(on=today, dry_run=True)

    assert len(summary.upgrades) == 1
    assert len(summary.proposed_downgrades) == 1
    partner.refresh_from_db()
    lapsed_certified.refresh_from_db()
    assert partner.tier.code == "accredited"
    assert lapsed_certified.proposed_tier is None
    assert not TierChange.objects.exists()


def test_downgrade_is_proposed_then_applied_after_grace_period(lapsed_certified, today):
    grace = lapsed_certified.tier.downgrade_grace_days

    summary = tier_review(on=today)

    lapsed_certified.refresh_from_db()
    assert [e.partner for e in summary.proposed_downgrades] == [lapsed_certified]
    assert lapsed_certified.tier.code == "certified"
    assert (lapsed_certified.proposed_tier.code, lapsed_certified.proposed_on) == ("accredited", today)
    assert not TierChange.objects.exists()

    # Still inside the grace period: the proposal stands, nothing applied, not proposed twice.
    summary = tier_review(on=today + days(grace - 1))
    assert summary.proposed_downgrades == summary.applied_downgrades == []
    lapsed_certified.refresh_from_db()
    assert lapsed_certified.tier.code == "certified"

    summary = tier_review(on=today + days(grace))

    lapsed_certified.refresh_from_db()
    assert [e.partner for e in summary.applied_downgrades] == [lapsed_certified]
    assert lapsed_certified.tier.code == "accredited"
    assert lapsed_certified.proposed_tier is None
    change = TierChange.objects.get(partner=lapsed_certified)
    assert (change.kind, change.to_tier.code) == ("downgrade", "accredited")


def test_grace_period_is_configurable_per_tier(lapsed_certified, tiers, today):
    tiers["certified"].downgrade_grace_days = 0
    tiers["certified"].save()
    tier_review(on=today)

    tier_review(on=today)

    lapsed_certified.refresh_from_db()
    assert lapsed_certified.tier.code == "accredited"


def test_proposal_is_withdrawn_when_the_partner_qualifies_again(
    lapsed_certified, make_purchase, make_certified_technician, today
):
    tier_review(on=today)
    make_purchase(lapsed_certified, "9000", today)
    make_certified_technician(lapsed_certified)

    summary = tier_review(on=today + days(1))

    lapsed_certified.refresh_from_db()
    assert [e.partner for e in summary.withdrawn_proposals] == [lapsed_certified]
    assert lapsed_certified.proposed_tier is None
    assert lapsed_certified.tier.code == "certified"


def test_suspended_partner_is_not_evaluated(make_partner, make_purchase, make_certified_technician, today):
    partner = make_partner(status=Partner.Status.SUSPENDED)
    make_purchase(partner, "50000", today)
    make_certified_technician(partner)

    summary = tier_review(on=today)

    partner.refresh_from_db()
    assert summary.evaluated == 0
    assert partner.tier.code == "accredited"


def test_nominated_partner_is_flagged_never_changed(make_partner, make_purchase, today):
    partner = make_partner(tier="enterprise")
    make_purchase(partner, "100", today)

    summary = tier_review(on=today + days(400))

    partner.refresh_from_db()
    assert [e.partner for e in summary.flags] == [partner]
    assert partner.tier.code == "enterprise"
    assert partner.proposed_tier is None


def test_review_queries_do_not_grow_with_partners(
    make_partner, make_purchase, make_certified_technician, today, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def populate(count):
        for n in range(count):
            partner = make_partner()
            make_purchase(partner, "10000" if n % 2 else "500", today)
            if n % 2:
                make_certified_technician(partner)

    populate(10)
    with CaptureQueriesContext(connection) as ten:
        assert len(tier_review(on=today).upgrades) == 5
    Partner.objects.update(tier=Partner.objects.first().tier)  # back to Accredited
    populate(190)
    with CaptureQueriesContext(connection) as two_hundred:
        assert len(tier_review(on=today).upgrades) == 100

    assert len(two_hundred) == len(ten)


def test_approve_admits_applicant_into_entry_tier(make_partner, staff_user, today):
    applicant = make_partner(status=Partner.Status.APPLIED, tier="certified")

    partner_approve(partner=applicant, actor=staff_user)

    applicant.refresh_from_db()
    assert (applicant.status, applicant.tier.code, applicant.joined_on) == ("active", "accredited", today)
    change = TierChange.objects.get(partner=applicant)
    assert (change.kind, change.decided_by) == ("admission", staff_user)
    with pytest.raises(ValidationError, match="not an open application"):
        partner_approve(partner=applicant, actor=staff_user)


def test_staff_apply_a_proposed_downgrade_early(lapsed_certified, staff_user, today):
    tier_review(on=today)

    downgrade_apply(partner=lapsed_certified, actor=staff_user)

    lapsed_certified.refresh_from_db()
    assert lapsed_certified.tier.code == "accredited"
    change = TierChange.objects.get(partner=lapsed_certified)
    assert (change.kind, change.decided_by) == ("downgrade", staff_user)
    with pytest.raises(ValidationError, match="no proposed downgrade"):
        downgrade_apply(partner=lapsed_certified, actor=staff_user)


def test_staff_reject_a_proposed_downgrade(lapsed_certified, staff_user, today):
    tier_review(on=today)

    with pytest.raises(ValidationError, match="needs a reason"):
        downgrade_reject(partner=lapsed_certified, reason="", actor=staff_user)
    downgrade_reject(partner=lapsed_certified, reason="Big order signed", actor=staff_user)

    lapsed_certified.refresh_from_db()
    assert lapsed_certified.tier.code == "certified"
    assert lapsed_certified.proposed_tier is None
    assert lapsed_certified.history.first().history_change_reason == "Downgrade rejected: Big order signed"
    assert not TierChange.objects.exists()
