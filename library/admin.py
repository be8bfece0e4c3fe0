"""Staff manage the library: upload checked files, choose who may download, publish in bulk."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from partners.admin.history import HistoryAdmin

from .downloads import resource_file_response
from .forms import ResourceAdminForm
from .models import Resource
from .services import resource_publish, resource_save, resource_unpublish


@admin.register(Resource)
class ResourceAdmin(HistoryAdmin):
    form = ResourceAdminForm
    list_display = ["title", "category", "language", "min_tier", "published", "file_size", "updated_at"]
    list_filter = ["category", "language", "min_tier", "published"]
    list_select_related = ["min_tier"]
    search_fields = ["title", "description", "original_filename"]
    actions = ["publish", "unpublish"]
    readonly_fields = ["stored_file", "published_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "description", "category", "language"]}),
        (_("File"), {"fields": ["file", "stored_file"]}),
        (_("Access"), {"fields": ["min_tier", "published", "published_at", "updated_at"]}),
    ]

    class Media:
        js = ["library/resource_admin.js"]

    def get_fieldsets(self, request, obj=None):
        if obj is None or self.has_change_permission(request, obj):
            return self.fieldsets
        # A read-only "file" would ask the private storage for a URL it refuses; "stored_file" links the download.
        return [(name, {**opts, "fields": [f for f in opts["fields"] if f != "file"]}) for name, opts in self.fieldsets]

    @admin.display(description=_("size"), ordering="size")
    def file_size(self, resource: Resource) -> str:
        return filesizeformat(resource.size)

    @admin.display(description=_("current file"))
    def stored_file(self, resource: Resource) -> str:
        if not resource.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a> ({}, {})',
            reverse("admin:library_resource_download", args=[resource.pk]),
            resource.original_filename,
            filesizeformat(resource.size),
            resource.content_type,
        )

    def get_urls(self):
        download = path(
            "<int:pk>/download/", self.admin_site.admin_view(self.download_view), name="library_resource_download"
        )
        return [download, *super().get_urls()]

    def download_view(self, request, pk: int):
        """Staff check an upload as partners will receive it."""
        resource = self.get_object(request, str(pk))
        if resource is None:
            raise Http404
        if not self.has_view_permission(request, resource):
            raise PermissionDenied
        return resource_file_response(resource)

    def save_model(self, request, obj, form, change):
        resource_save(resource=obj, upload=form.inspected_upload, by=request.user)

    @admin.action(description=_("Publish the selected resources"), permissions=["change"])
    def publish(self, request, queryset):
        count = resource_publish(resources=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d resource published.", "%(count)d resources published.", count) % {"count": count},
        )

    @admin.action(description=_("Unpublish the selected resources"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = resource_unpublish(resources=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d resource unpublished.", "%(count)d resources unpublished.", count) % {"count": count},
        )
