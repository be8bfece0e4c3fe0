"""Who may see which NFR licence: only members of the active partner that owns it.

Keys are secrets of the owning partner; every page and export reads licences through
these functions, and another partner's licence id answers 404 like a missing one.
"""

from django.db.models import QuerySet

from partners.access import get_or_404
from partners.models import Partner

from .models import Licence


def licences_for_user(user) -> QuerySet[Licence]:
    """The licences of the person's own partner, if that partner is active; none otherwise (staff included)."""
    if not user.is_authenticated:
        return Licence.objects.none()
    return Licence.objects.filter(partner__memberships__user=user, partner__status=Partner.Status.ACTIVE)


def access_licence_for_user(user, pk: int) -> Licence:
    """The licence if it belongs to the person's partner; 404 otherwise."""
    return get_or_404(licences_for_user(user).select_related("product", "partner"), pk=pk)
