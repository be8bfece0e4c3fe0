"""What the purchase and the partner admin share around django-import-export: upload form, escaping, permission."""

from pathlib import Path

from django.contrib.auth import get_permission_codename
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
