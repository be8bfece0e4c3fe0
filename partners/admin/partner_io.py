"""django-import-export glue for partners: the bulk import of existing partners and the partner export.

The import delegates to `partners.imports.partners.partners_import`, the importer the command
uses, so the admin's dry run and `manage.py import_partners --dry-run` give the same answers.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV
from import_export.forms import ConfirmImportForm, ExportForm
from import_export.results import Result, RowResult

from ..imports.formats import ExcelXLSX, SniffingCSV
from ..imports.partner_columns import COLUMNS
from ..imports.partners import PartnerImportResult, partners_import
from ..models import Partner
from .spreadsheets import (
    NATIVE_DATE,
    ConfirmFromTheBrowserMixin,
    ExtensionImportForm,
    FormulaEscapingExport,
    NativeXLSX,
    may_import,
)

CENTS = Decimal("0.01")

INVITE_HELP = _(
    "Email an owner invitation to each partner's owner email, unless the partner has an owner or an open "
    "invitation already. Without it, nobody is emailed; importing again with it invites those still without "
    "an owner."
)


class PartnerImportForm(ExtensionImportForm):
    """The upload form with the invitation choice; the format follows the file's extension when left empty."""

    send_invitations = forms.BooleanField(label=_("Send owner invitations"), required=False, help_text=INVITE_HELP)
    field_order = ["resource", "import_file", "format", "send_invitations"]

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["import_file"].help_text = _(
            "CSV or XLSX. Required columns: company name and tier. Each column may be headed by any of its names:"
        )
        self.columns = [(label, ", ".join(aliases)) for label, aliases in COLUMNS.values()]


class PartnerConfirmImportForm(ConfirmImportForm):
    send_invitations = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PartnerImportAdminResult(Result):
    """import-export's result carrying the importer's own, which the template shows as `result.report`."""

    def __init__(self, report: PartnerImportResult):
        super().__init__()
        self.report = report
        self.total_rows = len(report.outcomes) + len({error.row for error in report.errors})
        self.totals[RowResult.IMPORT_TYPE_NEW] = report.created
        self.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
        self.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
        self.totals[RowResult.IMPORT_TYPE_INVALID] = len(report.errors)

    def has_errors(self):
        return False

    def has_validation_errors(self):
        return bool(self.report.errors)


class PartnerImportResource(resources.ModelResource):
    """Imports a whole file at once through `partners_import` instead of row by row."""

    class Meta:
        model = Partner
        fields = ()

    @classmethod
    def get_display_name(cls):
        return gettext("Partners from the previous programme")

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        report = partners_import(
            datasets=[dataset], actor=kwargs.get("user"), invite=kwargs.get("invite", False), dry_run=dry_run
        )
        return PartnerImportAdminResult(report)


class PartnerExportResource(FormulaEscapingExport, resources.ModelResource):
    """Partners as a spreadsheet; the English headers are those the import reads, so an export imports again."""

    number = fields.Field(attribute="number", column_name=_("number"))
    name = fields.Field(attribute="name", column_name=_("company name"))
    uid = fields.Field(attribute="uid", column_name=_("UID"))
    tier = fields.Field(attribute="tier__name", column_name=_("tier"))
    status = fields.Field(attribute="get_status_display", column_name=_("status"))
    territory = fields.Field(attribute="territory__code", column_name=_("territory"))
    distributor = fields.Field(attribute="distributor__code", column_name=_("distributor"))
    account_manager = fields.Field(attribute="account_manager__email", column_name=_("account manager"))
    street = fields.Field(attribute="street", column_name=_("street"))
    postcode = fields.Field(attribute="postcode", column_name=_("postcode"))
    city = fields.Field(attribute="city", column_name=_("city"))
    region = fields.Field(attribute="region", column_name=_("region"))
    country = fields.Field(attribute="country", column_name=_("country"))
    email = fields.Field(attribute="email", column_name=_("email"))
    website = fields.Field(attribute="website", column_name=_("website"))
    phone = fields.Field(attribute="phone", column_name=_("phone"))
    joined_on = fields.Field(attribute="joined_on", column_name=_("joined on"), widget=NATIVE_DATE)
    volume_12m = fields.Field(attribute="volume_12m", column_name=_("12-month volume (EUR)"))

    class Meta:
        model = Partner
        fields = export_order = [
            "number",
            "name",
            "uid",
            "tier",
            "status",
            "territory",
            "distributor",
            "account_manager",
            "street",
            "postcode",
            "city",
            "region",
            "country",
            "email",
            "website",
            "phone",
            "joined_on",
            "volume_12m",
        ]

    def dehydrate_volume_12m(self, partner) -> Decimal:
        # The database's sum comes as 2470, 5790.00000000000 or 18150.0000000000: always cents, 5790.00.
        return Decimal(partner.volume_12m).quantize(CENTS)


class PartnerImportExportMixin(ConfirmFromTheBrowserMixin, ImportExportMixin):
    import_formats = [SniffingCSV, ExcelXLSX]
    export_formats = [CSV, NativeXLSX]
    resource_classes = [PartnerExportResource]
    import_form_class = PartnerImportForm
    confirm_form_class = PartnerConfirmImportForm
    import_template_name = "admin/partners/partner/import.html"
    # The form without field selection: import-export's selectable-fields template has inline
    # scripts and styles, which the site's Content-Security-Policy blocks.
    export_form_class = ExportForm

    def has_import_permission(self, request):
        return may_import(request, self.opts)

    def get_import_resource_classes(self, request):
        return [PartnerImportResource]

    def get_import_data_kwargs(self, request, form, **kwargs):
        return {"invite": form.cleaned_data.get("send_invitations", False)}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["send_invitations"] = import_form.cleaned_data.get("send_invitations", False)
        return initial

    def process_result(self, result, request):
        if result.has_validation_errors():
            # The data changed since the dry run (a tier or staff member gone, a partner added).
            problems = " ".join(str(error) for error in result.report.errors[:5])
            messages.error(request, gettext("Nothing was imported. %(problems)s") % {"problems": problems})
            return HttpResponseRedirect(reverse("admin:partners_partner_import", current_app=self.admin_site.name))
        return super().process_result(result, request)

    def generate_log_entries(self, result, request):
        # New partners in the admin's log in one bulk insert; changes are in each partner's history.
        created = [outcome.partner for outcome in result.report.outcomes if outcome.action == "new"]
        if created:
            LogEntry.objects.log_actions(
                request.user.pk, created, ADDITION, change_message=gettext("Imported from the previous programme.")
            )

    def add_success_message(self, result, request):
        report = result.report
        message = gettext("Partners imported: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
        if report.invite:
            count = len(report.invitations)
            message += " " + ngettext(
                "%(count)d owner invitation sent.", "%(count)d owner invitations sent.", count
            ) % {"count": count}
        messages.success(request, message)
