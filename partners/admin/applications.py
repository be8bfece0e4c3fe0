"""Distributor applications: record each request, see its overlap with active distributors, decide.

Accepting creates the distributor, refusing emails the reason; both go through the services and
report per application. A decided application is read-only.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import DistributorApplication
from ..services import distributor_application_accept, distributor_application_refuse, distributor_application_save
from ..services.distributor_applications import distributor_application_overlaps
from .actions import EVERYWHERE, _apply_each, _with_reason
from .filters import PendingFirstStatusFilter

Status = DistributorApplication.Status


class OverlapFilter(admin.SimpleListFilter):
    """By the overlap recorded at the last save or acceptance; the list shows the overlap as it is now."""

    title = gettext_lazy("has overlap")
    parameter_name = "overlap"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(overlap="")
        if self.value() == "no":
            return queryset.filter(overlap="")
        return queryset


def _named(queryset):
    # The shared action helpers name each object by `.name`; an application's name is its company.
    return queryset.annotate(name=F("company"))


def _territories(application) -> str:
    return ", ".join(str(territory) for territory in application.territories.all())


def _decide(modeladmin, request, decide, message: str):
    """Run `decide` on an application and note it in the application's admin history."""

    def run(application, *args):
        decided = decide(application, *args)
        modeladmin.log_change(request, decided, message)
        return decided

    return run


@admin.action(
    permissions=["accept"],
    description=gettext_lazy("Accept: create the distributor"),
    description_plural=gettext_lazy("Accept selected applications: create the distributors"),
    location=EVERYWHERE,
)
def accept_application(modeladmin, request, queryset):
    """Applications whose territories an active distributor serves stay pending, with the overlap named."""
    accept = _decide(
        modeladmin,
        request,
        lambda application: distributor_application_accept(application=application, actor=request.user),
        _("Accepted, distributor created."),
    )
    # One message per application: it names the one distributor created and the one applicant emailed.
    for application in _named(queryset):
        _apply_each(modeladmin, request, [application], accept, _("Accepted, distributor created, applicant emailed"))


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Refuse application"),
    description_plural=gettext_lazy("Refuse selected applications"),
    location=EVERYWHERE,
)
def refuse_application(modeladmin, request, queryset):
    """The applicants receive the reason by email, in their language; write it for them."""
    queryset = _named(queryset)
    refuse = _decide(
        modeladmin,
        request,
        lambda application, reason: distributor_application_refuse(
            application=application, reason=reason, actor=request.user
        ),
        _("Refused."),
    )
    response = _with_reason(
        modeladmin,
        request,
        queryset,
        action="refuse_application",
        title=_("Refuse application"),
        rows=[(application, _territories(application)) for application in queryset],
        decide=refuse,
        done=ngettext("Refused, applicant told by email", "Refused, applicants told by email", len(queryset)),
    )
    if response is not None:
        # The shared reason form speaks of the tier change log; this reason goes to the applicant.
        response.context_data["form"].fields["reason"].help_text = _(
            "Emailed to the applicant in the language of the application."
        )
    return response


class ApplicationChangeList(ChangeList):
    def get_results(self, request):
        """The page's overlaps worded now, in the reader's language: a fixed number of queries, none per row."""
        super().get_results(request)
        overlaps = distributor_application_overlaps(applications=self.result_list)
        for application in self.result_list:
            application.overlap_now = overlaps[application.pk]


def _overlap_html(lines: list[str]):
    return format_html("<strong>{}</strong>{}", _("Yes"), format_html_join("", "<br>{}", ((line,) for line in lines)))


DETAILS = ["company", "contact_name", "contact_email", "phone", "website", "language", "received_on"]
REQUEST = ["territories", "overlap_display", "message"]
DECISION = ["status", "refusal_reason", "distributor_link", "decided_by", "decided_at"]


@admin.register(DistributorApplication)
class DistributorApplicationAdmin(admin.ModelAdmin):
    list_display = ["company", "territory_list", "received_on", "status", "overlap_column", "decided_by"]
    list_filter = [PendingFirstStatusFilter.of(Status), OverlapFilter, "territories"]
    list_select_related = ["decided_by"]
    search_fields = ["company", "contact_name", "contact_email", "message"]
    date_hierarchy = "received_on"
    filter_horizontal = ["territories"]
    readonly_fields = ["overlap_display", *DECISION]
    actions = [accept_application, refuse_application]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("territories")

    def get_changelist(self, request, **kwargs):
        return ApplicationChangeList

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.status != Status.PENDING:
            # A decided application offers no decision any more (the services would refuse it anyway).
            context["action_form"] = None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": DETAILS}), (_("Request"), {"fields": REQUEST})]
        if obj is not None:
            fieldsets.append((_("Decision"), {"fields": DECISION}))
        return fieldsets

    def has_change_permission(self, request, obj=None):
        # A decision was emailed and may have created a distributor: it is kept as it was made.
        if obj is not None and obj.status != Status.PENDING:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Status.PENDING:
            return False
        return super().has_delete_permission(request, obj)

    def has_accept_permission(self, request):
        # Accepting decides the application and creates a distributor: both permissions.
        return self.has_change_permission(request) and request.user.has_perm("partners.add_distributor")

    def save_model(self, request, obj, form, change):
        # The service saves the application and its territories together and records the overlap.
        distributor_application_save(application=obj, territories=form.cleaned_data["territories"])
        if obj.overlap:
            self.message_user(
                request,
                _("%(company)s overlaps active distributors and cannot be accepted as it is: %(overlap)s")
                % {"company": obj.company, "overlap": " ".join(obj.overlap.splitlines())},
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the service has set the territories.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=gettext_lazy("territories"))
    def territory_list(self, application):
        return _territories(application)

    @admin.display(description=gettext_lazy("overlap"), ordering="overlap")
    def overlap_column(self, application):
        return _overlap_html(application.overlap_now) if application.overlap_now else _("No")

    @admin.display(description=gettext_lazy("overlap with active distributors"))
    def overlap_display(self, application):
        if application.pk is None:
            return _("Checked when the application is saved.")
        # Worded now, in the reader's language: the stored overlap is in the language of the last save.
        overlap = distributor_application_overlaps(applications=[application])[application.pk]
        if not overlap:
            return _("None: no active distributor serves these territories.")
        return _overlap_html(overlap)

    @admin.display(description=gettext_lazy("distributor created"))
    def distributor_link(self, application):
        distributor = application.distributor
        if distributor is None:
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:partners_distributor_change", args=[distributor.pk]), distributor
        )
