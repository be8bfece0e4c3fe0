"""django-import-export glue for purchases: the sales report import and the purchase export.

The import delegates to `partners.imports.sales.sales_import`, the importer the command uses,
so the admin's dry run and `manage.py import_sales --dry-run` give the same answers.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.forms import ConfirmImportForm
from import_export.results import Result, RowResult

from ..imports.sales import SalesFileError, SalesImportResult, sales_import
from ..imports.sales_rows import COLUMN_HELP, COLUMNS
from ..models import Distributor, Purchase
from .spreadsheets import NATIVE_DATE, NATIVE_DECIMAL, NATIVE_INTEGER, ExtensionImportForm, FormulaEscapingExport


def distributor_field(**kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=Distributor.objects.order_by("name"), label=_("Distributor"), **kwargs)


class SalesReportImportForm(ExtensionImportForm):
    """The upload form, with the distributor whose report this is; the format follows the file's extension."""

    distributor = distributor_field(
        help_text=_("Whose sales report this is: references are matched against this distributor's purchases.")
    )
    field_order = ["distributor", "resource", "import_file", "format"]

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].help_text = COLUMN_HELP
        # Header names, not prose: the first of each is the English name the error messages use.
        self.columns = [(names[0], ", ".join(names[1:])) for names in COLUMNS.values()]


class SalesReportConfirmForm(ConfirmImportForm):
    distributor = distributor_field(widget=forms.HiddenInput)


class SalesReportResult(Result):
    """import-export's result carrying the importer's own: the templates show `report` and `file_errors`."""

    def __init__(self, report: SalesImportResult | None = None, file_errors: list[str] | None = None):
        super().__init__()
        self.report = report
        self.file_errors = file_errors or []
        if report:
            self.total_rows = report.rows
            self.totals[RowResult.IMPORT_TYPE_NEW] = report.created
            self.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
            self.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
            self.totals[RowResult.IMPORT_TYPE_INVALID] = report.error_count

    def has_errors(self):
        return bool(self.file_errors)

    def has_validation_errors(self):
        return bool(self.report and not self.report.ok)


class SalesReportResource(resources.ModelResource):
    """Imports a whole report at once through `sales_import` instead of row by row."""

    class Meta:
        model = Purchase
        fields = ()

    @classmethod
    def get_display_name(cls):
        return gettext("Distributor sales report")

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        try:
            report = sales_import(
                distributor=kwargs["distributor"],
                datasets=[dataset],
                file_name=kwargs.get("file_name") or "",
                actor=kwargs.get("user"),
                dry_run=dry_run,
            )
        except SalesFileError as error:
            return SalesReportResult(file_errors=error.messages)
        return SalesReportResult(report)


class PurchaseExportResource(FormulaEscapingExport, resources.ModelResource):
    """Purchases as a spreadsheet. The English headers are those the import reads, so an export imports again."""

    reference = fields.Field(attribute="reference", column_name=_("reference"))
    invoice_date = fields.Field(attribute="invoice_date", column_name=_("invoice date"), widget=NATIVE_DATE)
    partner_number = fields.Field(attribute="partner__number", column_name=_("partner number"))
    company = fields.Field(attribute="partner__name", column_name=_("company"))
    uid = fields.Field(attribute="partner__uid", column_name=_("UID"))
    postcode = fields.Field(attribute="partner__postcode", column_name=_("postcode"))
    sku = fields.Field(attribute="product__sku", column_name=_("SKU"))
    product_name = fields.Field(attribute="product__name", column_name=_("product name"))
    quantity = fields.Field(attribute="quantity", column_name=_("quantity"), widget=NATIVE_INTEGER)
    amount_eur = fields.Field(attribute="amount_eur", column_name=_("amount EUR"), widget=NATIVE_DECIMAL)
    distributor = fields.Field(attribute="distributor__name", column_name=_("distributor"))

    class Meta:
        model = Purchase
        fields = export_order = [
            "reference",
            "invoice_date",
            "partner_number",
            "company",
            "uid",
            "postcode",
            "sku",
            "product_name",
            "quantity",
            "amount_eur",
            "distributor",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("partner", "product", "distributor")
