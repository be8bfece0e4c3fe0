"""Requesting, approving, rejecting and renewing NFR licences against the yearly allowance."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from nfr.models import Licence, one_year_after
from nfr.services import licence_allowance, licence_approve, licence_reject, licence_renew, licence_request
from partners.models import Partner

pytestmark = pytest.mark.django_db

ALLOWANCES = {"accredited": 2, "certified": 5, "enterprise": 10}


def request(partner, product, user, purpose="Demo system for customer presentations"):
    return licence_request(partner=partner, product=product, purpose=purpose, requested_by=user)


# Issue at once within the allowance ----------------------------------------------------


def test_within_the_allowance_a_licence_is_issued_at_once(member, nfr_product, today):
    licence = request(member.partner, nfr_product, member.user)

    assert licence.status == Licence.Status.ISSUED
    assert re.fullmatch(r"AVW-\d{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", licence.key)
    assert licence.issued_on == today
    assert licence.expires_on == one_year_after(today)
    assert licence.decided_by is None
    assert licence.requested_by == member.user
    assert licence.history.get().history_user == member.user


@pytest.mark.parametrize("tier", ALLOWANCES)
def test_each_tier_gets_its_yearly_allowance_then_requests_wait(tier, make_partner, make_member, nfr_product):
    partner = make_partner(tier=tier)
    user = make_member(partner).user

    licences = [request(partner, nfr_product, user) for _ in range(ALLOWANCES[tier] + 2)]

    statuses = [licence.status for licence in licences]
    assert statuses == [Licence.Status.ISSUED] * ALLOWANCES[tier] + [Licence.Status.PENDING] * 2
    assert all(licence.key == "" and licence.issued_on is None for licence in licences[-2:])


def test_the_allowance_is_the_tiers_current_figure(make_partner, make_member, nfr_product, tiers):
    tiers["accredited"].nfr_licences_per_year = 0
    tiers["accredited"].save()
    partner = make_partner()

    licence = request(partner, nfr_product, make_member(partner).user)

    assert licence.status == Licence.Status.PENDING


def test_licences_of_last_year_do_not_count(member, nfr_product, make_licence, today):
    last_year = today.replace(year=today.year - 1, month=12, day=31)
    make_licence(member.partner, nfr_product, issued_on=last_year)
    make_licence(member.partner, nfr_product, issued_on=last_year)

    assert licence_allowance(partner=member.partner).used == 0
    assert request(member.partner, nfr_product, member.user).status == Licence.Status.ISSUED
    assert request(member.partner, nfr_product, member.user).status == Licence.Status.ISSUED
    assert request(member.partner, nfr_product, member.user).status == Licence.Status.PENDING


def test_pending_and_rejected_requests_do_not_use_the_allowance(member, nfr_product, make_licence):
    make_licence(member.partner, nfr_product, issued_on=None)
    make_licence(member.partner, nfr_product, issued_on=None, status=Licence.Status.REJECTED)

    assert licence_allowance(partner=member.partner).used == 0
    assert request(member.partner, nfr_product, member.user).status == Licence.Status.ISSUED


def test_another_partners_licences_do_not_count(member, make_partner, nfr_product, make_licence):
    other = make_partner()
    make_licence(other, nfr_product)
    make_licence(other, nfr_product)

    assert licence_allowance(partner=member.partner).used == 0


def test_allowance_rule_holds_for_a_burst_of_requests(make_partner, make_member, nfr_product, tiers):
    """The rule of the PostgreSQL concurrency test below, one request after the other (any database)."""
    tiers["enterprise"].nfr_licences_per_year = 10
    tiers["enterprise"].save()
    partner = make_partner(tier="enterprise")
    user = make_member(partner).user

    for _ in range(50):
        request(partner, nfr_product, user)

    assert Licence.objects.filter(partner=partner, status=Licence.Status.ISSUED).count() == 10
    assert Licence.objects.filter(partner=partner, status=Licence.Status.PENDING).count() == 40
    assert len(set(Licence.objects.issued().values_list("key", flat=True))) == 10


# Refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("product_fields", "message"),
    [
        ({"nfr_available": False}, "Mail Gateway is not offered as an NFR licence."),
        ({"is_active": False}, "Mail Gateway is not offered as an NFR licence."),
    ],
)
def test_product_must_be_an_active_nfr_product(member, make_product, product_fields, message):
    product = make_product("Mail Gateway", **product_fields)

    with pytest.raises(ValidationError) as refused:
        request(member.partner, product, member.user)

    assert refused.value.message_dict == {"product": [message]}
    assert not Licence.objects.exists()


@pytest.mark.parametrize("status", [Partner.Status.SUSPENDED, Partner.Status.ENDED, Partner.Status.APPLIED])
def test_partner_must_be_active(member, nfr_product, status):
    Partner.objects.filter(pk=member.partner.pk).update(status=status)

    with pytest.raises(ValidationError) as refused:
        request(member.partner, nfr_product, member.user)

    assert refused.value.messages == [
        f"NFR licences are for active partners; Limmat Informatik GmbH is {status.label.lower()}."
    ]
    assert not Licence.objects.exists()


@pytest.mark.parametrize("purpose", ["", "   \n"])
def test_purpose_is_required(member, nfr_product, purpose):
    with pytest.raises(ValidationError) as refused:
        request(member.partner, nfr_product, member.user, purpose=purpose)

    assert refused.value.message_dict == {"purpose": ["Say what the licence is for."]}
    assert not Licence.objects.exists()


# Approval and rejection ------------------------------------------------------------


@pytest.fixture
def pending(member, nfr_product, make_licence):
    """A request beyond the exhausted allowance, by a German-speaking member."""
    member.user.language = "de"
    member.user.save()
    make_licence(member.partner, nfr_product)
    make_licence(member.partner, nfr_product)
    return request(member.partner, nfr_product, member.user)


def test_approval_issues_beyond_the_allowance_and_emails_the_requester(
    pending, staff_user, member, today, mailoutbox, django_capture_on_commit_callbacks
):
    assert pending.status == Licence.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        licence = licence_approve(licence=pending, actor=staff_user)

    licence.refresh_from_db()
    assert (licence.status, licence.issued_on, licence.decided_by) == (Licence.Status.ISSUED, today, staff_user)
    assert re.fullmatch(r"AVW-\d{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", licence.key)
    assert licence_allowance(partner=member.partner).used == 3
    assert licence.history.first().history_user == staff_user
    (email,) = mailoutbox
    assert email.to == [member.user.email]
    assert "Anti-Virus Workstation" in email.subject
    # In the person's language: the link leads to the German extranet. The key itself stays in the extranet.
    assert "/de/extranet/licences/" in email.body
    assert licence.key not in email.body
    assert "/de/extranet/licences/" in email.alternatives[0].content


def test_rejection_needs_a_reason(pending, staff_user, mailoutbox):
    with pytest.raises(ValidationError) as refused:
        licence_reject(licence=pending, reason="  ", actor=staff_user)

    assert refused.value.message_dict == {"reason": ["Rejecting a licence request needs a reason."]}
    pending.refresh_from_db()
    assert pending.status == Licence.Status.PENDING
    assert not mailoutbox


def test_rejection_emails_the_reason(pending, staff_user, member, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        licence_reject(licence=pending, reason="Two lab licences are enough this year.", actor=staff_user)

    pending.refresh_from_db()
    assert pending.status == Licence.Status.REJECTED
    assert pending.rejection_reason == "Two lab licences are enough this year."
    assert (pending.key, pending.decided_by) == ("", staff_user)
    (email,) = mailoutbox
    assert email.to == [member.user.email]
    assert "Two lab licences are enough this year." in email.body
    assert "Two lab licences are enough this year." in email.alternatives[0].content
    assert "/de/extranet/licences/" in email.body


def test_no_email_before_the_decision_is_committed(pending, staff_user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        licence_approve(licence=pending, actor=staff_user)

    assert len(callbacks) == 1
    assert not mailoutbox


@pytest.mark.parametrize(
    "decide",
    [
        lambda licence, actor: licence_approve(licence=licence, actor=actor),
        lambda licence, actor: licence_reject(licence=licence, reason="No.", actor=actor),
    ],
    ids=["approve", "reject"],
)
def test_only_pending_requests_are_decided(member, nfr_product, make_licence, staff_user, decide, mailoutbox):
    issued = make_licence(member.partner, nfr_product)

    with pytest.raises(ValidationError) as refused:
        decide(issued, staff_user)

    assert refused.value.messages == [
        "The request of Limmat Informatik GmbH for Anti-Virus Workstation is not awaiting approval; it is issued."
    ]
    assert not mailoutbox


def test_approval_refused_once_the_partner_is_suspended(pending, staff_user):
    Partner.objects.filter(pk=pending.partner_id).update(status=Partner.Status.SUSPENDED)

    with pytest.raises(ValidationError, match="active partners"):
        licence_approve(licence=pending, actor=staff_user)


def test_approval_refused_once_the_product_is_withdrawn(pending, staff_user, nfr_product):
    nfr_product.nfr_available = False
    nfr_product.save()

    with pytest.raises(ValidationError, match="not offered as an NFR licence"):
        licence_approve(licence=pending, actor=staff_user)


def test_requester_who_was_deleted_gets_no_email(pending, staff_user, member, mailoutbox):
    Licence.objects.filter(pk=pending.pk).update(requested_by=None)
    pending.refresh_from_db()

    licence_approve(licence=pending, actor=staff_user)

    assert not mailoutbox


# Renewal -----------------------------------------------------------------------------


def expiring(make_licence, member, product, today, *, in_days: int):
    """A licence issued last year that expires in `in_days` days (negative: expired)."""
    expires_on = today + datetime.timedelta(days=in_days)
    issued_on = min(expires_on - datetime.timedelta(days=365), today.replace(year=today.year - 1, month=12, day=31))
    return make_licence(member.partner, product, issued_on=issued_on, expires_on=expires_on)


@pytest.mark.parametrize("in_days", [30, 1, 0, -1, -400])
def test_renewal_within_30_days_of_expiry_or_after(member, nfr_product, make_licence, today, in_days):
    old = expiring(make_licence, member, nfr_product, today, in_days=in_days)

    renewal = licence_renew(licence=old, requested_by=member.user)

    assert (renewal.status, renewal.renewal_of, renewal.issued_on) == (Licence.Status.ISSUED, old, today)
    assert (renewal.product, renewal.purpose) == (old.product, old.purpose)
    assert renewal.key != old.key


def test_no_renewal_earlier_than_30_days_before_expiry(member, nfr_product, make_licence, today):
    old = expiring(make_licence, member, nfr_product, today, in_days=31)

    with pytest.raises(ValidationError) as refused:
        licence_renew(licence=old, requested_by=member.user)

    renewable_from = (today + datetime.timedelta(days=1)).isoformat()
    assert refused.value.messages == [f"This licence can be renewed from {renewable_from}, 30 days before it expires."]
    assert Licence.objects.count() == 1


def test_a_renewal_counts_against_this_years_allowance(member, nfr_product, make_licence, today):
    old = expiring(make_licence, member, nfr_product, today, in_days=10)
    make_licence(member.partner, nfr_product)
    make_licence(member.partner, nfr_product)

    renewal = licence_renew(licence=old, requested_by=member.user)

    assert (renewal.status, renewal.renewal_of) == (Licence.Status.PENDING, old)


def test_a_licence_is_renewed_once(member, nfr_product, make_licence, today, staff_user):
    old = expiring(make_licence, member, nfr_product, today, in_days=10)
    licence_renew(licence=old, requested_by=member.user)

    with pytest.raises(ValidationError, match="already been renewed"):
        licence_renew(licence=old, requested_by=member.user)


def test_a_rejected_renewal_may_be_asked_again(member, nfr_product, make_licence, today, staff_user):
    old = expiring(make_licence, member, nfr_product, today, in_days=10)
    make_licence(member.partner, nfr_product)
    make_licence(member.partner, nfr_product)
    licence_reject(licence=licence_renew(licence=old, requested_by=member.user), reason="Not now.", actor=staff_user)

    assert licence_renew(licence=old, requested_by=member.user).status == Licence.Status.PENDING


def test_no_renewal_once_the_product_is_withdrawn(member, nfr_product, make_licence, today):
    old = expiring(make_licence, member, nfr_product, today, in_days=10)
    nfr_product.nfr_available = False
    nfr_product.save()

    with pytest.raises(ValidationError) as refused:
        licence_renew(licence=old, requested_by=member.user)

    assert refused.value.messages == ["Anti-Virus Workstation is no longer offered as an NFR licence."]


def test_no_renewal_for_a_partner_no_longer_active(member, nfr_product, make_licence, today):
    old = expiring(make_licence, member, nfr_product, today, in_days=10)
    Partner.objects.filter(pk=member.partner.pk).update(status=Partner.Status.SUSPENDED)

    with pytest.raises(ValidationError, match="active partners"):
        licence_renew(licence=old, requested_by=member.user)


@pytest.mark.parametrize("status", [Licence.Status.PENDING, Licence.Status.REJECTED])
def test_only_issued_licences_are_renewed(member, nfr_product, make_licence, status):
    request_ = make_licence(member.partner, nfr_product, issued_on=None, status=status)

    with pytest.raises(ValidationError, match="Only an issued licence can be renewed."):
        licence_renew(licence=request_, requested_by=member.user)


# Reads -------------------------------------------------------------------------------


def test_querysets(member, make_partner, nfr_product, make_licence, today):
    partner = member.partner
    current = make_licence(partner, nfr_product)
    expired = make_licence(
        partner,
        nfr_product,
        issued_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=35),
    )
    pending_ = make_licence(partner, nfr_product, issued_on=None)
    theirs = make_licence(make_partner(), nfr_product)

    assert set(Licence.objects.for_partner(partner)) == {current, expired, pending_}
    assert set(Licence.objects.current()) == {current, theirs}
    assert set(Licence.objects.expired()) == {expired}
    assert set(Licence.objects.counting_against_allowance(partner, today.year)) == {current}
    assert expired.display_status(today) == "Expired"
    assert current.display_status(today) == "Issued"
    assert pending_.display_status(today) == "Awaiting approval"
