"""The partner's people: invitations, removals, and personal and partner settings."""

from functools import partial

from allauth.account.models import EmailAddress
from django.contrib.admin.models import DELETION, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_user
from accounts.models import User

from ..models import Invitation, Membership, Partner
from ..models.invitations import INVITATION_VALID_FOR, new_invitation_token
from .applications import account_for_email
from .tiers import locked_partner


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
    partner = locked_partner(partner)
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
