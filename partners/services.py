"""Writes with side effects. Each one is transactional and leaves an audit trail."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from django.contrib.admin.models import DELETION, LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history, update_change_reason

from accounts.emails import email_user
from accounts.models import User

from .evaluation import Evaluation, Programme, evaluate_partner, evaluate_partners
from .models import Distributor, Invitation, Membership, Partner, Territory, Tier, TierChange
from .models.invitations import INVITATION_VALID_FOR, new_invitation_token


def _log_change(evaluation: Evaluation, *, kind: str, to_tier: Tier, reason: str, actor: User | None) -> TierChange:
    return TierChange(
        partner=evaluation.partner,
        kind=kind,
        from_tier=evaluation.held,
        to_tier=to_tier,
        reason=reason,
        volume_12m=evaluation.volume_12m,
        certified_technicians=evaluation.certified_technicians,
        decided_by=actor,
    )


def _locked(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


# Tier review -------------------------------------------------------------------------


@dataclass
class ReviewSummary:
    evaluated: int = 0
    upgrades: list[Evaluation] = field(default_factory=list)
    proposed_downgrades: list[Evaluation] = field(default_factory=list)
    applied_downgrades: list[Evaluation] = field(default_factory=list)
    flags: list[Evaluation] = field(default_factory=list)
    withdrawn_proposals: list[Evaluation] = field(default_factory=list)


def tier_review(
    *, on: datetime.date | None = None, actor: User | None = None, dry_run: bool = False, partners=None
) -> ReviewSummary:
    """Evaluate active partners and act on the result, set-based.

    Upgrades apply at once. A downgrade is first proposed; it applies once the held
    tier's grace period has passed since the proposal. Nominated tiers are never changed
    here, only flagged. With `dry_run` nothing is written. The number of queries does
    not depend on the number of partners.
    """
    on = on or timezone.localdate()
    summary = ReviewSummary()
    # Re-select by id: the caller's queryset may be DISTINCT or sliced, which cannot be locked.
    queryset = Partner.objects.active()
    if partners is not None:
        queryset = queryset.filter(pk__in=partners.order_by().values("pk"))
    with transaction.atomic():
        if not dry_run:
            queryset = queryset.select_for_update(of=("self",))
        changed: list[Partner] = []
        log: list[TierChange] = []
        for evaluation in evaluate_partners(queryset, on=on):
            summary.evaluated += 1
            partner = evaluation.partner
            if evaluation.is_flagged:
                summary.flags.append(evaluation)
            elif evaluation.is_upgrade:
                summary.upgrades.append(evaluation)
                reason = _("Meets the criteria of %(tier)s.") % {"tier": evaluation.qualified.name}
                log.append(
                    _log_change(
                        evaluation,
                        kind=TierChange.Kind.UPGRADE,
                        to_tier=evaluation.qualified,
                        reason=reason,
                        actor=actor,
                    )
                )
                partner.tier, partner.proposed_tier, partner.proposed_on = evaluation.qualified, None, None
                changed.append(partner)
            elif evaluation.is_downgrade:
                grace_ends = partner.proposed_on and partner.proposed_on + datetime.timedelta(
                    days=evaluation.held.downgrade_grace_days
                )
                if grace_ends and grace_ends <= on:
                    summary.applied_downgrades.append(evaluation)
                    reason = _("Grace period since %(date)s ended; lacks %(missing)s.") % {
                        "date": partner.proposed_on.isoformat(),
                        "missing": ", ".join(evaluation.missing_for_held),
                    }
                    log.append(
                        _log_change(
                            evaluation,
                            kind=TierChange.Kind.DOWNGRADE,
                            to_tier=evaluation.qualified,
                            reason=reason,
                            actor=actor,
                        )
                    )
                    partner.tier, partner.proposed_tier, partner.proposed_on = evaluation.qualified, None, None
                    changed.append(partner)
                elif partner.proposed_tier_id != evaluation.qualified.pk:
                    summary.proposed_downgrades.append(evaluation)
                    partner.proposed_tier, partner.proposed_on = evaluation.qualified, partner.proposed_on or on
                    changed.append(partner)
            elif partner.proposed_tier_id:
                summary.withdrawn_proposals.append(evaluation)
                partner.proposed_tier, partner.proposed_on = None, None
                changed.append(partner)
        if not dry_run and changed:
            bulk_update_with_history(
                changed,
                Partner,
                ["tier", "proposed_tier", "proposed_on"],
                batch_size=500,
                default_user=actor,
                default_change_reason="tier review",
            )
            TierChange.objects.bulk_create(log, batch_size=500)
    return summary


# Decisions by staff ------------------------------------------------------------------


@transaction.atomic
def partner_approve(*, partner: Partner, actor: User) -> Partner:
    """Admit an applicant into the programme's entry tier."""
    partner = _locked(partner)
    if partner.status != Partner.Status.APPLIED:
        raise ValidationError(_("%(partner)s is not an open application.") % {"partner": partner})
    programme = Programme.load()
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    partner.status = Partner.Status.ACTIVE
    partner.tier = programme.entry_tier
    partner.joined_on = partner.joined_on or timezone.localdate()
    partner._history_user = actor
    partner.save()
    _log_change(
        evaluation,
        kind=TierChange.Kind.ADMISSION,
        to_tier=programme.entry_tier,
        reason=_("Application approved."),
        actor=actor,
    ).save()
    transaction.on_commit(partial(application_approved_notify, partner=partner))
    return partner


