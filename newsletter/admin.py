"""Staff write newsletter issues, publish them, and follow who received them."""

from smtplib import SMTPException

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.admin.history import HistoryAdmin

from .models import Delivery, Issue
from .services import issue_publish, issue_send_test

EVERYWHERE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
# Staff choose between these; "sending" and "sent" belong to the send itself.
EDITABLE_STATUSES = [Issue.Status.DRAFT, Issue.Status.SCHEDULED]


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Publish now"),
    description_plural=gettext_lazy("Publish selected issues now"),
    location=EVERYWHERE,
)
def publish_now(modeladmin, request, queryset):
    queued = []
    for issue in queryset:
        try:
            issue_publish(issue=issue, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                modeladmin.message_user(request, message, messages.ERROR)
        else:
            queued.append(f"“{issue.subject}”")
    if queued:
        modeladmin.message_user(
            request,
            _("Sending in the background: %(issues)s. The recipients column shows the progress.")
            % {"issues": ", ".join(queued)},
            messages.SUCCESS,
        )


@admin.action(
    description=gettext_lazy("Send test to me"),
    description_plural=gettext_lazy("Send a test of the selected issues to me"),
    location=EVERYWHERE,
)
def send_test_to_me(modeladmin, request, queryset):
    for issue in queryset.select_related("min_tier"):
        try:
            issue_send_test(issue=issue, to=request.user)
        except (SMTPException, OSError) as error:
            modeladmin.message_user(
                request,
                _("The test of “%(subject)s” was not sent: %(error)s") % {"subject": issue.subject, "error": error},
            )
        else:
            modeladmin.message_user(
                request,
                _("Test of “%(subject)s” sent to %(email)s.") % {"subject": issue.subject, "email": request.user.email},
                messages.SUCCESS,
            )


@admin.register(Issue)
class IssueAdmin(HistoryAdmin):
    list_display = ["subject", "language", "min_tier", "publish_on", "status", "recipients", "failed"]
    list_filter = ["status", "language", "min_tier"]
    list_select_related = ["min_tier"]
    search_fields = ["subject", "body"]
    date_hierarchy = "publish_on"
    fields = [
        "subject",
        "body",
        "language",
        "min_tier",
        "publish_on",
        "status",
        "sent_at",
        "created_by",
        "delivery_summary",
    ]
    readonly_fields = ["sent_at", "created_by", "delivery_summary"]
    actions = [publish_now, send_test_to_me]
    view_on_site = False  # the extranet page is for partners; staff have no membership

    def get_queryset(self, request):
        return super().get_queryset(request).with_delivery_counts()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status not in EDITABLE_STATUSES:
            return [*self.readonly_fields, "status"]
        return self.readonly_fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [(status.value, status.label) for status in EDITABLE_STATUSES]
            kwargs["help_text"] = _(
                "A scheduled issue is sent on its publish date by the periodic check; “Publish now” sends it at once."
            )
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _deliveries_url(self, obj, **filters) -> str:
        query = "&".join(f"{key}={value}" for key, value in {"issue__id__exact": obj.pk, **filters}.items())
        return f"{reverse('admin:newsletter_delivery_changelist')}?{query}"

    @admin.display(description=gettext_lazy("recipients"), ordering="recipients")
    def recipients(self, obj):
        return format_html('<a href="{}">{}</a>', self._deliveries_url(obj, status__exact="sent"), obj.recipients)

    @admin.display(description=gettext_lazy("failed"), ordering="failed")
    def failed(self, obj):
        if not obj.failed:
            return 0
        return format_html('<a href="{}">{}</a>', self._deliveries_url(obj, status__exact="failed"), obj.failed)

    @admin.display(description=gettext_lazy("deliveries"))
    def delivery_summary(self, obj):
        if obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            self._deliveries_url(obj),
            _("%(sent)d sent, %(failed)d failed, %(pending)d being sent")
            % {"sent": obj.recipients, "failed": obj.failed, "pending": obj.pending},
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Written only by the send. Deleting a delivery left "being sent" by a crash allows one more send."""

    list_display = ["issue", "user", "status", "attempts", "created_at", "sent_at", "message_id"]
    list_filter = ["status", ("issue", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["issue", "user"]
    search_fields = ["user__email", "message_id", "issue__subject"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
