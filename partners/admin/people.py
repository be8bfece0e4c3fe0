"""The people of partner organisations: memberships, invitations and vendor certifications."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from ..models import Certification, Invitation, Membership
from .filters import CertificationValidityFilter


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "partner"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "partner__name"]
    autocomplete_fields = ["user", "partner"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["number", "exam", "holder", "partner", "issued_on", "expires_on"]
    list_filter = [CertificationValidityFilter, "exam"]
    list_select_related = ["holder", "partner"]
    search_fields = ["number", "exam", "holder__email", "holder__last_name", "partner__name"]
    autocomplete_fields = ["holder", "partner"]
    date_hierarchy = "expires_on"


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Owners invite their colleagues in the extranet; staff look on and may delete an invitation.

    The token is never shown: it is the secret of the emailed link.
    """

    list_display = ["email", "partner", "role", "invited_by", "created_at", "expires_at", "expired", "accepted_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["partner", "invited_by"]
    search_fields = ["email", "partner__name"]
    fields = [
        "partner",
        "email",
        "role",
        "language",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
    ]
    readonly_fields = fields
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("expired"), boolean=True)
    def expired(self, invitation):
        return invitation.accepted_at is None and invitation.is_expired
