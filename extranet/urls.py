from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import language_set

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
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("extranet/library/", include("library.urls")),
    path("extranet/newsletter/", include("newsletter.urls")),
    path("extranet/licences/", include("nfr.urls")),
    path("partners/", include("directory.urls")),
    path("", include("partners.urls")),
    prefix_default_language=False,
)
