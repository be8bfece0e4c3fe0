"""The library: files for partners, each gated by a minimum tier."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.models import Partner, Tier

from .storage import PrivateStorage

MULTILINGUAL = "multi"
LANGUAGE_CHOICES = [*settings.LANGUAGES, (MULTILINGUAL, _("All languages"))]


def resource_upload_to(resource: "Resource", filename: str) -> str:
    """A random name on disk: paths reveal nothing, and two uploads never collide.

    The name people see is `Resource.original_filename`.
    """
    return f"resources/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def for_partner(self, partner: Partner):
        """Published resources the partner's tier reaches (benefits accumulate upward)."""
        return self.published().filter(min_tier__rank__lte=partner.tier.rank)

    def locked_for(self, partner: Partner):
        """Published resources the partner's tier does not reach yet: shown as teasers, never as files."""
        return self.published().filter(min_tier__rank__gt=partner.tier.rank)

    def with_category_order(self):
        """Annotate `category_order`: categories in the order a new partner needs them, starter kit first."""
        return self.annotate(
            category_order=Case(
                *[When(category=value, then=Value(index)) for index, value in enumerate(Resource.Category.values)],
                output_field=IntegerField(),
            )
        )


class Resource(models.Model):
    class Category(models.TextChoices):
        STARTER_KIT = "starter_kit", _("Starter kit")
        SALES = "sales", _("Sales")
        MARKETING = "marketing", _("Marketing")
        TECHNICAL = "technical", _("Technical")
        PRICE_LIST = "price_list", _("Price list")
        PROJECT_MATERIAL = "project_material", _("Project material")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default=MULTILINGUAL)
    file = models.FileField(_("file"), storage=PrivateStorage(), upload_to=resource_upload_to, max_length=200)
    original_filename = models.CharField(
        _("file name"), max_length=200, editable=False, help_text=_("The name partners download the file under.")
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    min_tier = models.ForeignKey(
        Tier,
        models.PROTECT,
        related_name="+",
        verbose_name=_("minimum tier"),
        help_text=_("Partners of this tier and above may download it; the others see a locked teaser."),
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        indexes = [models.Index(fields=["published", "category"])]
        constraints = [
            models.UniqueConstraint(fields=["title", "language"], name="library_resource_title_per_language")
        ]

    def __str__(self):
        return self.title


# The programme's gating (PROGRAM.md): the starter kit and everyday sales and marketing
# material come with the entry tier, the "extended extranet" (price lists, technical
# resources) with Certified, project material with Enterprise. A suggestion for staff,
# who choose per resource; a code missing from the database falls back to the entry tier.
DEFAULT_MIN_TIER_CODES = {
    Resource.Category.TECHNICAL: "certified",
    Resource.Category.PRICE_LIST: "certified",
    Resource.Category.PROJECT_MATERIAL: "enterprise",
}


def default_min_tier(category: str, tiers: list[Tier]) -> Tier | None:
    """The tier suggested for a category among `tiers`; the entry tier when no specific one applies."""
    ranked = sorted(tiers, key=lambda tier: tier.rank)
    code = DEFAULT_MIN_TIER_CODES.get(category)
    return next((tier for tier in ranked if tier.code == code), ranked[0] if ranked else None)
