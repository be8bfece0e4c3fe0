"""NFR (not-for-resale) licences: requested by a partner's members, issued within the tier's allowance."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# A licence may be renewed this many days before it expires, or any time after.
RENEWAL_WINDOW_DAYS = 30


def one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


class LicenceQuerySet(models.QuerySet):
    def for_partner(self, partner):
        return self.filter(partner=partner)

    def issued(self):
        return self.filter(status=Licence.Status.ISSUED)

    def counting_against_allowance(self, partner, year: int):
        """The partner's licences issued in calendar year `year`; pending and rejected requests do not count."""
        return self.issued().filter(partner=partner, issued_on__year=year)

    def current(self, *, on: datetime.date | None = None):
        """Issued licences still valid on `on` (their expiry day included)."""
        return self.issued().filter(expires_on__gte=on or timezone.localdate())

    def expired(self, *, on: datetime.date | None = None):
        return self.issued().filter(expires_on__lt=on or timezone.localdate())

    def pending(self):
        return self.filter(status=Licence.Status.PENDING)

    def with_open_renewal(self):
        """Annotate `has_open_renewal`: a renewal of the licence is issued or awaiting approval."""
        renewals = Licence.objects.filter(renewal_of=OuterRef("pk")).exclude(status=Licence.Status.REJECTED)
        return self.annotate(has_open_renewal=Exists(renewals))


class Licence(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        ISSUED = "issued", _("Issued")
        REJECTED = "rejected", _("Rejected")

    partner = models.ForeignKey(
        "partners.Partner", models.CASCADE, related_name="nfr_licences", verbose_name=_("partner")
    )
    product = models.ForeignKey(
        "partners.Product",
        models.PROTECT,
        related_name="nfr_licences",
        limit_choices_to={"nfr_available": True},
        verbose_name=_("product"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="nfr_licences",
        verbose_name=_("requested by"),
    )
    purpose = models.TextField(_("purpose"), help_text=_("What the licence is used for, e.g. a demo or test system."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    key = models.CharField(_("licence key"), max_length=60, blank=True, help_text=_("Set when the licence is issued."))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Empty when the licence was issued at once, within the allowance."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    renewal_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="renewals", verbose_name=_("renewal of")
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)

    objects = LicenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("NFR licence")
        verbose_name_plural = _("NFR licences")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="nfr_licence_key_unique"),
            models.CheckConstraint(
                condition=~Q(status="issued") | (~Q(key="") & Q(issued_on__isnull=False) & Q(expires_on__isnull=False)),
                name="nfr_issued_licence_has_key_and_dates",
            ),
        ]
        indexes = [models.Index(fields=["partner", "status", "issued_on"])]

    def __str__(self):
        return f"{self.product} ({self.partner})"

    def is_expired(self, on: datetime.date | None = None) -> bool:
        return self.status == self.Status.ISSUED and self.expires_on < (on or timezone.localdate())

    def display_status(self, on: datetime.date | None = None) -> str:
        """The status a person sees: an issued licence past its expiry day is "Expired"."""
        return str(_("Expired")) if self.is_expired(on) else self.get_status_display()

    def renewal_refusal(self, on: datetime.date | None = None) -> str | None:
        """Why the licence cannot be renewed on `on`, or None when it can.

        The partner's own status is the caller's concern (only active partners reach the
        extranet; `licence_renew` checks it again). Uses `has_open_renewal` when annotated.
        """
        on = on or timezone.localdate()
        if self.status != self.Status.ISSUED:
            return str(_("Only an issued licence can be renewed."))
        if self.expires_on > on + datetime.timedelta(days=RENEWAL_WINDOW_DAYS):
            return str(
                _("This licence can be renewed from %(date)s, %(days)d days before it expires.")
                % {
                    "date": (self.expires_on - datetime.timedelta(days=RENEWAL_WINDOW_DAYS)).isoformat(),
                    "days": RENEWAL_WINDOW_DAYS,
                }
            )
        if not (self.product.nfr_available and self.product.is_active):
            return str(_("%(product)s is no longer offered as an NFR licence.") % {"product": self.product})
        has_open_renewal = getattr(self, "has_open_renewal", None)
        if has_open_renewal is None:
            has_open_renewal = self.renewals.exclude(status=self.Status.REJECTED).exists()
        if has_open_renewal:
            return str(_("This licence has already been renewed."))
        return None
