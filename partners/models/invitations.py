"""Invitations: how an owner brings colleagues into the partner's extranet."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import Membership, Partner

INVITATION_VALID_FOR = datetime.timedelta(days=14)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry() -> datetime.datetime:
    return timezone.now() + INVITATION_VALID_FOR


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Not accepted yet, whether still valid or expired (an owner may renew an expired one)."""
        return self.filter(accepted_at__isnull=True)

    def usable(self, *, now: datetime.datetime | None = None):
        """Invitations whose link still works: not accepted, not expired, for an active partner."""
        return self.pending().filter(expires_at__gt=now or timezone.now(), partner__status=Partner.Status.ACTIVE)


class Invitation(models.Model):
    """An owner's invitation to join the partner; the token in the emailed link proves the address."""

    class Role(models.TextChoices):
        # Only staff invite owners (the partner import does); owners invite sales people and technicians.
        OWNER = Membership.Role.OWNER.value, Membership.Role.OWNER.label
        SALES = Membership.Role.SALES.value, Membership.Role.SALES.label
        TECHNICAL = Membership.Role.TECHNICAL.value, Membership.Role.TECHNICAL.label

    partner = models.ForeignKey(Partner, models.CASCADE, related_name="invitations", verbose_name=_("partner"))
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SALES)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the invitation email and of the new account."),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and partner; renewing replaces its token and expiry.
            models.UniqueConstraint(
                fields=["partner", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_pending_unique",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.partner})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
