from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Partner directory")

    def ready(self):
        from partners.models import Language, Partner, Service, Territory, Tier
        from partners.signals import partners_bulk_changed

        from .listing_cache import directory_changed

        # What the directory's listing shows; see listing_cache.py.
        for model in (Partner, Tier, Territory, Language, Service):
            post_save.connect(directory_changed, sender=model, dispatch_uid=f"directory-{model.__name__}-saved")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=f"directory-{model.__name__}-deleted")
        for through in (Partner.languages.through, Partner.services.through, Territory.languages.through):
            m2m_changed.connect(directory_changed, sender=through, dispatch_uid=f"directory-{through.__name__}")
        partners_bulk_changed.connect(directory_changed, dispatch_uid="directory-partners-bulk")
