"""Products, the purchases partners make through distributors, and the sales reports imported."""

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ExportForm

from ..imports.formats import ExcelXLSX, SniffingCSV
from ..models import Product, Purchase, SalesImport
from .filters import PurchasePartnerFilter
from .sales_import import PurchaseExportResource, SalesReportConfirmForm, SalesReportImportForm, SalesReportResource
from .spreadsheets import ConfirmFromTheBrowserMixin, NativeXLSX, may_import

UPGRADES_NAMED = 10


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "nfr_available", "is_active"]
    list_filter = ["is_active", "nfr_available"]
    search_fields = ["name", "sku"]


@admin.register(Purchase)
class PurchaseAdmin(ConfirmFromTheBrowserMixin, ImportExportMixin, admin.ModelAdmin):
    # Merged columns that may wrap: the admin keeps model foreign keys and dates on one line, and
    # seven such columns beside the nav sidebar and the filters scrolled sideways on a laptop.
    list_display = ["invoice_column", "reference_column", "partner_column", "product_column", "amount_eur"]
    list_filter = [PurchasePartnerFilter, "distributor", "product"]
    list_select_related = ["partner", "distributor", "product"]
    search_fields = ["reference", "partner__name"]
    date_hierarchy = "invoice_date"
    autocomplete_fields = ["partner"]

    import_formats = [SniffingCSV, ExcelXLSX]
    export_formats = [CSV, NativeXLSX]
    resource_classes = [PurchaseExportResource]
    import_form_class = SalesReportImportForm
    confirm_form_class = SalesReportConfirmForm
    import_template_name = "admin/partners/purchase/import.html"
    # The form without field selection: import-export's selectable-fields template has inline
    # scripts and styles, which the site's Content-Security-Policy blocks.
    export_form_class = ExportForm

    def has_import_permission(self, request):
        return may_import(request, self.opts)

    @admin.display(description=_("invoice date"), ordering="invoice_date")
    def invoice_column(self, purchase):
        return date_format(purchase.invoice_date, "SHORT_DATE_FORMAT")

    @admin.display(description=_("reference"), ordering="reference")
    def reference_column(self, purchase):
        # A reference breaks at its hyphens otherwise (LD-2026- / 000182).
        return format_html(
            '<span class="nowrap">{}</span><br><span class="quiet">{}</span>',
            purchase.reference,
            purchase.distributor.name,
        )

    @admin.display(description=_("partner"), ordering="partner__name")
    def partner_column(self, purchase):
        return purchase.partner.name

    @admin.display(description=_("product"), ordering="product__name")
    def product_column(self, purchase):
        return f"{purchase.quantity} × {purchase.product.name}"

    def get_import_resource_classes(self, request):
        return [SalesReportResource]

    def get_import_data_kwargs(self, request, form, **kwargs):
        return {"distributor": form.cleaned_data["distributor"]}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["distributor"] = import_form.cleaned_data["distributor"].pk
        return initial

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed since the dry run (a partner or product gone, a reference imported).
            problems = result.file_errors or [str(error) for error in result.report.errors[:5]]
            messages.error(request, gettext("Nothing was imported. %(problems)s") % {"problems": " ".join(problems)})
            return self.import_page()
        return super().process_result(result, request)

    def generate_log_entries(self, result, request):
        # A report has up to 100,000 rows: one LogEntry for its SalesImport, not one per purchase.
        LogEntry.objects.log_actions(
            request.user.pk, [result.report.sales_import], ADDITION, change_message=gettext("Sales report imported.")
        )

    def add_success_message(self, result, request):
        report = result.report
        messages.success(
            request,
            gettext(
                "Sales report %(file)s of %(distributor)s imported: %(created)d new, %(updated)d updated, "
                "%(unchanged)d already imported."
            )
            % {
                "file": report.file_name,
                "distributor": report.distributor,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        if report.upgrades:
            count = len(report.upgrades)
            named = ", ".join(
                gettext("%(partner)s to %(tier)s") % {"partner": e.partner.name, "tier": e.qualified.name}
                for e in report.upgrades[:UPGRADES_NAMED]
            )
            if count > UPGRADES_NAMED:
                named = gettext("%(named)s and %(more)d more") % {"named": named, "more": count - UPGRADES_NAMED}
            messages.success(
                request,
                ngettext("Upgraded %(count)d partner: %(named)s.", "Upgraded %(count)d partners: %(named)s.", count)
                % {"count": count, "named": named},
            )


@admin.register(SalesImport)
class SalesImportAdmin(admin.ModelAdmin):
    """The record of every report imported; written only by the import."""

    list_display = ["imported_at", "distributor", "file_name", "rows", "created", "updated", "unchanged", "imported_by"]
    list_filter = ["distributor", "imported_at", ("imported_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["distributor", "imported_by"]
    search_fields = ["file_name", "distributor__name"]
    date_hierarchy = "imported_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
