"""What the purchase and the partner admin share around django-import-export: upload form, escaping, permission."""

import re
from pathlib import Path

from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm
from import_export.widgets import DateWidget, DecimalWidget, IntegerWidget

from ..imports.formats import formula_escape


class ExtensionImportForm(ImportForm):
    """The upload form whose format may be left empty: the file's extension (.csv, .xlsx) then decides.

    `columns` lists (column, its accepted header names): the template shows them under the file field.
    """

    columns: list[tuple[str, str]] = []

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].required = False
        self.fields["format"].help_text = _("Leave empty to go by the file's extension (.csv or .xlsx).")
        self.format_titles = [str(title).lower() for _value, title in self.fields["format"].choices]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload and not cleaned.get("format"):
            extension = Path(upload.name).suffix.lstrip(".").lower()
            if extension in self.format_titles:
                cleaned["format"] = str(self.format_titles.index(extension) - 1)  # choices begin with "---"
            else:
                self.add_error("format", _("Choose the file's format: its extension is neither .csv nor .xlsx."))
        return cleaned


class ConfirmFromTheBrowserMixin:
    """The confirmation step's hidden fields come back from the browser, and import-export trusts them
    as list indexes and a file name. Whatever they hold, the answer is the upload page with a message.
    """

    # import-export's names for temporary uploads: "tmpk3j_x9q2" (files) or a uuid4 hex (cache, media).
    UPLOAD_NAME = re.compile(r"[\w-]{1,64}")

    def import_page(self) -> HttpResponseRedirect:
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_import"
        return HttpResponseRedirect(reverse(name, current_app=self.admin_site.name))

    def _confirmation_usable(self, request, form) -> bool:
        if not form.is_valid():
            return False
        formats = {str(index) for index in range(len(self.get_import_formats()))}
        resources = {str(index) for index in range(len(self.get_import_resource_classes(request)))}
        return (
            self.UPLOAD_NAME.fullmatch(form.cleaned_data["import_file_name"]) is not None
            and form.cleaned_data["format"] in formats
            and form.cleaned_data.get("resource", "") in {"", *resources}
        )

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if self._confirmation_usable(request, self.create_confirm_form(request)):
            try:
                return super().process_import(request, **kwargs)
            except (FileNotFoundError, IsADirectoryError, PermissionError):
                pass  # removed once imported (a second "Confirm"), expired, or a name no upload has
        messages.error(request, gettext("This upload was imported already or has expired. Upload the file again."))
        return self.import_page()


# Numbers and dates leave the resource as such, for CSV and XLSX alike: the XLSX below then writes
# number and date cells, and CSV writes str() of them (2026-01-31, 1234.50) as before.
NATIVE_DATE = DateWidget("%Y-%m-%d", coerce_to_string=False)
NATIVE_DECIMAL = DecimalWidget(coerce_to_string=False)
NATIVE_INTEGER = IntegerWidget(coerce_to_string=False)


class FormulaEscapingExport:
    """A resource mixin: text a spreadsheet would run as a formula gets a leading apostrophe.

    import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=" (and the
    imports could not tell). The imports take the apostrophe off again, so an export imports unchanged.
    Only text is escaped: numbers and dates stay numbers and dates.
    """

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # An empty cell, not the text "None".
        return "" if value is None else formula_escape(value)


class NativeXLSX(XLSX):
    """XLSX export whose amounts, quantities and dates are number and date cells, not text.

    IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT (on for the site's other exports) passes every cell
    through str() to strip a leading "=". The resources exported here escape their text cells
    themselves (FormulaEscapingExport), so that pass is skipped and the other cells keep their type.
    """

    def _escape_formulae(self, dataset):
        pass


def may_import(request, opts) -> bool:
    """An import creates rows and updates those it finds again: it needs both permissions on the model."""
    return all(
        request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("add", "change")
    )
