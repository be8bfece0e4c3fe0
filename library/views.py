from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partners.access import partner_member_required

from .access import access_resource_for_user
from .downloads import resource_file_response
from .filters import ResourceFilter
from .models import Resource
from .tables import ResourceTable
from .teasers import locked_tiers


@method_decorator([require_safe, partner_member_required], name="dispatch")
class ResourceListView(SingleTableMixin, FilterView):
    """What the partner's tier may download, and locked teasers for the rest.

    htmx requests from the filter form, the sort headers and the pages get only the results.
    """

    table_class = ResourceTable
    filterset_class = ResourceFilter
    table_pagination = {"per_page": 20}
    template_name = "library/resource_list.html"

    def get_queryset(self):
        return (
            Resource.objects.for_partner(self.request.partner).with_category_order().order_by("category_order", "title")
        )

    def is_fragment(self) -> bool:
        """htmx swaps in the results; a history restore after a cache miss needs the whole page."""
        htmx = self.request.htmx
        return bool(htmx) and not htmx.history_restore_request

    def get_template_names(self):
        return ["library/_resource_results.html" if self.is_fragment() else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fragment"] = self.is_fragment()
        locked = ResourceFilter(self.request.GET or None, queryset=Resource.objects.locked_for(self.request.partner))
        valid = not locked.is_bound or locked.is_valid()
        context["locked_tiers"] = locked_tiers(
            locked.qs if valid else locked.queryset.none(), self.request.partner, on=timezone.localdate()
        )
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The same URL answers with a fragment or a page: caches must tell them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response


resource_list = ResourceListView.as_view()


@require_safe
@partner_member_required
def resource_download(request, pk: int):
    return resource_file_response(access_resource_for_user(request.user, pk, membership=request.membership))
