"""Channel managers decide on licence requests beyond the allowance; everything else is read-only here."""

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation, helpers
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.admin.history import ReadOnlyHistoryAdmin

from .forms import RejectionForm
from .models import Licence
from .services import licence_approve, licence_reject

EVERYWHERE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
# On a change form the action form carries this prefix (see ModelAdmin.changeform_view).
CHANGE_FORM_ACTION_FIELD = f"{ActionLocation.CHANGE_FORM.value}-action"


class DecisionFilter(admin.SimpleListFilter):
    """Status as partners see it, with the number of requests waiting for a decision in its label."""

    title = gettext_lazy("status")
    parameter_name = "decision"

    def lookups(self, request, model_admin):
        waiting = Licence.objects.pending().count()
        return [
            ("pending", _("Awaiting approval (%(count)d)") % {"count": waiting}),
            ("current", _("Valid")),
            ("expired", _("Expired")),
            ("rejected", _("Rejected")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "pending":
                return queryset.pending()
            case "current":
                return queryset.current()
            case "expired":
                return queryset.expired()
            case "rejected":
                return queryset.filter(status=Licence.Status.REJECTED)
        return queryset


class IssuedYearFilter(admin.SimpleListFilter):
    """The calendar year a licence was issued in: the year it counts against the allowance."""

    title = gettext_lazy("year issued")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(day.year), str(day.year)) for day in Licence.objects.dates("issued_on", "year", order="DESC")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(issued_on__year=int(self.value()))
        return queryset


def _apply_each(modeladmin, request, licences, decide, done: str) -> None:
    succeeded = []
    for licence in licences:
        try:
            decide(licence)
        except ValidationError as error:
            for message in error.messages:
                modeladmin.message_user(request, message, messages.ERROR)
        else:
            succeeded.append(str(licence))
    if succeeded:
        modeladmin.message_user(
            request, _("%(done)s: %(licences)s.") % {"done": done, "licences": "; ".join(succeeded)}, messages.SUCCESS
        )


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Approve licence request"),
    description_plural=gettext_lazy("Approve selected licence requests"),
    location=EVERYWHERE,
)
def approve(modeladmin, request, queryset):
    _apply_each(
        modeladmin,
        request,
        queryset.select_related("partner", "product", "requested_by"),
        lambda licence: licence_approve(licence=licence, actor=request.user),
        _("Approved and issued"),
    )


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Reject licence request"),
    description_plural=gettext_lazy("Reject selected licence requests"),
    location=EVERYWHERE,
)
def reject(modeladmin, request, queryset):
    """Ask for the reason first; it is emailed to each requester."""
    queryset = queryset.select_related("partner", "product", "requested_by")
    form = RejectionForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        _apply_each(
            modeladmin,
            request,
            queryset,
            lambda licence: licence_reject(licence=licence, reason=reason, actor=request.user),
            _("Rejected"),
        )
        return None
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Reject licence requests"),
        "subtitle": None,
        "opts": modeladmin.opts,
        "form": form,
        "licences": queryset,
        "action": "reject",
        "action_field": CHANGE_FORM_ACTION_FIELD if CHANGE_FORM_ACTION_FIELD in request.POST else "action",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "cancel_url": request.get_full_path(),
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/nfr/licence/action_reason.html", context)


@admin.register(Licence)
class LicenceAdmin(ReadOnlyHistoryAdmin):
    list_display = ["product", "partner", "status_column", "key", "issued_on", "expires_on", "requested_by"]
    list_filter = [DecisionFilter, "product", ("partner__tier", admin.RelatedOnlyFieldListFilter), IssuedYearFilter]
    list_select_related = ["product", "partner", "requested_by"]
    search_fields = ["partner__name", "key"]
    actions = [approve, reject]
    fields = [
        "partner",
        "product",
        "status",
        "key",
        "issued_on",
        "expires_on",
        "requested_by",
        "purpose",
        "created_at",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "renewal_of",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        waiting_first = Case(
            When(status=Licence.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return super().get_queryset(request).alias(waiting_first=waiting_first)

    def get_ordering(self, request):
        # Requests waiting for a decision come first.
        return [F("waiting_first").asc(), "-created_at"]

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_column(self, licence: Licence) -> str:
        return licence.display_status()

    def has_add_permission(self, request):
        # Licences come from partners' requests, through the allowance check.
        return False
