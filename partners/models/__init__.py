"""The partner programme's data. Split by concern; import models from here."""

from .invitations import Invitation
from .organisations import Certification, Distributor, Language, Membership, Partner, Service, Territory
from .program import MarginBand, Tier, TierChange
from .sales import Product, Purchase

__all__ = [
    "Certification",
    "Distributor",
    "Invitation",
    "Language",
    "MarginBand",
    "Membership",
    "Partner",
    "Product",
    "Purchase",
    "Service",
    "Territory",
    "Tier",
    "TierChange",
]
