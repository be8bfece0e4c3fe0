"""Filters of the partner's licence list."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Product

from .models import Licence


def _products_of_partner(request):
    if request is None or not hasattr(request, "partner"):
        return Product.objects.none()
    return Product.objects.filter(nfr_licences__partner=request.partner).distinct()


class LicenceFilter(django_filters.FilterSet):
    """Status as the person sees it: an issued licence past its expiry is "expired"."""

    STATES = [
        ("current", _("Valid")),
        ("expired", _("Expired")),
        ("pending", _("Awaiting approval")),
        ("rejected", _("Rejected")),
    ]

    product = django_filters.ModelChoiceFilter(
        queryset=_products_of_partner, label=_("Product"), empty_label=_("All products")
    )
    status = django_filters.ChoiceFilter(
        choices=STATES, method="filter_status", label=_("Status"), empty_label=_("Any status")
    )

    class Meta:
        model = Licence
        fields = ["product", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        match value:
            case "current":
                return queryset.current(on=today)
            case "expired":
                return queryset.expired(on=today)
            case "pending":
                return queryset.pending()
            case "rejected":
                return queryset.filter(status=Licence.Status.REJECTED)
        return queryset
