from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner programme")

    def ready(self):
        from .roles import staff_groups_sync_after_migrate

        # The staff groups are the app's: every migrate sets their permissions (see partners/roles.py).
        post_migrate.connect(staff_groups_sync_after_migrate, sender=self, dispatch_uid="partners.staff_groups_sync")
