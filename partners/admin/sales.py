"""Products and the purchases partners make through distributors."""

from django.contrib import admin

from ..models import Product, Purchase
from .filters import PurchasePartnerFilter


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "nfr_available", "is_active"]
    list_filter = ["is_active", "nfr_available"]
    search_fields = ["name", "sku"]


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ["invoice_date", "reference", "partner", "distributor", "product", "quantity", "amount_eur"]
    list_filter = [PurchasePartnerFilter, "distributor", "product"]
    list_select_related = ["partner", "distributor", "product"]
    search_fields = ["reference", "partner__name"]
    date_hierarchy = "invoice_date"
    autocomplete_fields = ["partner"]
