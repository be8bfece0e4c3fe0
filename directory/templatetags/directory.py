from django import template

from partners.models import Partner

from ..logos import logo_url

register = template.Library()


@register.simple_tag
def partner_logo_url(partner: Partner) -> str:
    """The logo's URL, versioned by the stored file so that a changed logo is not served from a cache."""
    return logo_url(partner)
