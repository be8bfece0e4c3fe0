"""The partner's NFR licences: list, request, renew, export. Views read, call a service, render."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partners.access import partner_member_required
from partners.imports.formats import formula_escape

from .access import access_licence_for_user, licences_for_user
from .filters import LicenceFilter
from .forms import LicenceRequestForm
from .models import Licence
from .services import licence_allowance, licence_renew, licence_request
from .tables import LicenceTable


def _listed(request: HttpRequest):
    return licences_for_user(request.user).select_related("product", "requested_by").with_open_renewal()


@method_decorator(partner_member_required, name="dispatch")
class LicenceListView(SingleTableMixin, FilterView):
    table_class = LicenceTable
    filterset_class = LicenceFilter
    template_name = "nfr/licence_list.html"
    # The table paginates; `paginate_by` would make the list view count and slice a second time.
    table_pagination = {"per_page": 25}

    def get_queryset(self):
        return _listed(self.request)

    def get_table_kwargs(self):
        return {"today": self.today}

    def get(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issued = self.request.GET.get("issued", "")
        context["allowance"] = licence_allowance(partner=self.request.partner, on=self.today)
        context["issued"] = (
            licences_for_user(self.request.user).issued().select_related("product").filter(pk=issued).first()
            if issued.isdigit()
            else None
        )
        context["export_query"] = urlencode(
            {name: value for name, value in self.request.GET.items() if name in self.filterset.filters and value}
        )
        return context


def _after_allocation(request: HttpRequest, licence: Licence) -> HttpResponse:
    """Show a fresh key on the list; tell the person when the request waits for approval."""
    if licence.status == Licence.Status.ISSUED:
        messages.success(request, _("Your NFR licence for %(product)s is issued.") % {"product": licence.product.name})
        return redirect(reverse("nfr:licence-list") + "?" + urlencode({"issued": licence.pk}))
    messages.info(
        request,
        _(
            "Your request for %(product)s exceeds this year's allowance and now awaits a channel manager's "
            "approval. You will get an email when it is decided."
        )
        % {"product": licence.product.name},
    )
    return redirect("nfr:licence-list")


@partner_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def licence_request_view(request: HttpRequest) -> HttpResponse:
    form = LicenceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            licence = licence_request(
                partner=request.partner,
                product=form.cleaned_data["product"],
                purpose=form.cleaned_data["purpose"],
                requested_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _after_allocation(request, licence)
    allowance = licence_allowance(partner=request.partner)
    return render(request, "nfr/licence_request.html", {"form": form, "allowance": allowance})


@partner_member_required
@require_POST
def licence_renew_view(request: HttpRequest, pk: int) -> HttpResponse:
    licence = access_licence_for_user(request.user, pk)
    try:
        renewal = licence_renew(licence=licence, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("nfr:licence-list")
    return _after_allocation(request, renewal)


def _csv_cell(value) -> str:
    # The same escaping as the admin's exports (CSV injection).
    return formula_escape("" if value is None else str(value))


@partner_member_required
@require_GET
def licence_export(request: HttpRequest) -> HttpResponse:
    """The partner's licences (as filtered on the list) as CSV, in the list's columns."""
    filterset = LicenceFilter(request.GET, queryset=_listed(request), request=request)
    licences = filterset.qs if filterset.is_valid() else Licence.objects.none()
    table = LicenceTable(licences, today=timezone.localdate(), order_by=request.GET.get("sort") or None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"nfr-licences-{request.partner.slug}.csv"
    )
    # Excel reads UTF-8 (Zürich, Léman) only with a byte-order mark.
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in table.as_values():
        writer.writerow([_csv_cell(cell) for cell in row])
    return response
