from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import LoginView, language_set
from directory.sitemaps import SITEMAPS
from directory.views import robots_txt

# Staff sign in through allauth like everyone else, so its rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; the icon's static URL is hashed."""

    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("i18n/setlang/", language_set, name="set_language"),
    # Outside i18n_patterns: crawlers ask for these at the root; the sitemap lists every language.
    path("robots.txt", robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # allauth's login with HTTP 429 for a locked account; everything else from allauth.
    path("accounts/login/", LoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("extranet/library/", include("library.urls")),
    path("extranet/newsletter/", include("newsletter.urls")),
    path("extranet/licences/", include("nfr.urls")),
    path("partners/", include("directory.urls")),
    path("", include("partners.urls")),
    prefix_default_language=False,
)
