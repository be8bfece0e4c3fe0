"""`sitemap.xml`: the directory and every listed profile, in each site language with its alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from partners.models import Partner


class DirectorySitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["directory:partner-list"]

    def location(self, item):
        return reverse(item)


class PartnerSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"
    priority = 0.6
    # Each partner appears once per language with four alternate links; pages stay quick to build.
    limit = 5000

    def items(self):
        # Slugs only: every sitemap page lists every (slug, language) pair to paginate them.
        return list(Partner.objects.listed().order_by("pk").values_list("slug", flat=True))

    def location(self, slug):
        return reverse("directory:partner-detail", args=[slug])


SITEMAPS = {"directory": DirectorySitemap, "partners": PartnerSitemap}
