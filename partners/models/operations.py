"""Running the programme: sales imports, nominations, distributor applications, recruitment targets."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisations import Distributor, Partner, Territory
from .program import Tier


class SalesImport(models.Model):
    """One distributor sales report imported (in admin or with `manage.py import_sales`)."""

    distributor = models.ForeignKey(
        Distributor, models.PROTECT, related_name="sales_imports", verbose_name=_("distributor")
    )
    file_name = models.CharField(_("file"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("purchases created"), default=0)
    updated = models.PositiveIntegerField(_("purchases updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows already imported"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
        help_text=_("Empty when imported from the command line."),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("sales import")
        verbose_name_plural = _("sales imports")

    def __str__(self):
        return f"{self.distributor}: {self.file_name}"


class Nomination(models.Model):
    """A staff proposal to grant or revoke a nomination-only tier; a second staff member decides."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Grant")
        REVOKE = "revoke", _("Revoke")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    partner = models.ForeignKey(Partner, models.CASCADE, related_name="nominations", verbose_name=_("partner"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GRANT)
    tier = models.ForeignKey(
        Tier,
        models.PROTECT,
        related_name="+",
        verbose_name=_("tier"),
        help_text=_("The tier granted, or the tier taken away."),
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["partner"], condition=models.Q(status="pending"), name="nomination_one_pending_per_partner"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tier}: {self.partner}"


class DistributorApplication(models.Model):
    """A company asking to distribute the vendor's products in some territories."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the emails the applicant receives."),
    )
    territories = models.ManyToManyField(
        Territory, related_name="distributor_applications", verbose_name=_("territories asked for")
    )
    message = models.TextField(_("message"), blank=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    # Written on every save: the active distributors already serving the territories asked for.
    overlap = models.TextField(_("overlap with active distributors"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    distributor = models.OneToOneField(
        Distributor,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("distributor created"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("distributor application")
        verbose_name_plural = _("distributor applications")

    def __str__(self):
        return self.company


class RecruitmentTargetQuerySet(models.QuerySet):
    def current(self, *, on):
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class RecruitmentTarget(models.Model):
    """How many more active partners a territory should have by the end of a period, e.g. 15 to 20."""

    territory = models.ForeignKey(
        Territory, models.CASCADE, related_name="recruitment_targets", verbose_name=_("territory")
    )
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    more_active_min = models.PositiveIntegerField(
        _("more active partners, at least"), validators=[MinValueValidator(1)]
    )
    more_active_max = models.PositiveIntegerField(
        _("more active partners, at most"),
        null=True,
        blank=True,
        help_text=_("The upper end of the goal; empty for a single figure."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = RecruitmentTargetQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "territory__name"]
        verbose_name = _("recruitment target")
        verbose_name_plural = _("recruitment targets")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="target_period_order"),
            models.CheckConstraint(
                condition=models.Q(more_active_max__isnull=True)
                | models.Q(more_active_max__gte=models.F("more_active_min")),
                name="target_range_order",
            ),
            models.UniqueConstraint(fields=["territory", "starts_on"], name="target_unique_per_period"),
        ]

    def __str__(self):
        return f"{self.territory}: {self.starts_on} – {self.ends_on}"
