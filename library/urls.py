from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.resource_list, name="resource-list"),
    path("<int:pk>/download/", views.resource_download, name="resource-download"),
]
