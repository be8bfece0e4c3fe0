"""The channel's shape: territories, the distributors serving them, and the reference lists."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..forms import DistributorAdminForm, TerritoryAdminForm
from ..models import Distributor, Language, Service, Territory
from ..services import distributor_save
from .history import ReadOnlyHistoryAdmin


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    form = TerritoryAdminForm
    list_display = ["name", "code", "country", "regions", "language_list", "distributor_list"]
    list_filter = ["country", "languages"]
    search_fields = ["name", "code", "regions"]
    prepopulated_fields = {"code": ["name"]}
    filter_horizontal = ["languages"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("languages", "distributors")

    @admin.display(description=_("languages"))
    def language_list(self, territory):
        return ", ".join(language.name for language in territory.languages.all())

    @admin.display(description=_("served by"))
    def distributor_list(self, territory):
        return ", ".join(d.name for d in territory.distributors.all() if d.is_active)


@admin.register(Distributor)
class DistributorAdmin(ReadOnlyHistoryAdmin):
    form = DistributorAdminForm
    list_display = ["name", "code", "contact_name", "contact_email", "territory_list", "partner_count", "is_active"]
    list_filter = ["is_active", "territories"]
    search_fields = ["name", "code", "contact_name", "contact_email"]
    prepopulated_fields = {"code": ["name"]}
    filter_horizontal = ["territories"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(partner_count=Count("partners")).prefetch_related("territories")

    @admin.display(description=_("territories"))
    def territory_list(self, distributor):
        return ", ".join(territory.name for territory in distributor.territories.all())

    @admin.display(description=_("partners"), ordering="partner_count")
    def partner_count(self, distributor):
        return distributor.partner_count

    def save_model(self, request, obj, form, change):
        # The service saves the distributor and its territories together, once, under the
        # territory lock; the form has already shown any conflict to the user.
        distributor_save(distributor=obj, territories=form.cleaned_data["territories"], actor=request.user)

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): distributor_save has set the territories.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
