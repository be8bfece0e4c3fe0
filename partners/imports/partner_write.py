"""Writing a checked partner import: one transaction of bulk writes, invitation emails after the commit."""

import logging
from decimal import Decimal
from functools import partial

from django.core.mail import mailers
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.emails import email_message_for_user
from accounts.models import User

from ..models import Invitation, Membership, Partner, TierChange
from ..models.invitations import INVITATION_VALID_FOR, new_invitation_token
from ..signals import partners_bulk_changed
from .partner_rows import Action, Lookups, RowOutcome

logger = logging.getLogger(__name__)

BATCH = 500
# Fields a row may change on a partner that exists; blank cells keep what the partner has.
UPDATABLE = [
    "name",
    "uid",
    "street",
    "postcode",
    "city",
    "region",
    "country",
    "email",
    "website",
    "phone",
    "territory",
    "distributor",
    "account_manager",
    "joined_on",
]


def plan_invitations(outcomes: list[RowOutcome], lookups: Lookups, *, actor: User | None) -> None:
    """Attach an owner invitation (unsaved, or an expired one renewed) where one is due."""
    now = timezone.now()
    invited = {i.partner_id for i in lookups.pending.values() if i.role == Membership.Role.OWNER and not i.is_expired}
    for outcome in outcomes:
        partner, email = outcome.partner, outcome.owner_email
        if not email:
            continue
        if partner.status != Partner.Status.ACTIVE:
            # An invitation's link works only for an active partner.
            outcome.notes.append(_("Not active: no invitation."))
            continue
        if partner.pk in lookups.owned:
            outcome.notes.append(_("Has an owner already: no invitation."))
            continue
        pending = lookups.pending.get((partner.pk, email))
        if partner.pk in invited or (pending and not pending.is_expired):
            outcome.notes.append(_("An owner invitation is open already: no new one."))
            continue
        # The model's constraint allows one open invitation per address and partner: renew an expired one.
        invitation = pending or Invitation(partner=partner, email=email)
        invitation.role, invitation.language = Membership.Role.OWNER, outcome.owner_language
        invitation.invited_by, invitation.token = actor, new_invitation_token()
        invitation.created_at, invitation.expires_at = now, now + INVITATION_VALID_FOR
        outcome.invitation = invitation


def partners_write(outcomes: list[RowOutcome], *, actor: User | None, slugs: set[str]) -> str:
    """Write the planned partners in one transaction; a message instead when a concurrent change got in the way."""
    try:
        with transaction.atomic():
            _write(outcomes, actor=actor, slugs=slugs)
    except IntegrityError:
        return _(
            "Someone changed the same partners while the file was imported, so nothing was imported. Import it again."
        )
    return ""


def _write(outcomes: list[RowOutcome], *, actor: User | None, slugs: set[str]) -> None:
    new = [outcome.partner for outcome in outcomes if outcome.action == Action.NEW]
    for partner in new:
        partner.slug = unique_slug(partner.name, slugs)
    reason = _("Migrated from the previous programme")
    bulk_create_with_history(new, Partner, batch_size=BATCH, default_user=actor, default_change_reason=reason)
    TierChange.objects.bulk_create(
        [
            TierChange(
                partner=partner,
                kind=TierChange.Kind.ADMISSION,
                to_tier=partner.tier,
                reason=reason,
                volume_12m=Decimal(0),
                certified_technicians=0,
                decided_by=actor,
            )
            for partner in new
        ],
        batch_size=BATCH,
    )
    updated = [outcome.partner for outcome in outcomes if outcome.action == Action.UPDATED]
    if updated:
        bulk_update_with_history(
            updated,
            Partner,
            UPDATABLE,
            batch_size=BATCH,
            default_user=actor,
            default_change_reason=_("Updated by a partner import"),
        )
    invitations = [outcome.invitation for outcome in outcomes if outcome.invitation is not None]
    Invitation.objects.bulk_create([i for i in invitations if i.pk is None], batch_size=BATCH)
    renewed = [i for i in invitations if i.pk is not None]
    if renewed:
        fields = ["role", "language", "invited_by", "token", "created_at", "expires_at"]
        Invitation.objects.bulk_update(renewed, fields, batch_size=BATCH)
    if invitations:
        # Robust: the partners are committed; a mail failure is logged, never a 500 after the import.
        transaction.on_commit(partial(send_invitations, invitations), robust=True)
    if new or updated:
        transaction.on_commit(lambda: partners_bulk_changed.send(sender=Partner))


def unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:180] or "partner"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def send_invitations(invitations: list[Invitation]) -> None:
    """Email owner invitations over one connection, each in the invitee's language."""
    try:
        messages = [
            # The invitee has no account yet: an unsaved User carries their address and language.
            email_message_for_user(
                user=User(email=invitation.email, language=invitation.language),
                template="emails/partners/invitation",
                context={"invitation": invitation},
            )
            for invitation in invitations
        ]
        mailers.default.send_messages(messages)
    except Exception:  # the import stands; staff see the failure in the log and resend from admin
        logger.exception("Could not send %d owner invitation emails", len(invitations))
