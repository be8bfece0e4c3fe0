import django_tables2 as tables
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Resource


class ResourceTable(tables.Table):
    title = tables.TemplateColumn(
        template_name="library/_title_cell.html", verbose_name=_("Title"), order_by=("title",)
    )
    # data-label names the value where narrow screens stack the cells (site.css, "Library").
    category = tables.Column(
        verbose_name=_("Category"), order_by=("category_order", "title"), attrs={"td": {"data-label": _("Category")}}
    )
    language = tables.Column(verbose_name=_("Language"), attrs={"td": {"data-label": _("Language")}})
    size = tables.Column(verbose_name=_("Size"), attrs={"td": {"class": "text-nowrap", "data-label": _("Size")}})
    updated_at = tables.DateColumn(
        verbose_name=_("Updated"), attrs={"td": {"class": "text-nowrap", "data-label": _("Updated")}}
    )
    download = tables.TemplateColumn(
        template_name="library/_download_cell.html", verbose_name=_("File"), orderable=False, empty_values=()
    )

    class Meta:
        model = Resource
        fields = ["title", "category", "language", "size", "updated_at", "download"]
        template_name = "library/_table.html"
        attrs = {"class": "table align-middle library-table"}
        empty_text = _("No resources match these filters.")

    def render_size(self, value: int) -> str:
        return filesizeformat(value)
