from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NfrConfig(AppConfig):
    name = "nfr"
    verbose_name = _("NFR licences")
