"""List filters for the channel managers' changelists."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Partner

EXPIRY_WARNING_DAYS = 60


class ProposedDowngradeFilter(admin.SimpleListFilter):
    title = _("proposed downgrade")
    parameter_name = "downgrade"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(proposed_tier__isnull=self.value() == "no")
        return queryset


class NeedsReviewFilter(admin.SimpleListFilter):
    """What waits for a channel manager; agrees with what "Evaluate now" would do."""

    title = _("needs review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("application", _("Open application")),
            ("upgrade", _("Qualifies for a higher tier")),
            ("shortfall", _("Falls short of its tier")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "application":
                return queryset.filter(status=Partner.Status.APPLIED)
            case "upgrade":
                return queryset.active().qualifying_for_upgrade()
            case "shortfall":
                return queryset.active().short_of_tier()
        return queryset


class CertificationValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Current")),
            ("expiring", _("Expires within %(days)d days") % {"days": EXPIRY_WARNING_DAYS}),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "current":
                return queryset.filter(issued_on__lte=today, expires_on__gte=today)
            case "expiring":
                soon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
                return queryset.filter(expires_on__gte=today, expires_on__lte=soon)
            case "expired":
                return queryset.filter(expires_on__lt=today)
        return queryset


class PurchasePartnerFilter(admin.SimpleListFilter):
    """Shows which partner the purchases are filtered by, when a partner's page links here."""

    title = _("partner")
    parameter_name = "partner"

    def lookups(self, request, model_admin):
        value = self.value()
        partner = Partner.objects.filter(pk=value).only("name").first() if value and value.isdigit() else None
        return [(str(partner.pk), partner.name)] if partner else []

    def queryset(self, request, queryset):
        if self.lookup_choices:
            return queryset.filter(partner_id=self.value())
        return queryset
