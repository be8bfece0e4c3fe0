"""Admin actions on partners. Each one calls a service and reports, per partner, what happened.

They run from the changelist and from a partner's change form. A refusal by a service
(a `ValidationError`) becomes an error message, never a traceback.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation, helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..evaluation import Evaluation, Programme
from ..forms import ActionReasonForm
from ..models import Nomination, Partner, Tier
from ..services import (
    ReviewSummary,
    downgrade_apply,
    downgrade_reject,
    nomination_propose,
    partner_approve,
    partner_reject,
    tier_review,
)
from .snapshot import programme_for

EVERYWHERE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
REASON_TEMPLATE = "admin/partners/partner/action_reason.html"
# On a change form the action form carries this prefix (see ModelAdmin.changeform_view).
CHANGE_FORM_ACTION_FIELD = f"{ActionLocation.CHANGE_FORM.value}-action"


def _apply_each(modeladmin, request, objects: Iterable, decide: Callable[[Any], object], done: str, label=str):
    """Decide on each object; one error message per refusal, one success message naming the rest."""
    succeeded = []
    for obj in objects:
        try:
            decide(obj)
        except ValidationError as error:
            for message in error.messages:
                modeladmin.message_user(request, message, messages.ERROR)
        else:
            succeeded.append(label(obj))
    if succeeded:
        modeladmin.message_user(
            request, _("%(done)s: %(partners)s.") % {"done": done, "partners": ", ".join(succeeded)}, messages.SUCCESS
        )


class NominationReasonForm(ActionReasonForm):
    """The reason of a nomination proposal, which the partner's people read once it is confirmed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "A second staff member confirms the proposal; the partner's members then receive this reason by email."
        )


def _with_reason(
    modeladmin,
    request,
    queryset,
    *,
    action: str,
    title: str,
    rows,
    decide,
    done: str,
    form_class=ActionReasonForm,
    label=str,
):
    """The admin's action-confirmation pattern: ask for a reason, then apply with it.

    The page posts the selected ids and the action back to the same URL, with `apply`.
    Without a valid reason it is shown again with the error, and nothing changes.
    """
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        _apply_each(modeladmin, request, queryset, lambda obj: decide(obj, reason), done, label=label)
        return None
    request.current_app = modeladmin.admin_site.name
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": modeladmin.opts,
        "form": form,
        "rows": rows,
        "action": action,
        "action_field": CHANGE_FORM_ACTION_FIELD if CHANGE_FORM_ACTION_FIELD in request.POST else "action",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "cancel_url": request.get_full_path(),
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, REASON_TEMPLATE, context)


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Approve application"),
    description_plural=gettext_lazy("Approve selected applications"),
    location=EVERYWHERE,
)
def approve_application(modeladmin, request, queryset):
    _apply_each(
        modeladmin,
        request,
        queryset,
        lambda partner: partner_approve(partner=partner, actor=request.user),
        _("Approved"),
    )


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Reject application"),
    description_plural=gettext_lazy("Reject selected applications"),
    location=EVERYWHERE,
)
def reject_application(modeladmin, request, queryset):
    """The applicants receive the reason by email, in their language; write it for them."""
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="reject_application",
        title=_("Reject application"),
        rows=[(partner, partner.get_status_display()) for partner in queryset],
        decide=lambda partner, reason: partner_reject(partner=partner, reason=reason, actor=request.user),
        done=_("Application rejected, applicants told by email"),
    )


def _changes(evaluations: list[Evaluation]) -> str:
    return ", ".join(f"{e.partner.name} ({e.held.name} → {e.qualified.name})" for e in evaluations)


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Evaluate now"),
    description_plural=gettext_lazy("Evaluate selected partners now"),
    location=EVERYWHERE,
)
def evaluate_now(modeladmin, request, queryset):
    summary = tier_review(partners=queryset, actor=request.user)
    skipped = list(queryset.exclude(status=Partner.Status.ACTIVE).values_list("name", flat=True))
    if skipped:
        modeladmin.message_user(
            request, _("Not evaluated, not active: %(partners)s.") % {"partners": ", ".join(skipped)}, messages.WARNING
        )
    review_report(modeladmin.message_user, request, summary)


