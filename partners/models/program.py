"""The programme's rules: tiers, margin bands, and the log of tier changes."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TierQuerySet(models.QuerySet):
    def reachable(self):
        """Tiers a partner can reach by evaluation (not by nomination)."""
        return self.filter(nomination_only=False)

    def listed(self):
        return self.filter(listed_in_directory=True)


class Tier(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True, help_text=_("Higher rank means a higher tier; 1 is the entry tier.")
    )
    min_annual_volume = models.DecimalField(
        _("minimum 12-month purchase volume (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    min_certified_technicians = models.PositiveSmallIntegerField(_("minimum certified technicians"), default=0)
    nomination_only = models.BooleanField(
        _("nomination only"),
        default=False,
        help_text=_("Only a staff nomination grants this tier; evaluation never reaches it."),
    )
    listed_in_directory = models.BooleanField(_("listed in the public directory"), default=False)
    nfr_licences_per_year = models.PositiveSmallIntegerField(_("NFR licences per year"), default=0)
    downgrade_grace_days = models.PositiveSmallIntegerField(
        _("downgrade grace period (days)"),
        default=90,
        help_text=_("A proposed downgrade from this tier applies after this many days unless staff decide earlier."),
    )
    description = models.TextField(_("description"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True, help_text=_("One benefit per line."))

    objects = TierQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["rank"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self):
        return self.name

    def benefit_list(self) -> list[str]:
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


class MarginBand(models.Model):
    """From `effective_from`, a partner of `tier` with at least `min_volume` gets `margin_percent`.

    Bands are never edited to change the past: a new margin is a new row with a later
    effective date, so a purchase period keeps the margin that applied then.
    """

    tier = models.ForeignKey(Tier, models.CASCADE, related_name="margin_bands", verbose_name=_("tier"))
    min_volume = models.DecimalField(
        _("from 12-month volume (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    margin_percent = models.DecimalField(
        _("margin (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    effective_from = models.DateField(_("effective from"))

    class Meta:
        ordering = ["tier__rank", "min_volume", "-effective_from"]
        verbose_name = _("margin band")
        verbose_name_plural = _("margin bands")
        constraints = [
            models.UniqueConstraint(fields=["tier", "min_volume", "effective_from"], name="margin_band_unique_per_date")
        ]

    def __str__(self):
        return f"{self.tier}: {self.margin_percent} % from EUR {self.min_volume:,.0f} ({self.effective_from})"


class TierChange(models.Model):
    """One applied change of a partner's tier, with the metrics and the person behind it."""

    class Kind(models.TextChoices):
        ADMISSION = "admission", _("Admission")
        UPGRADE = "upgrade", _("Upgrade")
        DOWNGRADE = "downgrade", _("Downgrade")
        NOMINATION = "nomination", _("Nomination")
        REVOCATION = "revocation", _("Revocation")

    partner = models.ForeignKey(
        "partners.Partner", models.CASCADE, related_name="tier_changes", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_tier = models.ForeignKey(
        Tier, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("from tier")
    )
    to_tier = models.ForeignKey(Tier, models.PROTECT, related_name="+", verbose_name=_("to tier"))
    reason = models.TextField(_("reason"))
    volume_12m = models.DecimalField(_("12-month volume (EUR)"), max_digits=14, decimal_places=2)
    certified_technicians = models.PositiveIntegerField(_("certified technicians"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Empty when the scheduled evaluation applied the change."),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")

    def __str__(self):
        return f"{self.partner}: {self.from_tier or '-'} → {self.to_tier}"
