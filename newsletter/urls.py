from django.urls import path

from . import views

app_name = "newsletter"
urlpatterns = [
    path("", views.IssueListView.as_view(), name="issue-list"),
    path("<int:pk>/", views.issue_detail, name="issue-detail"),
    # Public: the signed token stands for the member, so the link works from any mail client.
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
