"""Becoming a partner: applying, and the channel manager's approval or rejection."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.emails import email_user
from accounts.models import User

from ..evaluation import Programme, evaluate_partner
from ..models import Membership, Partner, TierChange
from .distributors import distributor_for_territory, territory_for_address
from .tiers import locked_partner, log_tier_change


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "partner"
    taken = set(Partner.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def account_for_email(email: str) -> User | None:
    """The person who has `email` as an address, primary or not, whatever its case."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address else None
    return user


@dataclass(frozen=True)
class Applicant:
    """The person applying for their company; they become the partner's owner."""

    first_name: str
    last_name: str
    email: str
    password: str
    language: str


@transaction.atomic
def partner_apply(
    *, partner: Partner, languages: Iterable, services: Iterable, applicant: Applicant, request: HttpRequest
) -> Partner | None:
    """Record a company's application and its applicant's account, then send the verification email.

    `partner` is an unsaved Partner with the company data. It is saved as an application
    in the entry tier, with the territory and distributor of its address; the applicant
    becomes its owner with an unverified address. Nothing is admitted here: staff approve.

    When the address already has an account, nothing is written and None is returned:
    the account's holder is told by email instead, so that the form answers the same
    whether an address is known or not (no enumeration of accounts).
    """
    existing = account_for_email(applicant.email)
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=applicant.email,
                    password=applicant.password,
                    first_name=applicant.first_name,
                    last_name=applicant.last_name,
                    language=applicant.language,
                )
        except IntegrityError:  # the same address applied at the same moment
            existing = account_for_email(applicant.email)
    if existing is not None:
        transaction.on_commit(partial(application_address_taken_notify, user=existing))
        return None
    partner.status = Partner.Status.APPLIED
    partner.tier = Programme.load().entry_tier
    partner.slug = _unique_slug(partner.name)
    partner.territory = territory_for_address(country=partner.country, region=partner.region)
    partner.distributor = distributor_for_territory(partner.territory)
    partner._history_user = user
    partner.save()
    partner.languages.set(languages)
    partner.services.set(services)
    Membership.objects.create(user=user, partner=partner, role=Membership.Role.OWNER)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    transaction.on_commit(partial(_send_verification, request=request, address=address))
    return partner


def _send_verification(*, request: HttpRequest, address: EmailAddress) -> None:
    # allauth renders its email in the active language, and its link carries that language's
    # URL prefix. It reads the request from its context, which a deferred call may run outside of.
    with request_context(request), translation.override(address.user.language):
        address.send_confirmation(request, signup=True)


@transaction.atomic
def partner_reject(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Turn down an application with a reason, which the applicant receives by email."""
    if not reason.strip():
        raise ValidationError(_("Rejecting an application needs a reason."))
    partner = locked_partner(partner)
    if partner.status != Partner.Status.APPLIED:
        raise ValidationError(_("%(partner)s is not an open application.") % {"partner": partner})
    partner.status = Partner.Status.REJECTED
    partner.rejection_reason = reason.strip()
    partner._history_user = actor
    partner._change_reason = _("Application rejected.")
    partner.save()
    transaction.on_commit(partial(application_rejected_notify, partner=partner))
    return partner


def _owners(partner: Partner):
    return User.objects.filter(
        membership__partner=partner, membership__role=Membership.Role.OWNER, is_active=True
    ).order_by("pk")


def application_approved_notify(*, partner: Partner) -> None:
    """Welcome the owners of a newly admitted partner, each in their own language."""
    for owner in _owners(partner):
        email_user(user=owner, template="emails/partners/application_approved", context={"partner": partner})


def application_rejected_notify(*, partner: Partner) -> None:
    """Tell the applicants why their application was turned down."""
    for owner in _owners(partner):
        email_user(user=owner, template="emails/partners/application_rejected", context={"partner": partner})


def application_address_taken_notify(*, user: User) -> None:
    """Tell an account's holder that somebody applied with their address; they need not do anything."""
    email_user(user=user, template="emails/partners/application_address_taken", context={})


@transaction.atomic
def partner_approve(*, partner: Partner, actor: User) -> Partner:
    """Admit an applicant into the programme's entry tier."""
    partner = locked_partner(partner)
    if partner.status != Partner.Status.APPLIED:
        raise ValidationError(_("%(partner)s is not an open application.") % {"partner": partner})
    programme = Programme.load()
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    partner.status = Partner.Status.ACTIVE
    partner.tier = programme.entry_tier
    partner.joined_on = partner.joined_on or timezone.localdate()
    partner._history_user = actor
    partner.save()
    log_tier_change(
        evaluation,
        kind=TierChange.Kind.ADMISSION,
        to_tier=programme.entry_tier,
        reason=_("Application approved."),
        actor=actor,
    ).save()
    transaction.on_commit(partial(application_approved_notify, partner=partner))
    return partner
