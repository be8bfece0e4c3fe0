"""The directory's gate: the public sees listed partners only, and 404 alike for unlisted and unknown ones."""

from partners.access import get_or_404
from partners.models import Partner


def access_listed_partner(slug: str) -> Partner:
    """The listed partner with this slug, with what its profile shows; 404 when it is not listed.

    Not listed: its tier is not a directory tier, it is not active (applied, suspended, ended...)
    or it withdrew its consent. The answer does not tell which, nor whether the slug exists.
    """
    return get_or_404(Partner.objects.for_directory(), slug=slug)


def access_listed_logo(slug: str) -> Partner:
    """A listed partner that has a logo, reading only what serving the file needs; 404 otherwise."""
    return get_or_404(Partner.objects.listed().exclude(logo="").only("pk", "slug", "logo"), slug=slug)
