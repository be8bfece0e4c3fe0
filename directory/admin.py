"""Channel managers follow up the messages visitors send to partners through the directory."""

from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ExportForm

from .models import ContactRequest
from .services import contact_requests_mark_handled


class HandledFilter(admin.SimpleListFilter):
    """Open requests by default: they are what a channel manager has to look at."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("handled", _("Handled")), ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(handled=False)
        if value == "handled":
            return queryset.filter(handled=True)
        return queryset


class ContactRequestResource(resources.ModelResource):
    """The export of contact requests: what a channel manager follows up in a spreadsheet.

    Column names in the manager's language; times in the site's time zone, with it named.
    """

    created_at = fields.Field(
        attribute="created_at", column_name=_("received"), widget=widgets.DateTimeWidget("%Y-%m-%d %H:%M %Z")
    )
    partner = fields.Field(attribute="partner__name", column_name=_("partner"))
    partner_tier = fields.Field(attribute="partner__tier__name", column_name=_("partner level"))
    name = fields.Field(attribute="name", column_name=_("name"))
    email = fields.Field(attribute="email", column_name=_("email address"))
    company = fields.Field(attribute="company", column_name=_("company"))
    language = fields.Field(attribute="get_language_display", column_name=_("language"))
    message = fields.Field(attribute="message", column_name=_("message"))
    handled = fields.Field(attribute="handled", column_name=_("handled"))

    class Meta:
        model = ContactRequest
        fields = export_order = [
            "created_at",
            "partner",
            "partner_tier",
            "name",
            "email",
            "company",
            "language",
            "message",
            "handled",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("partner__tier")

    def dehydrate_handled(self, contact):
        return gettext("yes") if contact.handled else gettext("no")


@admin.register(ContactRequest)
class ContactRequestAdmin(ExportMixin, admin.ModelAdmin):
    resource_classes = [ContactRequestResource]
    formats = [CSV, XLSX]
    # The form without field selection: import-export's selectable-fields template has inline
    # scripts and styles, which the site's Content-Security-Policy blocks.
    export_form_class = ExportForm
    list_display = ["created_at", "partner", "name", "email", "company", "language", "handled"]
    list_filter = [HandledFilter, "created_at", "language", "partner__tier", "partner__account_manager"]
    list_select_related = ["partner"]
    search_fields = ["name", "email", "company", "message", "partner__name"]
    date_hierarchy = "created_at"
    actions = ["mark_handled", "mark_open"]
    fields = [
        "partner",
        "created_at",
        "name",
        "email",
        "company",
        "language",
        "message",
        "ip_hash",
        "handled",
        "handled_at",
    ]
    readonly_fields = [field for field in fields if field != "handled"]

    def has_add_permission(self, request):
        # Requests come from visitors through the directory only.
        return False

    def save_model(self, request, obj, form, change):
        if "handled" in form.changed_data:
            contact_requests_mark_handled(contacts=ContactRequest.objects.filter(pk=obj.pk), handled=obj.handled)

    @admin.action(description=_("Mark the selected requests as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        count = contact_requests_mark_handled(contacts=queryset, handled=True)
        self.message_user(
            request,
            ngettext("%(count)d request marked as handled.", "%(count)d requests marked as handled.", count)
            % {"count": count},
        )

    @admin.action(description=_("Mark the selected requests as open again"), permissions=["change"])
    def mark_open(self, request, queryset):
        count = contact_requests_mark_handled(contacts=queryset, handled=False)
        self.message_user(
            request,
            ngettext("%(count)d request marked as open.", "%(count)d requests marked as open.", count)
            % {"count": count},
        )
