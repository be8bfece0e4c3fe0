"""Writes on NFR licences. Each is one transaction; the licence's history records who did it.

Allocation against the allowance is serialised per partner by locking the partner row,
so concurrent requests cannot both take the last licence of the year.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_user
from accounts.models import User
from partners.models import Partner, Product

from .keys import licence_key_generate
from .models import Licence, one_year_after


@dataclass(frozen=True)
class Allowance:
    """How much of a partner's yearly NFR allowance is used."""

    year: int
    used: int
    total: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.used, 0)

    @property
    def issues_at_once(self) -> bool:
        """Whether a request now is issued at once rather than waiting for approval."""
        return self.used < self.total


def licence_allowance(*, partner: Partner, on: datetime.date | None = None) -> Allowance:
    """The partner's allowance in the calendar year of `on`; reads `partner.tier`."""
    year = (on or timezone.localdate()).year
    used = Licence.objects.counting_against_allowance(partner, year).count()
    return Allowance(year=year, used=used, total=partner.tier.nfr_licences_per_year)


def _locked_partner(partner: Partner) -> Partner:
    return Partner.objects.select_for_update(of=("self",)).select_related("tier").get(pk=partner.pk)


def _check_partner(partner: Partner) -> None:
    if partner.status != Partner.Status.ACTIVE:
        raise ValidationError(
            _("NFR licences are for active partners; %(partner)s is %(status)s.")
            % {"partner": partner.name, "status": partner.get_status_display().lower()},
            code="partner_inactive",
        )


def _check_product(product: Product) -> None:
    if not (product.nfr_available and product.is_active):
        raise ValidationError(
            {"product": _("%(product)s is not offered as an NFR licence.") % {"product": product.name}},
            code="not_nfr",
        )


def _issue(licence: Licence, *, today: datetime.date) -> None:
    licence.status = Licence.Status.ISSUED
    licence.key = licence_key_generate(licence.product.licence_key_format)
    licence.issued_on = today
    licence.expires_on = one_year_after(today)


def _allocate(*, partner: Partner, product: Product, purpose: str, requested_by: User, renewal_of=None) -> Licence:
    """Within the year's allowance issue at once, beyond it leave the request for a channel manager.

    The caller holds the lock on the partner row.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    licence = Licence(
        partner=partner,
        product=product,
        purpose=purpose,
        requested_by=requested_by,
        renewal_of=renewal_of,
        created_at=now,
    )
    if licence_allowance(partner=partner, on=today).issues_at_once:
        _issue(licence, today=today)
        licence.decided_at = now
    licence._history_user = requested_by
    licence._change_reason = "issued within the allowance" if licence.key else "awaiting approval"
    licence.save()
    return licence


@transaction.atomic
def licence_request(*, partner: Partner, product: Product, purpose: str, requested_by: User) -> Licence:
    """Request an NFR licence for `partner`: issued at once within the allowance, else pending approval.

    Safe under concurrency: the partner row is locked while its issued licences of the
    year are counted, so N simultaneous requests never issue more than the allowance.
    """
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("Say what the licence is for.")}, code="required")
    _check_product(product)
    partner = _locked_partner(partner)
    _check_partner(partner)
    return _allocate(partner=partner, product=product, purpose=purpose, requested_by=requested_by)


@transaction.atomic
def licence_renew(*, licence: Licence, requested_by: User) -> Licence:
    """A new licence replacing `licence`, counted against this year's allowance like a new request.

    Only while the partner is active and the product still offered as NFR, for an issued
    licence that expires within `RENEWAL_WINDOW_DAYS` or has expired, once.
    """
    partner = _locked_partner(licence.partner)
    _check_partner(partner)
    licence = Licence.objects.select_related("product").get(pk=licence.pk)
    refusal = licence.renewal_refusal(timezone.localdate())
    if refusal:
        raise ValidationError(refusal, code="not_renewable")
    return _allocate(
        partner=partner,
        product=licence.product,
        purpose=licence.purpose,
        requested_by=requested_by,
        renewal_of=licence,
    )


def _locked_pending(licence: Licence) -> Licence:
    licence = Licence.objects.select_for_update(of=("self",)).select_related("product", "partner").get(pk=licence.pk)
    if licence.status != Licence.Status.PENDING:
        raise ValidationError(
            _("The request of %(partner)s for %(product)s is not awaiting approval; it is %(status)s.")
            % {
                "partner": licence.partner.name,
                "product": licence.product.name,
                "status": licence.display_status().lower(),
            },
            code="not_pending",
        )
    return licence


def _notify_requester(licence: Licence, template: str) -> None:
    """Email the person who asked, once the decision is committed."""
    if licence.requested_by is None:
        return
    # Robust: a mail server that is down must not turn a committed decision into an error page.
    transaction.on_commit(
        lambda: email_user(user=licence.requested_by, template=template, context={"licence": licence}), robust=True
    )


@transaction.atomic
def licence_approve(*, licence: Licence, actor: User) -> Licence:
    """Issue a pending request, beyond the allowance if need be: that is what approval is for."""
    licence = _locked_pending(licence)
    _check_partner(licence.partner)
    _check_product(licence.product)
    _issue(licence, today=timezone.localdate())
    licence.decided_by, licence.decided_at = actor, timezone.now()
    licence._history_user = actor
    licence._change_reason = "approved"
    licence.save()
    _notify_requester(licence, "emails/nfr/licence_approved")
    return licence


@transaction.atomic
def licence_reject(*, licence: Licence, reason: str, actor: User) -> Licence:
    """Refuse a pending request; the requester gets the reason by email, in their language."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Rejecting a licence request needs a reason.")}, code="required")
    licence = _locked_pending(licence)
    licence.status = Licence.Status.REJECTED
    licence.rejection_reason = reason
    licence.decided_by, licence.decided_at = actor, timezone.now()
    licence._history_user = actor
    licence._change_reason = "rejected"
    licence.save()
    _notify_requester(licence, "emails/nfr/licence_rejected")
    return licence
