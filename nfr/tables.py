"""The partner's licence list; the CSV export reads the same columns."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Licence

STATUS_BADGES = {
    "pending": "text-bg-warning",
    "issued": "text-bg-success",
    "expired": "text-bg-secondary",
    "rejected": "text-bg-danger",
}


class LicenceTable(tables.Table):
    product = tables.Column(accessor="product__name", verbose_name=_("Product"), order_by=("product__name", "-pk"))
    key = tables.Column(verbose_name=_("Licence key"))
    issued_on = tables.DateColumn(verbose_name=_("Issued"), short=True)
    expires_on = tables.DateColumn(verbose_name=_("Expires"), short=True)
    status = tables.Column(verbose_name=_("Status"), order_by=("status", "expires_on"))
    requested_by = tables.Column(
        verbose_name=_("Requested by"), order_by=("requested_by__last_name", "requested_by__email")
    )
    renew = tables.Column(
        verbose_name=_("Renewal"), accessor="pk", orderable=False, empty_values=(), exclude_from_export=True
    )

    class Meta:
        model = Licence
        fields = ["product", "key", "issued_on", "expires_on", "status", "requested_by"]
        template_name = "django_tables2/bootstrap5-responsive.html"
        attrs = {"class": "table table-sm align-middle licence-table"}
        empty_text = _("No licences yet.")

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)

    def render_key(self, value):
        return format_html('<code class="licence-key text-nowrap">{}</code>', value)

    def render_status(self, record):
        state = "expired" if record.is_expired(self.today) else record.status
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES[state], record.display_status(self.today))

    def value_key(self, value):
        return value

    def value_issued_on(self, value):
        return value.isoformat() if value else ""

    def value_expires_on(self, value):
        return value.isoformat() if value else ""

    def value_status(self, record):
        return record.display_status(self.today)

    def render_renew(self, record):
        if record.renewal_refusal(self.today) is not None:
            return ""
        return render_to_string("nfr/_renew_button.html", {"licence": record}, request=self.request)
