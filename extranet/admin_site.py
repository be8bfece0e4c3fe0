"""The admin site: Django's, plus the channel managers' dashboard at /admin/dashboard/."""

from django.contrib.admin import AdminSite
from django.urls import path


class ExtranetAdminSite(AdminSite):
    def get_urls(self):
        # Imported here: the admin modules import models, which are not ready when the site is created.
        from partners.admin.dashboard import dashboard_view

        dashboard = path("dashboard/", self.admin_view(dashboard_view), {"site": self}, name="dashboard")
        return [dashboard, *super().get_urls()]
