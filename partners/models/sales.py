"""What partners buy through distributors: the data tiers are computed from."""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    nfr_available = models.BooleanField(_("offered as NFR licence"), default=False)
    licence_key_format = models.CharField(
        _("licence key format"),
        max_length=60,
        default="XXXXX-XXXXX-XXXXX-XXXXX",
        validators=[
            RegexValidator(
                r"^[A-Z0-9#X-]*[#X][A-Z0-9#X-]*$",
                _("Use X for a letter or digit, # for a digit, and fixed capitals, digits and dashes."),
            )
        ],
        help_text=_(
            "X stands for a random letter or digit, # for a random digit; other characters are kept, "
            "e.g. KAV-####-XXXX-XXXX."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name


class PurchaseQuerySet(models.QuerySet):
    def in_window(self, start, end):
        """Purchases invoiced after `start` and up to and including `end`."""
        return self.filter(invoice_date__gt=start, invoice_date__lte=end)


class Purchase(models.Model):
    partner = models.ForeignKey("partners.Partner", models.PROTECT, related_name="purchases", verbose_name=_("partner"))
    distributor = models.ForeignKey(
        "partners.Distributor", models.PROTECT, related_name="purchases", verbose_name=_("distributor")
    )
    product = models.ForeignKey(Product, models.PROTECT, related_name="purchases", verbose_name=_("product"))
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    amount_eur = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    invoice_date = models.DateField(_("invoice date"), db_index=True)
    reference = models.CharField(_("distributor's reference"), max_length=64, help_text=_("Unique per distributor."))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = PurchaseQuerySet.as_manager()

    class Meta:
        ordering = ["-invoice_date", "-pk"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        constraints = [
            models.UniqueConstraint(fields=["distributor", "reference"], name="purchase_reference_unique"),
            models.CheckConstraint(condition=models.Q(amount_eur__gte=0), name="purchase_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["partner", "invoice_date"])]

    def __str__(self):
        return f"{self.reference}: {self.product} × {self.quantity}"
