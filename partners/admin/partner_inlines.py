"""The partner form's inlines: its people and certifications, and read-only views of its records."""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from ..models import Certification, Membership, Purchase, TierChange
from .snapshot import evaluation_day

RECENT_PURCHASE_DAYS = 90


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 0

    def get_queryset(self, request):
        # The row's title is str(membership), which names the user and the partner.
        return super().get_queryset(request).select_related("user", "partner")


class CertificationInline(admin.TabularInline):
    model = Certification
    fields = ["holder", "exam", "number", "issued_on", "expires_on"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("holder")

    def get_formset(self, request, obj=None, **kwargs):
        """Limit holders to this partner's people, from the partner being edited."""
        formset = super().get_formset(request, obj, **kwargs)
        holder = formset.form.base_fields.get("holder")
        if holder is not None:
            # Former members stay choosable for the certifications recorded while they were members.
            holder.queryset = User.objects.filter(
                Q(membership__partner=obj) | Q(certifications__partner=obj)
            ).distinct()
            # Fetched once here and copied into every row, instead of one query per row.
            holder.choices = list(holder.choices)
        return formset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecentPurchaseInline(ReadOnlyInline):
    model = Purchase
    verbose_name_plural = lazy(lambda: _("purchases of the last %(days)d days") % {"days": RECENT_PURCHASE_DAYS}, str)()
    fields = readonly_fields = ["invoice_date", "product", "distributor", "quantity", "amount_eur", "reference"]

    def get_queryset(self, request):
        since = evaluation_day(request) - datetime.timedelta(days=RECENT_PURCHASE_DAYS)
        return super().get_queryset(request).filter(invoice_date__gt=since).select_related("product", "distributor")


class TierChangeInline(ReadOnlyInline):
    model = TierChange
    verbose_name_plural = gettext_lazy("tier change log")
    fields = readonly_fields = [
        "created_at",
        "kind",
        "from_tier",
        "to_tier",
        "reason",
        "volume_12m",
        "certified_technicians",
        "decided_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner", "from_tier", "to_tier", "decided_by")
