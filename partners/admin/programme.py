"""The programme's rules (tiers, margin bands) and the log of tier changes."""

from django.contrib import admin

from ..forms import TierAdminForm
from ..models import MarginBand, Tier, TierChange
from .history import HistoryAdmin


class MarginBandInline(admin.TabularInline):
    """Bands are added, not edited: a new margin is a new row with a later effective date."""

    model = MarginBand
    fields = ["min_volume", "margin_percent", "effective_from"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tier)
class TierAdmin(HistoryAdmin):
    form = TierAdminForm
    list_display = [
        "rank",
        "name",
        "min_annual_volume",
        "min_certified_technicians",
        "nomination_only",
        "listed_in_directory",
        "nfr_licences_per_year",
        "downgrade_grace_days",
    ]
    list_display_links = ["rank", "name"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [MarginBandInline]


@admin.register(MarginBand)
class MarginBandAdmin(admin.ModelAdmin):
    list_display = ["tier", "min_volume", "margin_percent", "effective_from"]
    list_filter = ["tier", "effective_from"]
    list_select_related = ["tier"]

    def has_change_permission(self, request, obj=None):
        return False  # see MarginBandInline


@admin.register(TierChange)
class TierChangeAdmin(admin.ModelAdmin):
    """The audit log: written by the services only, read here."""

    list_display = [
        "created_at",
        "partner",
        "kind",
        "from_tier",
        "to_tier",
        "volume_12m",
        "certified_technicians",
        "decided_by",
    ]
    list_filter = ["kind", "to_tier", ("decided_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partner", "from_tier", "to_tier", "decided_by"]
    search_fields = ["partner__name", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
