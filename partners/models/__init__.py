"""The partner programme's data. Split by concern; import models from here."""

from .invitations import Invitation
from .operations import DistributorApplication, Nomination, RecruitmentTarget, SalesImport
from .organisations import Certification, Distributor, Language, Membership, Partner, Service, Territory
from .program import MarginBand, Tier, TierChange
from .sales import Product, Purchase

__all__ = [
    "Certification",
    "Distributor",
    "DistributorApplication",
    "Invitation",
    "Language",
    "MarginBand",
    "Nomination",
    "Membership",
    "Partner",
    "Product",
    "Purchase",
    "RecruitmentTarget",
    "SalesImport",
    "Service",
    "Territory",
    "Tier",
    "TierChange",
]
