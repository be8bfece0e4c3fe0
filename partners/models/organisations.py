"""The organisations of the channel: territories, distributors, partners and their people."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, DecimalField, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..validators import SWISS_CANTONS, invalid_cantons, validate_swiss_uid
from .program import Tier


class Country(models.TextChoices):
    SWITZERLAND = "CH", _("Switzerland")
    GERMANY = "DE", _("Germany")
    AUSTRIA = "AT", _("Austria")
    LIECHTENSTEIN = "LI", _("Liechtenstein")
    FRANCE = "FR", _("France")
    ITALY = "IT", _("Italy")
    LUXEMBOURG = "LU", _("Luxembourg")
    BELGIUM = "BE", _("Belgium")
    NETHERLANDS = "NL", _("Netherlands")


class Language(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        # Default names are in the catalogue (Django's own for languages); names staff add show as typed.
        return gettext(self.name)


class Service(models.Model):
    """A kind of service a partner offers its customers (installation, support...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self):
        # Default names are marked for translators in directory/catalogue.py; others show as typed.
        return gettext(self.name)


class Territory(models.Model):
    """A sales region: a whole country, or the listed regions (cantons) of one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    regions = models.CharField(
        _("regions"),
        max_length=300,
        blank=True,
        help_text=_("Comma-separated region codes (cantons), e.g. 'ZH, BE, LU'. Empty means the whole country."),
    )
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self):
        # The demo's names are in the catalogue (partners/demo/data.py); names staff add show as typed.
        return gettext(self.name)

    def clean(self):
        if self.country == Country.SWITZERLAND and (wrong := invalid_cantons(self.region_codes())):
            raise ValidationError({"regions": _("Not Swiss cantons: %(codes)s.") % {"codes": ", ".join(sorted(wrong))}})

    def region_codes(self) -> frozenset[str]:
        return frozenset(code.strip().upper() for code in self.regions.split(",") if code.strip())

    def overlaps(self, other: "Territory") -> bool:
        """Two territories overlap when they share a country and a region, or one covers the whole country."""
        if self.country != other.country:
            return False
        mine, theirs = self.region_codes(), other.region_codes()
        return not mine or not theirs or bool(mine & theirs)


class DistributorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Distributor(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Used by imports."))
    name = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="distributors", verbose_name=_("territories")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DistributorQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[territories])

    class Meta:
        ordering = ["name"]
        verbose_name = _("distributor")
        verbose_name_plural = _("distributors")

    def __str__(self):
        return self.name


class PartnerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Partner.Status.ACTIVE)

    def listed(self):
        """Partners the public directory may show."""
        return self.active().filter(tier__listed_in_directory=True, directory_consent=True)

    def buying(self, *, on: datetime.date):
        """Partners with purchases in the last EXTRANET_ACTIVE_PARTNER_DAYS up to and including `on`.

        `active()` is about the partnership's status; the programme's "active partners" are both
        (see partners.targets).
        """
        from .sales import Purchase

        since = on - datetime.timedelta(days=settings.EXTRANET_ACTIVE_PARTNER_DAYS)
        return self.filter(Exists(Purchase.objects.in_window(since, on).filter(partner=OuterRef("pk"))))

    def for_directory(self):
        """Listed partners as the public directory shows them: the highest tier first, then by name.

        With what a card or a profile shows, so a page of them costs the same few queries.
        """
        return (
            self.listed()
            .select_related("tier", "territory")
            .prefetch_related("languages", "services")
            .order_by("-tier__rank", "name", "pk")
        )

    def with_metrics(self, *, on: datetime.date):
        """Annotate `volume_12m` and `certified_technicians` as of `on`, in the same query.

        The 12-month window is (on minus one year, on]: a purchase invoiced exactly one
        year before `on` no longer counts. A certification counts up to and including
        its expiry day.
        """
        from .sales import Purchase

        volume = (
            Purchase.objects.in_window(one_year_before(on), on)
            .filter(partner=OuterRef("pk"))
            .order_by()
            .values("partner")
            .annotate(total=Sum("amount_eur"))
            .values("total")
        )
        technicians = (
            Certification.objects.current(on=on)
            .filter(partner=OuterRef("pk"))
            .order_by()
            .values("partner")
            .annotate(people=Count("holder", distinct=True))
            .values("people")
        )
        money = DecimalField(max_digits=14, decimal_places=2)
        return self.annotate(
            volume_12m=Coalesce(Subquery(volume, output_field=money), Value(0, output_field=money)),
            certified_technicians=Coalesce(
                Subquery(technicians, output_field=IntegerField()), Value(0, output_field=IntegerField())
            ),
        )

    def qualifying_for_upgrade(self):
        """After `with_metrics`: partners meeting a higher reachable tier (`Evaluation.is_upgrade` in SQL)."""
        higher_tier_met = Tier.objects.reachable().filter(
            rank__gt=OuterRef("tier__rank"),
            min_annual_volume__lte=OuterRef("volume_12m"),
            min_certified_technicians__lte=OuterRef("certified_technicians"),
        )
        return self.filter(Exists(higher_tier_met), tier__nomination_only=False)

    def short_of_tier(self):
        """After `with_metrics`: partners below their tier's criteria (`Evaluation.missing_for_held` in SQL).

        A nominated partner is measured against the reachable tier below its own.
        """
        below = Tier.objects.reachable().filter(rank__lt=OuterRef("tier__rank")).order_by("-rank")
        nominated = Q(tier__nomination_only=True)
        return self.alias(
            measured_volume=Case(
                When(nominated, then=Subquery(below.values("min_annual_volume")[:1])),
                default=F("tier__min_annual_volume"),
            ),
            measured_technicians=Case(
                When(nominated, then=Subquery(below.values("min_certified_technicians")[:1])),
                default=F("tier__min_certified_technicians"),
            ),
        ).filter(Q(volume_12m__lt=F("measured_volume")) | Q(certified_technicians__lt=F("measured_technicians")))


def one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


class Partner(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    name = models.CharField(_("company name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    uid = models.CharField(
        _("company UID"),
        max_length=15,
        blank=True,
        validators=[validate_swiss_uid],
        help_text=_("Swiss business identification number, e.g. CHE-123.456.788."),
    )
    street = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("canton / region"), max_length=40, blank=True, help_text=_("E.g. ZH or VD."))
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.SWITZERLAND)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("general email"), blank=True)
    languages = models.ManyToManyField(Language, blank=True, related_name="partners", verbose_name=_("languages"))
    services = models.ManyToManyField(Service, blank=True, related_name="partners", verbose_name=_("services offered"))
    description = models.TextField(_("description"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_("PNG, JPEG or WebP, shown in the public directory."),
    )
    tier = models.ForeignKey(Tier, models.PROTECT, related_name="partners", verbose_name=_("tier"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    territory = models.ForeignKey(
        Territory, models.PROTECT, null=True, blank=True, related_name="partners", verbose_name=_("territory")
    )
    distributor = models.ForeignKey(
        Distributor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("buys through"),
    )
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_partners",
        limit_choices_to={"is_staff": True},
        verbose_name=_("channel account manager"),
    )
    directory_consent = models.BooleanField(
        _("may be listed in the directory"), default=True, help_text=_("The partner can withdraw this consent.")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting the application"), blank=True)
    require_mfa = models.BooleanField(
        _("members must use two-factor authentication"),
        default=False,
        help_text=_("Set by the partner's owner: members without a second factor must set one up first."),
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    nominated_at = models.DateTimeField(_("nominated at"), null=True, blank=True)
    nomination_reason = models.TextField(_("nomination reason"), blank=True)
    # A downgrade found by evaluation waits here until the grace period ends or staff decide.
    proposed_tier = models.ForeignKey(
        Tier, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("proposed downgrade to")
    )
    proposed_on = models.DateField(_("downgrade proposed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["uid"], condition=~models.Q(uid=""), name="partner_uid_unique"),
        ]
        indexes = [models.Index(fields=["status", "tier"])]

    def __str__(self):
        return self.name

    @property
    def number(self) -> str:
        """The partner number distributors quote in their sales reports, e.g. P-00042."""
        return f"P-{self.pk:05d}" if self.pk else ""

    def clean(self):
        # A Swiss partner's canton decides its territory and distributor, so it must be a real one.
        if self.country == Country.SWITZERLAND and self.region and self.region.upper() not in SWISS_CANTONS:
            raise ValidationError(
                {
                    "region": _("%(region)s is not a Swiss canton; use its two-letter code, e.g. ZG.")
                    % {"region": self.region}
                }
            )


class Membership(models.Model):
    """A person's place in one partner organisation."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        SALES = "sales", _("Sales")
        TECHNICAL = "technical", _("Technical")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership", verbose_name=_("person")
    )
    partner = models.ForeignKey(Partner, models.CASCADE, related_name="memberships", verbose_name=_("partner"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SALES)
    receives_newsletter = models.BooleanField(_("receives the newsletter"), default=True)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        ordering = ["partner", "role", "user__email"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.partner})"


class CertificationQuerySet(models.QuerySet):
    def current(self, *, on: datetime.date):
        """Certifications valid on `on` (expiry day included) whose holder still works for the partner."""
        return self.filter(issued_on__lte=on, expires_on__gte=on, holder__membership__partner=models.F("partner"))


class Certification(models.Model):
    """A person's vendor certification, recorded for the partner they work for.

    It counts towards that partner only while the holder is still one of its members,
    so the record survives a person leaving (history) without counting any more.
    """

    partner = models.ForeignKey(Partner, models.CASCADE, related_name="certifications", verbose_name=_("partner"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="certifications", verbose_name=_("holder")
    )
    exam = models.CharField(_("exam / product"), max_length=200)
    number = models.CharField(_("certificate number"), max_length=60, unique=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))

    objects = CertificationQuerySet.as_manager()

    class Meta:
        ordering = ["-expires_on"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")), name="certification_expires_after_issue"
            )
        ]

    def __str__(self):
        return f"{self.exam} ({self.number})"