@transaction.atomic
def partner_nominate(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Grant the nomination-only tier above the partner's current one."""
    if not reason.strip():
        raise ValidationError(_("A nomination needs a reason."))
    partner = _locked(partner)
    if partner.status != Partner.Status.ACTIVE:
        raise ValidationError(
            _("Only active partners can be nominated; %(partner)s is %(status)s.")
            % {"partner": partner, "status": partner.get_status_display()}
        )
    target = Programme.load().nomination_target(partner.tier)
    if target is None:
        raise ValidationError(_("%(partner)s already holds the highest nominated tier.") % {"partner": partner})
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    partner.tier, partner.proposed_tier, partner.proposed_on = target, None, None
    partner.nominated_by, partner.nominated_at, partner.nomination_reason = actor, timezone.now(), reason.strip()
    partner._history_user = actor
    partner.save()
    _log_change(evaluation, kind=TierChange.Kind.NOMINATION, to_tier=target, reason=reason.strip(), actor=actor).save()
    return partner


@transaction.atomic
def partner_revoke_nomination(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Take a nominated tier away; the partner falls to the tier its metrics qualify for."""
    if not reason.strip():
        raise ValidationError(_("A revocation needs a reason."))
    partner = _locked(partner)
    if not partner.tier.nomination_only:
        raise ValidationError(_("%(partner)s holds no nominated tier.") % {"partner": partner})
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    partner.tier = evaluation.qualified
    partner.nominated_by, partner.nominated_at, partner.nomination_reason = None, None, ""
    partner._history_user = actor
    partner.save()
    _log_change(
        evaluation, kind=TierChange.Kind.REVOCATION, to_tier=evaluation.qualified, reason=reason.strip(), actor=actor
    ).save()
    return partner


@transaction.atomic
def downgrade_apply(*, partner: Partner, actor: User) -> Partner:
    """Apply a proposed downgrade now, before its grace period ends."""
    partner = _locked(partner)
    if partner.proposed_tier_id is None:
        raise ValidationError(_("%(partner)s has no proposed downgrade.") % {"partner": partner})
    evaluation = evaluate_partner(partner, on=timezone.localdate())
    target = partner.proposed_tier
    reason = _("Proposed downgrade approved; lacks %(missing)s.") % {
        "missing": ", ".join(evaluation.missing_for_held) or "-"
    }
    partner.tier, partner.proposed_tier, partner.proposed_on = target, None, None
    partner._history_user = actor
    partner.save()
    _log_change(evaluation, kind=TierChange.Kind.DOWNGRADE, to_tier=target, reason=reason, actor=actor).save()
    return partner


@transaction.atomic
def downgrade_reject(*, partner: Partner, reason: str, actor: User) -> Partner:
    """Keep the partner's tier; the proposal is dropped and the decision kept in its history."""
    if not reason.strip():
        raise ValidationError(_("Rejecting a downgrade needs a reason."))
    partner = _locked(partner)
    if partner.proposed_tier_id is None:
        raise ValidationError(_("%(partner)s has no proposed downgrade.") % {"partner": partner})
    partner.proposed_tier, partner.proposed_on = None, None
    partner._history_user = actor
    partner.save()
    update_change_reason(partner, _("Downgrade rejected: %(reason)s") % {"reason": reason.strip()})
    return partner


# Distributors ------------------------------------------------------------------------


def distributor_territory_conflicts(*, distributor: Distributor, territories: Iterable[Territory]) -> list[str]:
    """Messages naming each active distributor already serving one of `territories`."""
    territories = list(territories)
    if not territories:
        return []
    countries = {t.country for t in territories}
    others = (
        Distributor.objects.active()
        .exclude(pk=distributor.pk)
        .filter(territories__country__in=countries)
        .distinct()
        .prefetch_related("territories")
    )
    conflicts = []
    for other in others:
        for theirs in other.territories.all():
            for mine in territories:
                if mine.overlaps(theirs):
                    conflicts.append(
                        _("%(territory)s is already served by %(distributor)s (%(their_territory)s).")
                        % {"territory": mine.name, "distributor": other.name, "their_territory": theirs.name}
                    )
    return conflicts


@transaction.atomic
def distributor_save(
    *, distributor: Distributor, territories: Iterable[Territory], actor: User | None = None
) -> Distributor:
    """Save a distributor and its territories; refuse a territory another active distributor serves."""
    territories = list(territories)
    # Lock the contested territories so two staff members cannot assign them at once.
    list(Territory.objects.select_for_update().filter(country__in={t.country for t in territories}))
    if distributor.is_active:
        conflicts = distributor_territory_conflicts(distributor=distributor, territories=territories)
        if conflicts:
            raise ValidationError(conflicts)
    distributor._history_user = actor
    distributor.save()
    distributor.territories.set(territories)
    return distributor


# Applications ------------------------------------------------------------------------


def territory_for_address(*, country: str, region: str) -> Territory | None:
    """The territory covering a company's country and canton: one listing the canton, else one covering the country."""
    region = region.strip().upper()
    whole_country = None
    for territory in Territory.objects.filter(country=country).order_by("pk"):
        codes = territory.region_codes()
        if region and region in codes:
            return territory
        if not codes and whole_country is None:
            whole_country = territory
    return whole_country


def distributor_for_territory(territory: Territory | int | None) -> Distributor | None:
    """The active distributor serving `territory` (or its id); overlaps are refused, so there is at most one."""
    if territory is None:
        return None
    return Distributor.objects.active().filter(territories=territory).order_by("pk").first()


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
    partner = _locked(partner)
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


# The partner's team ------------------------------------------------------------------


def _log_deletion(*, actor: User, obj, message: str) -> None:
    # The admin's action log is the audit trail for rows that are gone afterwards.
    LogEntry.objects.log_actions(actor.pk, [obj], DELETION, change_message=message)


def _send_invitation(invitation: Invitation) -> None:
    # The invitee has no account yet: an unsaved User carries their address and language.
    recipient = User(email=invitation.email, language=invitation.language)
    email_user(user=recipient, template="emails/partners/invitation", context={"invitation": invitation})


@transaction.atomic
def invitation_create(*, partner: Partner, email: str, role: str, language: str, actor: User) -> Invitation:
    """Invite a colleague by email; an expired invitation to the same address is renewed."""
    email = email.strip().lower()
    if partner.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is already a member of your team.") % {"email": email}})
    invitation = partner.invitations.select_for_update().pending().filter(email=email).first()
    if invitation is not None and not invitation.is_expired:
        raise ValidationError(
            {"email": _("%(email)s has an open invitation already; resend it from the team page.") % {"email": email}}
        )
    invitation = invitation or Invitation(partner=partner, email=email)
    invitation.role, invitation.language, invitation.invited_by = role, language, actor
    invitation.token, invitation.created_at = new_invitation_token(), timezone.now()
    invitation.expires_at = invitation.created_at + INVITATION_VALID_FOR
    invitation.save()
    transaction.on_commit(partial(_send_invitation, invitation))
    return invitation


def _locked_invitation(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().select_related("partner").get(pk=invitation.pk)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send the invitation again with a new link, valid for another 14 days; the old link stops working."""
    invitation = _locked_invitation(invitation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("%(email)s has accepted the invitation already.") % {"email": invitation.email})
    invitation.token, invitation.invited_by = new_invitation_token(), actor
    invitation.created_at = timezone.now()
    invitation.expires_at = invitation.created_at + INVITATION_VALID_FOR
    invitation.save()
    transaction.on_commit(partial(_send_invitation, invitation))
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, actor: User) -> None:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    invitation = _locked_invitation(invitation)
    if invitation.accepted_at is not None:
        raise ValidationError(_("%(email)s has accepted the invitation already.") % {"email": invitation.email})
    _log_deletion(actor=actor, obj=invitation, message=_("Invitation cancelled."))
    invitation.delete()


def _usable_invitation(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().usable().filter(pk=invitation.pk).first()
    if invitation is None:
        raise ValidationError(_("This invitation is no longer valid."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Make `user` a member with the invited role; the link proves the invited address is theirs."""
    invitation = _usable_invitation(invitation)
    if Membership.objects.filter(user=user).exists():
        raise ValidationError(_("Your account belongs to a partner already; a person can belong to one partner only."))
    membership = Membership.objects.create(user=user, partner_id=invitation.partner_id, role=invitation.role)
    EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(verified=True)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_accept_new_account(
    *, invitation: Invitation, first_name: str, last_name: str, password: str, language: str
) -> Membership:
    """Create the invitee's account with the invited address, verified, and make them a member."""
    invitation = _usable_invitation(invitation)
    if account_for_email(invitation.email) is not None:
        raise ValidationError(_("An account with this address exists: sign in, then open the link again."))
    user = User.objects.create_user(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name, language=language
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return invitation_accept(invitation=invitation, user=user)


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Take a person off the partner's team; the gate refuses them from their next request.

    Nobody removes themselves this way, and a partner always keeps an owner.
    """
    team = list(Membership.objects.select_for_update().filter(partner_id=membership.partner_id).order_by("pk"))
    membership = next((m for m in team if m.pk == membership.pk), None)
    if membership is None:
        raise ValidationError(_("This person is no longer a member of the team."))
    if membership.user_id == actor.pk:
        raise ValidationError(_("You cannot remove yourself from the team."))
    owners = [m for m in team if m.role == Membership.Role.OWNER]
    if membership.role == Membership.Role.OWNER and len(owners) == 1:
        raise ValidationError(_("The last owner of a partner cannot be removed."))
    _log_deletion(actor=actor, obj=membership, message=_("Removed from the team."))
    membership.delete()


# Personal and partner settings -------------------------------------------------------


@transaction.atomic
def membership_preferences_update(*, membership: Membership, language: str, receives_newsletter: bool) -> Membership:
    """A member's own choices: the language of pages and emails, and whether the newsletter comes."""
    user = membership.user
    user.language = language
    user.save(update_fields=["language"])
    membership.receives_newsletter = receives_newsletter
    membership.save(update_fields=["receives_newsletter"])
    return membership


@transaction.atomic
def partner_mfa_requirement_set(*, partner: Partner, required: bool, actor: User) -> Partner:
    """An owner requires (or stops requiring) two-factor authentication of every member."""
    partner = _locked(partner)
    if partner.require_mfa != required:
        partner.require_mfa = required
        partner._history_user = actor
        partner._change_reason = (
            _("Two-factor authentication required by an owner.")
            if required
            else _("Two-factor authentication no longer required.")
        )
        partner.save()
    return partner
