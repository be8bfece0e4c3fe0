from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from partners.models import Partner

from ..logos import logo_url

register = template.Library()


@register.simple_tag
def partner_logo_url(partner: Partner) -> str:
    """The logo's URL, versioned by the stored file so that a changed logo is not served from a cache."""
    return logo_url(partner)


def _chosen(field: BoundField) -> set[str]:
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    return {str(item) for item in values if item not in (None, "")}


@register.simple_tag
def facet_select(field: BoundField) -> str:
    """A filter's <select>, written in one pass.

    The same markup as the field's widget would render, without a template per option, which
    made the directory's filters half of its rendering time (docs/performance.md).
    """
    chosen = _chosen(field)
    selected = mark_safe(" selected")  # noqa: S308 (a constant)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, selected if str(value) in chosen else "", label) for value, label in field.field.choices),
    )
    css = field.field.widget.attrs.get("class", "")
    return format_html('<select name="{}" class="{}" id="{}">{}</select>', field.html_name, css, field.auto_id, options)


@register.simple_tag
def facet_checkboxes(field: BoundField) -> str:
    """A filter's checkboxes, each with its label, written in one pass (see `facet_select`)."""
    chosen = _chosen(field)
    checked = mark_safe(" checked")  # noqa: S308 (a constant)
    return format_html_join(
        "",
        '<div class="form-check"><input type="checkbox" name="{}" value="{}" class="form-check-input" id="{}_{}"{}>'
        '<label class="form-check-label" for="{}_{}">{}</label></div>',
        (
            (field.html_name, value, field.auto_id, index, checked if str(value) in chosen else "")
            + (field.auto_id, index, label)
            for index, (value, label) in enumerate(field.field.choices)
        ),
    )
