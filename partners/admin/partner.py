"""The channel manager's main screen: partners, their metrics, and the decisions on their tier."""

import dataclasses
import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin import ActionLocation
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Partner
from .actions import PARTNER_ACTIONS, nominated_tier
from .filters import NeedsReviewFilter, ProposedDowngradeFilter
from .history import ReadOnlyHistoryAdmin
from .partner_inlines import CertificationInline, MembershipInline, RecentPurchaseInline, TierChangeInline
from .partner_io import PartnerImportExportMixin
from .snapshot import evaluate, evaluation_day, programme_for
from .tier_review import tier_review_urls


def euros(amount) -> str:
    return "EUR " + number_format(amount, decimal_pos=0, force_grouping=True)


class PartnerChangeList(ChangeList):
    def get_results(self, request):
        """Evaluate the page's partners against one programme snapshot: no query per row."""
        super().get_results(request)
        for partner in self.result_list:
            partner.evaluation = evaluate(request, partner)


EVALUATION_FIELDS = [
    "evaluation_volume",
    "evaluation_technicians",
    "evaluation_qualified",
    "evaluation_margin",
    "evaluation_next",
    "evaluation_held",
    "evaluation_downgrade",
    "evaluation_nomination",
    "all_purchases",
]
MAIN_FIELDSET = (None, {"fields": ["name", "slug", "status", "tier", "territory", "distributor", "account_manager"]})
OTHER_FIELDSETS = [
    (
        gettext_lazy("Company"),
        {
            "fields": [
                "uid",
                "street",
                ("postcode", "city"),
                "region",
                "country",
                "website",
                "phone",
                "email",
                "joined_on",
            ]
        },
    ),
    (gettext_lazy("Directory"), {"fields": ["directory_consent", "languages", "services", "description"]}),
]


