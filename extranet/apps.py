from django.contrib.admin.apps import AdminConfig


class ExtranetAdminConfig(AdminConfig):
    """django.contrib.admin with the project's site class (INSTALLED_APPS names this instead of the admin)."""

    default_site = "extranet.admin_site.ExtranetAdminSite"
