from django.urls import path

from . import views

app_name = "nfr"
urlpatterns = [
    path("", views.LicenceListView.as_view(), name="licence-list"),
    path("request/", views.licence_request_view, name="licence-request"),
    path("export.csv", views.licence_export, name="licence-export"),
    path("<int:pk>/renew/", views.licence_renew_view, name="licence-renew"),
]
