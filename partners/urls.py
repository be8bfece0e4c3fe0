from django.urls import path

from .views import apply, dashboard, invitations, profile, programme, settings, team

app_name = "partners"
urlpatterns = [
    path("", programme.programme, name="programme"),
    path("apply/", apply.apply, name="apply"),
    path("invitations/<str:token>/", invitations.invitation_accept_view, name="invitation-accept"),
    path("extranet/", dashboard.dashboard, name="dashboard"),
    path("extranet/application/", apply.application_status, name="application-status"),
    path("extranet/team/", team.team, name="team"),
    path("extranet/team/invite/", team.team_invite, name="team-invite"),
    path("extranet/team/<int:pk>/remove/", team.member_remove, name="member-remove"),
    path("extranet/team/invitations/<int:pk>/resend/", team.invitation_resend_view, name="invitation-resend"),
    path("extranet/team/invitations/<int:pk>/cancel/", team.invitation_cancel_view, name="invitation-cancel"),
    path("extranet/profile/", profile.profile, name="profile"),
    path("extranet/profile/logo/", profile.profile_logo, name="profile-logo"),
    path("extranet/settings/", settings.settings_page, name="settings"),
    path("extranet/settings/two-factor/", settings.settings_mfa, name="settings-mfa"),
]
