"""Who may read which newsletter issue, and who a one-click unsubscribe link stands for.

Issues belong to no partner: the tier decides. An issue the person's tier may not read,
a draft, a future issue and an id that does not exist all answer the same 404.
"""

from django.core import signing
from django.http import Http404

from partners.access import get_or_404, membership_for_user
from partners.models import Membership, Partner

from .models import Issue

UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def access_issue_for_user(user, pk: int) -> Issue:
    """The published issue `pk` if the person's partner is active and its tier reaches the issue; 404 otherwise."""
    membership = membership_for_user(user)
    if membership is None or membership.partner.status != Partner.Status.ACTIVE:
        raise Http404
    return get_or_404(Issue.objects.readable_by(membership.partner).select_related("min_tier"), pk=pk)


def unsubscribe_token(membership: Membership) -> str:
    """A signed, non-expiring token naming the membership: mail clients keep unsubscribe links for years."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(membership.pk))


def access_membership_for_unsubscribe_token(token: str) -> Membership:
    """The membership the token was signed for; 404 for an altered token or a membership that has ended."""
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    return get_or_404(Membership.objects.select_related("user", "partner"), pk=pk)
