"""List filters for the channel managers' changelists."""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Partner

EXPIRY_WARNING_DAYS = 60


class ProposedDowngradeFilter(admin.SimpleListFilter):
    """Active partners with a proposed downgrade, as the tier review and the dashboard count them."""

    title = _("proposed downgrade")
    parameter_name = "downgrade"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        proposed = Q(status=Partner.Status.ACTIVE, proposed_tier__isnull=False)
        match self.value():
            case "yes":
                return queryset.filter(proposed)
            case "no":
                return queryset.exclude(proposed)
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


class PendingFirstStatusFilter(admin.SimpleListFilter):
    """A status filter showing what waits for a decision (PENDING) until another status, or "All", is chosen.

    Made for a model's status choices with `PendingFirstStatusFilter.of(Model.Status)`.
    """

    title = _("status")
    parameter_name = "status"
    statuses = None  # a TextChoices with a PENDING member

    @classmethod
    def of(cls, statuses) -> type["PendingFirstStatusFilter"]:
        return type(f"Pending{statuses.__qualname__.replace('.', '')}Filter", (cls,), {"statuses": statuses})

    def lookups(self, request, model_admin):
        return [*self.statuses.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.selected()
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def selected(self) -> str:
        return self.value() or self.statuses.PENDING.value

    def queryset(self, request, queryset):
        value = self.selected()
        return queryset.filter(status=value) if value in self.statuses.values else queryset