def review_report(report, request, summary: ReviewSummary) -> None:
    """Tell staff what a review did, one message per kind of outcome; `report` is `message_user`."""
    report(
        request,
        ngettext("Evaluated %(count)d partner.", "Evaluated %(count)d partners.", summary.evaluated)
        % {"count": summary.evaluated},
        messages.INFO,
    )
    if summary.upgrades:
        report(request, _("Upgraded: %(changes)s.") % {"changes": _changes(summary.upgrades)}, messages.SUCCESS)
    if summary.applied_downgrades:
        report(
            request,
            _("Downgraded, grace period over: %(changes)s.") % {"changes": _changes(summary.applied_downgrades)},
            messages.WARNING,
        )
    if summary.proposed_downgrades:
        report(
            request,
            _("Downgrade proposed: %(changes)s.") % {"changes": _changes(summary.proposed_downgrades)},
            messages.WARNING,
        )
    if summary.withdrawn_proposals:
        names = ", ".join(e.partner.name for e in summary.withdrawn_proposals)
        report(request, _("Proposed downgrade withdrawn, criteria met again: %(partners)s.") % {"partners": names})
    for evaluation in summary.flags:
        report(
            request,
            _("%(partner)s holds the nominated tier %(tier)s but lacks %(missing)s.")
            % {
                "partner": evaluation.partner.name,
                "tier": evaluation.held.name,
                "missing": ", ".join(evaluation.missing_for_held),
            },
            messages.WARNING,
        )


def nominated_tier(programme: Programme) -> Tier | None:
    """The nomination-only tier, when the programme has exactly one (as the article's has)."""
    nominated = [tier for tier in programme.tiers if tier.nomination_only]
    return nominated[0] if len(nominated) == 1 else None


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Nominate for the next nomination-only tier"),
    description_plural=gettext_lazy("Nominate selected partners for the next nomination-only tier"),
    location=EVERYWHERE,
)
def nominate(modeladmin, request, queryset):
    programme = programme_for(request)
    rows = []
    for partner in queryset:
        target = programme.nomination_target(partner.tier)
        rows.append((partner, f"{partner.tier.name} → {target.name if target else '-'}"))
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="nominate",
        title=_("Nominate as %(tier)s") % {"tier": tier.name} if (tier := nominated_tier(programme)) else _("Nominate"),
        rows=rows,
        decide=lambda partner, reason: nomination_propose(
            partner=partner, kind=Nomination.Kind.GRANT, reason=reason, actor=request.user
        ),
        done=_("Nomination proposed, waiting for a second staff member to confirm it"),
        form_class=NominationReasonForm,
    )


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Propose revoking the nomination"),
    description_plural=gettext_lazy("Propose revoking the nomination of selected partners"),
    location=EVERYWHERE,
)
def revoke_nomination(modeladmin, request, queryset):
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="revoke_nomination",
        title=_("Revoke nomination"),
        rows=[(partner, partner.tier.name) for partner in queryset],
        decide=lambda partner, reason: nomination_propose(
            partner=partner, kind=Nomination.Kind.REVOKE, reason=reason, actor=request.user
        ),
        done=_("Revocation proposed, waiting for a second staff member to confirm it"),
        form_class=NominationReasonForm,
    )


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Apply proposed downgrade"),
    description_plural=gettext_lazy("Apply proposed downgrades of selected partners"),
    location=EVERYWHERE,
)
def apply_downgrade(modeladmin, request, queryset):
    _apply_each(
        modeladmin,
        request,
        queryset,
        lambda partner: downgrade_apply(partner=partner, actor=request.user),
        _("Downgraded"),
    )


def _proposal(partner: Partner) -> str:
    if partner.proposed_tier_id is None:
        return _("no proposed downgrade")
    return _("%(held)s → %(proposed)s, proposed on %(date)s") % {
        "held": partner.tier.name,
        "proposed": partner.proposed_tier.name,
        "date": partner.proposed_on.isoformat() if partner.proposed_on else "-",
    }


@admin.action(
    permissions=["change"],
    description=gettext_lazy("Reject proposed downgrade"),
    description_plural=gettext_lazy("Reject proposed downgrades of selected partners"),
    location=EVERYWHERE,
)
def reject_downgrade(modeladmin, request, queryset):
    return _with_reason(
        modeladmin,
        request,
        queryset,
        action="reject_downgrade",
        title=_("Reject proposed downgrade"),
        rows=[(partner, _proposal(partner)) for partner in queryset],
        decide=lambda partner, reason: downgrade_reject(partner=partner, reason=reason, actor=request.user),
        done=_("Downgrade rejected, tier kept"),
    )


PARTNER_ACTIONS = [
    approve_application,
    reject_application,
    evaluate_now,
    nominate,
    revoke_nomination,
    apply_downgrade,
    reject_downgrade,
]
