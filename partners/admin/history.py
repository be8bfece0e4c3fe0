from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin whose revert is a change like any other: it needs the change permission.

    simple_history 3.13 saves a POSTed old version for anyone who may merely view the object
    (found by tests/test_admin_access_matrix.py: the read-only partner desk could rewrite tiers).
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyHistoryAdmin(HistoryAdmin):
    """History to read, not to revert.

    A revert saves an old version straight through the form, which would bypass the
    services that guard these writes (the tier change log, the territory check).
    """

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
