"""The channel managers' admin, one module per concern. Importing it registers every model."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .applications import DistributorApplicationAdmin
from .channel import DistributorAdmin, LanguageAdmin, ServiceAdmin, TerritoryAdmin
from .nominations import NominationAdmin
from .partner import PartnerAdmin
from .people import CertificationAdmin, InvitationAdmin, MembershipAdmin
from .programme import MarginBandAdmin, TierAdmin, TierChangeAdmin
from .sales import ProductAdmin, PurchaseAdmin
from .targets import RecruitmentTargetAdmin

admin.site.site_header = _("Partner programme administration")
admin.site.site_title = _("Partner programme administration")

__all__ = [
    "CertificationAdmin",
    "DistributorAdmin",
    "DistributorApplicationAdmin",
    "InvitationAdmin",
    "LanguageAdmin",
    "MarginBandAdmin",
    "MembershipAdmin",
    "NominationAdmin",
    "PartnerAdmin",
    "ProductAdmin",
    "PurchaseAdmin",
    "RecruitmentTargetAdmin",
    "ServiceAdmin",
    "TerritoryAdmin",
    "TierAdmin",
    "TierChangeAdmin",
]
