"""Nomination proposals waiting for a second staff member, and the record of those decided.

Proposals are made with the partner actions "Nominate" and "Propose revoking the nomination";
here another staff member confirms or declines them. Nothing is edited by hand.
"""

from collections import namedtuple

from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..forms import ActionReasonForm
from ..models import Nomination
from ..services import nomination_confirm, nomination_decline
from .actions import EVERYWHERE, _apply_each, _with_reason
from .filters import PendingFirstStatusFilter

# What the shared reason page shows for each selected row: a link (pk) and a name.
ReasonRow = namedtuple("ReasonRow", ["pk", "name"])


def _who_and_when(person, moment) -> str:
    when = date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""
    return format_html('{}<br><span class="quiet">{}</span>', person, when)


def nomination_label(nomination: Nomination) -> str:
    return f"{nomination.partner.name} ({nomination.get_kind_display()} {nomination.tier.name})"


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Confirm proposal"),
    description_plural=gettext_lazy("Confirm selected proposals"),
    location=EVERYWHERE,
)
def confirm(modeladmin, request, queryset):
    _apply_each(
        modeladmin,
        request,
        queryset,
        lambda nomination: nomination_confirm(nomination=nomination, actor=request.user),
        _("Confirmed, the partner's members are told by email"),
        label=nomination_label,
    )


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Decline proposal"),
    description_plural=gettext_lazy("Decline selected proposals"),
    location=EVERYWHERE,
)
def decline(modeladmin, request, queryset):
    """Another staff member's no; the proposer declining their own proposal withdraws it.

    Each kind is reported in its own words: "Declined: …" and "Withdrawn: …".
    """

    def decide(nomination, reason):
        return nomination_decline(nomination=nomination, reason=reason, actor=request.user)

    form = ActionReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        nominations = list(queryset)
        for done, own in [(_("Declined"), False), (_("Withdrawn"), True)]:
            chosen = [n for n in nominations if (n.proposed_by_id == request.user.pk) == own]
            _apply_each(modeladmin, request, chosen, lambda n: decide(n, reason), done, label=nomination_label)
        return None
    # No reason yet (or an empty one): the shared reason page, which posts back here.
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="decline",
        title=_("Decline proposal"),
        rows=[(ReasonRow(n.pk, nomination_label(n)), n.reason) for n in queryset],
        decide=decide,
        done=_("Declined"),
        label=nomination_label,
    )


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    # Kind and tier, and person and time, share a column, and cells may wrap: the list fits beside the
    # nav sidebar and the filters on a laptop.
    list_display = ["partner_column", "proposal", "proposed", "status_column", "decided"]
    list_filter = [PendingFirstStatusFilter.of(Nomination.Status), "kind"]
    list_select_related = ["partner", "tier", "proposed_by", "decided_by"]
    search_fields = ["partner__name"]
    actions = [confirm, decline]
    fields = [
        "partner",
        "kind",
        "tier",
        "reason",
        "proposed_by",
        "proposed_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        # A proposal is validated by the service behind the partner actions, never typed in here.
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who proposed and who decided

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Everything is read-only: decisions are the actions above the form.
        no_buttons = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**no_buttons, **(extra_context or {})})

    @admin.display(description=gettext_lazy("partner"), ordering="partner__name")
    def partner_column(self, nomination):
        return nomination.partner.name  # not the field itself: the admin keeps a foreign key on one line

    @admin.display(description=gettext_lazy("proposal"), ordering="kind")
    def proposal(self, nomination):
        return f"{nomination.get_kind_display()} {nomination.tier.name}"

    @admin.display(description=gettext_lazy("proposed"), ordering="proposed_at")
    def proposed(self, nomination):
        return _who_and_when(nomination.proposed_by, nomination.proposed_at)

    @admin.display(description=gettext_lazy("decided"), ordering="decided_at")
    def decided(self, nomination):
        if nomination.decided_by is None:
            return self.get_empty_value_display()
        return _who_and_when(nomination.decided_by, nomination.decided_at)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_column(self, nomination):
        if nomination.status == Nomination.Status.DECLINED and nomination.decided_by_id == nomination.proposed_by_id:
            return _("Withdrawn by the proposer")
        return nomination.get_status_display()
