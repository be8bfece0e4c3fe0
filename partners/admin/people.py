"""The people of partner organisations: memberships and vendor certifications."""

from django.contrib import admin

from ..models import Certification, Membership
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
