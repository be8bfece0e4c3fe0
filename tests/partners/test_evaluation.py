"""The tier engine's reading side: qualification, margins, gaps, and their exact edges."""

import datetime
from decimal import Decimal

import pytest

from partners.evaluation import Programme, evaluate_partner, evaluate_partners
from partners.models import MarginBand, Partner
from partners.models.organisations import one_year_before

pytestmark = pytest.mark.django_db


def test_volume_exactly_at_threshold_qualifies(make_partner, make_purchase, make_certified_technician, today):
    partner = make_partner()
    make_certified_technician(partner)
    make_purchase(partner, "9999.99", today)

    assert evaluate_partner(partner, on=today).qualified.code == "accredited"

    make_purchase(partner, "0.01", today)

    assert evaluate_partner(partner, on=today).qualified.code == "certified"


def test_certification_expiring_today_counts_today_not_tomorrow(
    make_partner, make_purchase, make_certified_technician, today
):
    partner = make_partner()
    make_purchase(partner, "12000", today)
    make_certified_technician(partner, expires_on=today)

    assert evaluate_partner(partner, on=today).certified_technicians == 1
    assert evaluate_partner(partner, on=today).qualified.code == "certified"
    tomorrow = today + datetime.timedelta(days=1)
    assert evaluate_partner(partner, on=tomorrow).certified_technicians == 0
    assert evaluate_partner(partner, on=tomorrow).qualified.code == "accredited"


def test_purchase_exactly_twelve_months_old_no_longer_counts(make_partner, make_purchase, today):
    partner = make_partner()
    make_purchase(partner, "700", one_year_before(today))
    make_purchase(partner, "300", one_year_before(today) + datetime.timedelta(days=1))

    assert evaluate_partner(partner, on=today).volume_12m == Decimal("300")


def test_future_purchases_do_not_count_yet(make_partner, make_purchase, today):
    partner = make_partner()
    make_purchase(partner, "500", today + datetime.timedelta(days=1))

    assert evaluate_partner(partner, on=today).volume_12m == 0


def test_one_year_before_29_february():
    assert one_year_before(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


def test_partner_without_purchases_gets_entry_tier_and_full_gap(make_partner, today):
    evaluation = evaluate_partner(make_partner(), on=today)

    assert evaluation.volume_12m == 0
    assert evaluation.certified_technicians == 0
    assert evaluation.qualified.code == "accredited"
    assert evaluation.next_tier.code == "certified"
    assert evaluation.missing_for_next == ["EUR 10,000 more purchase volume", "1 certified technician"]
    assert evaluation.missing_for_held == ["EUR 1,000 more purchase volume"]
    assert evaluation.margin == Decimal("18.00")


def test_gap_names_what_is_missing(make_partner, make_purchase, today):
    partner = make_partner()
    make_purchase(partner, "7600", today)

    assert evaluate_partner(partner, on=today).missing_for_next == [
        "EUR 2,400 more purchase volume",
        "1 certified technician",
    ]


def test_nomination_tier_never_reached_by_evaluation(make_partner, make_purchase, make_certified_technician, today):
    partner = make_partner(tier="certified")
    make_purchase(partner, "1000000", today)
    for _ in range(5):
        make_certified_technician(partner)

    evaluation = evaluate_partner(partner, on=today)

    assert evaluation.qualified.code == "certified"
    assert not evaluation.is_upgrade
    assert evaluation.missing_for_next == ["a nomination by the vendor"]


def test_nominated_partner_below_certified_criteria_is_flagged(make_partner, make_purchase, today):
    partner = make_partner(tier="enterprise")
    make_purchase(partner, "60000", today)

    evaluation = evaluate_partner(partner, on=today)

    assert evaluation.is_flagged
    assert evaluation.missing_for_held == ["1 certified technician"]
    assert not evaluation.is_downgrade


def test_nominated_partner_meeting_certified_criteria_is_not_flagged(
    make_partner, make_purchase, make_certified_technician, today
):
    partner = make_partner(tier="enterprise")
    make_purchase(partner, "10000", today)
    make_certified_technician(partner)

    assert not evaluate_partner(partner, on=today).is_flagged


def test_certification_of_a_former_member_does_not_count(make_partner, make_certified_technician, today):
    partner = make_partner()
    certification = make_certified_technician(partner)
    certification.holder.membership.delete()

    assert evaluate_partner(partner, on=today).certified_technicians == 0


def test_two_certifications_of_one_person_count_once(make_partner, make_certified_technician, today):
    partner = make_partner()
    first = make_certified_technician(partner)
    first.pk, first.number = None, "CERT-SECOND"
    first.save()

    assert evaluate_partner(partner, on=today).certified_technicians == 1


def test_margin_by_volume_band(tiers, today):
    programme = Programme.load()

    assert programme.margin(tiers["accredited"], Decimal("4999.99"), today) == Decimal("18")
    assert programme.margin(tiers["accredited"], Decimal("5000"), today) == Decimal("20")
    assert programme.margin(tiers["enterprise"], Decimal("250000"), today) == Decimal("35")


def test_margins_span_18_to_35_percent_by_default(db):
    margins = MarginBand.objects.values_list("margin_percent", flat=True)

    assert (min(margins), max(margins)) == (Decimal("18"), Decimal("35"))


def test_past_period_keeps_the_margin_that_applied_then(tiers):
    change = datetime.date(2027, 1, 1)
    MarginBand.objects.create(
        tier=tiers["accredited"], min_volume=0, margin_percent=Decimal("19"), effective_from=change
    )
    programme = Programme.load()

    assert programme.margin(tiers["accredited"], Decimal("100"), change - datetime.timedelta(days=1)) == Decimal("18")
    assert programme.margin(tiers["accredited"], Decimal("100"), change) == Decimal("19")
    # A higher band of the old schedule is untouched by the new entry band.
    assert programme.margin(tiers["accredited"], Decimal("6000"), change) == Decimal("20")


def test_evaluating_many_partners_costs_the_same_queries_as_few(
    make_partner, make_purchase, today, django_assert_num_queries
):
    for _ in range(3):
        make_purchase(make_partner(), "2000", today)

    with django_assert_num_queries(3):
        assert len(list(evaluate_partners(Partner.objects.all(), on=today))) == 3
