"""Who may download what: members of an active partner whose tier reaches the resource's minimum tier."""

from django.http import Http404

from partners.access import get_or_404, membership_for_user
from partners.models import Membership, Partner

from .models import Resource


def access_resource_for_user(user, pk: int, *, membership: Membership | None = None) -> Resource:
    """The published resource `pk` if the person's active partner may download it; Http404 otherwise.

    Missing, unpublished and above the partner's tier all give the same 404, so an id
    reveals nothing. Resources belong to no partner: the tier alone decides. A view behind
    `partner_member_required` passes `request.membership` (that same person's) to save the lookup.
    """
    if membership is None or membership.user_id != user.pk:
        membership = membership_for_user(user)
    if membership is None or membership.partner.status != Partner.Status.ACTIVE:
        raise Http404
    return get_or_404(Resource.objects.for_partner(membership.partner), pk=pk)
