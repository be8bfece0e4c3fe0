from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.partner_list, name="partner-list"),
    path("<slug:slug>/", views.partner_detail, name="partner-detail"),
    path("<slug:slug>/contact/", views.partner_contact, name="partner-contact"),
    path("<slug:slug>/contact/sent/", views.partner_contact_sent, name="partner-contact-sent"),
    path("<slug:slug>/logo", views.partner_logo, name="partner-logo"),
]