@admin.register(Partner)
class PartnerAdmin(PartnerImportExportMixin, ReadOnlyHistoryAdmin):
    list_display = [
        "name",
        "tier_column",
        "status",
        "city",
        "territory",
        "distributor",
        "account_manager",
        "volume_column",
        "technicians_column",
        "margin_column",
        "next_tier_column",
    ]
    list_filter = [
        "tier",
        "status",
        NeedsReviewFilter,
        ProposedDowngradeFilter,
        "territory",
        "distributor",
        ("account_manager", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["tier", "proposed_tier", "territory", "distributor", "account_manager"]
    search_fields = ["name", "city", "postcode", "uid", "email", "memberships__user__email"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    actions = PARTNER_ACTIONS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_metrics(on=evaluation_day(request))
            .select_related(*self.list_select_related, "nominated_by")
        )

    def get_changelist(self, request, **kwargs):
        return PartnerChangeList

    def get_object(self, request, object_id, from_field=None):
        partner = super().get_object(request, object_id, from_field)
        if partner is not None:
            partner.evaluation = evaluate(request, partner)
        return partner

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [MAIN_FIELDSET, *OTHER_FIELDSETS]
        main = MAIN_FIELDSET
        if obj.status == Partner.Status.REJECTED:
            main = (None, {"fields": [*MAIN_FIELDSET[1]["fields"], "rejection_reason"]})
        return [main, (_("Evaluation"), {"fields": EVALUATION_FIELDS}), *OTHER_FIELDSETS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Tier changes go through the services, which write the tier change log; the rejection reason was emailed.
        return ["tier", "rejection_reason", *EVALUATION_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        status = form.base_fields.get("status")
        if obj is not None and status is not None:
            # Admission and rejection go through their actions, which log them and email the applicant;
            # an application can be ended here.
            if obj.status == Partner.Status.APPLIED:
                allowed = [Partner.Status.APPLIED, Partner.Status.ENDED]
                status.help_text = _(
                    "Admit the partner with the action “Approve application”, "
                    "or turn it down with “Reject application”."
                )
            elif obj.status == Partner.Status.REJECTED:
                allowed = [Partner.Status.REJECTED, Partner.Status.ENDED]
            else:
                allowed = [Partner.Status.ACTIVE, Partner.Status.SUSPENDED, Partner.Status.ENDED]
            status.choices = [(value, label) for value, label in Partner.Status.choices if value in allowed]
        return form

    def get_inlines(self, request, obj):
        if obj is None:
            return [MembershipInline]
        return [MembershipInline, CertificationInline, RecentPurchaseInline, TierChangeInline]

    def get_changeform_initial_data(self, request):
        return {"tier": programme_for(request).entry_tier.pk, **super().get_changeform_initial_data(request)}

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        tier = "nominate" in actions and nominated_tier(programme_for(request))
        if tier:
            # Descriptions are %-formatted with the model's names, so a % in the tier's name is escaped.
            name = tier.name.replace("%", "%%")
            actions["nominate"] = dataclasses.replace(
                actions["nominate"],
                description=_("Nominate as %(tier)s") % {"tier": name},
                plural_description=_("Nominate selected partners as %(tier)s") % {"tier": name},
            )
        return actions

    def get_urls(self):
        return [*tier_review_urls(self), *super().get_urls()]

    # Changelist columns ------------------------------------------------------------

    @admin.display(description=gettext_lazy("tier"), ordering="tier__rank")
    def tier_column(self, partner):
        if partner.proposed_tier_id:
            return format_html(
                "{}<br><small>{}</small>",
                partner.tier.name,
                _("downgrade to %(tier)s proposed") % {"tier": partner.proposed_tier.name},
            )
        return partner.tier.name

    @admin.display(description=gettext_lazy("12-month volume (EUR)"), ordering="volume_12m")
    def volume_column(self, partner):
        return number_format(partner.volume_12m, decimal_pos=0, force_grouping=True)

    @admin.display(description=gettext_lazy("certified technicians"), ordering="certified_technicians")
    def technicians_column(self, partner):
        return partner.certified_technicians

    @admin.display(description=gettext_lazy("margin"))
    def margin_column(self, partner):
        margin = partner.evaluation.margin
        return self.get_empty_value_display() if margin is None else f"{floatformat(margin, -2)} %"

    @admin.display(description=gettext_lazy("gap to the next tier"))
    def next_tier_column(self, partner):
        evaluation = partner.evaluation
        if evaluation.next_tier is None:
            return self.get_empty_value_display()
        missing = ", ".join(evaluation.missing_for_next) or _("meets the criteria")
        return f"{evaluation.next_tier.name}: {missing}"

    # Evaluation panel of the change form --------------------------------------------

    @admin.display(description=gettext_lazy("12-month purchase volume"))
    def evaluation_volume(self, partner):
        return euros(partner.evaluation.volume_12m)

    @admin.display(description=gettext_lazy("certified technicians"))
    def evaluation_technicians(self, partner):
        return partner.evaluation.certified_technicians

    @admin.display(description=gettext_lazy("qualifies for"))
    def evaluation_qualified(self, partner):
        evaluation = partner.evaluation
        if evaluation.is_upgrade:
            note = _("an upgrade, applied at the next evaluation")
        elif evaluation.is_downgrade:
            note = _("below the tier it holds")
        elif evaluation.held.nomination_only:
            note = _("by its metrics; it holds a nominated tier")
        else:
            note = _("the tier it holds")
        return f"{evaluation.qualified.name} ({note})"

    @admin.display(description=gettext_lazy("current margin"))
    def evaluation_margin(self, partner):
        margin = partner.evaluation.margin
        return _("no margin band applies") if margin is None else f"{floatformat(margin, -2)} %"

    @admin.display(description=gettext_lazy("missing for the next tier"))
    def evaluation_next(self, partner):
        evaluation = partner.evaluation
        if evaluation.next_tier is None:
            return _("It holds the highest tier.")
        missing = ", ".join(evaluation.missing_for_next) or _("nothing, it meets the criteria")
        return f"{evaluation.next_tier.name}: {missing}"

    @admin.display(description=gettext_lazy("missing to keep its tier"))
    def evaluation_held(self, partner):
        return ", ".join(partner.evaluation.missing_for_held) or _("nothing")

    @admin.display(description=gettext_lazy("proposed downgrade"))
    def evaluation_downgrade(self, partner):
        if partner.proposed_tier_id is None:
            return _("none")
        if partner.proposed_on is None:
            return _("to %(tier)s") % {"tier": partner.proposed_tier.name}
        grace_ends = partner.proposed_on + datetime.timedelta(days=partner.tier.downgrade_grace_days)
        return _("to %(tier)s, proposed on %(since)s; applies from %(until)s unless decided earlier") % {
            "tier": partner.proposed_tier.name,
            "since": date_format(partner.proposed_on),
            "until": date_format(grace_ends),
        }

    @admin.display(description=gettext_lazy("nomination"))
    def evaluation_nomination(self, partner):
        if partner.nominated_at is None:
            return _("not nominated")
        return _("by %(person)s on %(date)s: %(reason)s") % {
            "person": partner.nominated_by or _("a former staff member"),
            "date": date_format(timezone.localdate(partner.nominated_at)),
            "reason": partner.nomination_reason,
        }

    @admin.display(description=gettext_lazy("purchases"))
    def all_purchases(self, partner):
        url = reverse("admin:partners_purchase_changelist") + "?" + urlencode({"partner": partner.pk})
        return format_html('<a href="{}">{}</a>', url, _("All purchases of this partner"))
