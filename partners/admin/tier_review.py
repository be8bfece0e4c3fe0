"""The "Tier review" page: what the scheduled review proposed or flagged, decided in bulk.

Sections: proposed downgrades (approved or rejected, several at once), nominated partners
below the criteria (revocation can be proposed), partners qualifying for an upgrade (the
next review applies it, or staff run it now), and nominations waiting for confirmation.
Reading it costs the same few queries whatever the number of partners. Staff who may view
partners read it; deciding needs the permission to change partners.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..evaluation import Evaluation, Programme
from ..models import Nomination, Partner, Tier
from ..services import downgrade_apply, downgrade_reject, tier_review
from .actions import _apply_each, review_report
from .snapshot import evaluation_day, programme_for

TEMPLATE = "admin/partners/tier_review.html"
# A page of thousands of rows helps nobody: each section shows this many, with its total and a
# link to the partner list filtered the same way (where the actions decide on all of them).
SECTION_ROWS = 200
URL_NAME = "partners_partner_tier_review"


@dataclass(frozen=True)
class ProposedDowngrade:
    evaluation: Evaluation
    grace_ends: datetime.date


@dataclass
class ReviewBoard:
    downgrades: list[ProposedDowngrade] = field(default_factory=list)
    flags: list[Evaluation] = field(default_factory=list)
    upgrades: list[Evaluation] = field(default_factory=list)
    pending: list[Nomination] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def truncate(self, rows: int) -> None:
        self.totals = {name: len(getattr(self, name)) for name in ("downgrades", "flags", "upgrades", "pending")}
        for name in self.totals:
            setattr(self, name, getattr(self, name)[:rows])

    def pending_for(self, partner: Partner) -> Nomination | None:
        return next((nomination for nomination in self.pending if nomination.partner_id == partner.pk), None)


def review_board(*, on: datetime.date, programme: Programme) -> ReviewBoard:
    """What waits for a decision, in two queries: the candidate partners with metrics, the pending nominations.

    Only partners with a proposal, a nominated tier or a higher tier within reach are read.
    """
    partners = Partner.objects.active().with_metrics(on=on)
    higher_tier_met = Tier.objects.reachable().filter(
        rank__gt=OuterRef("tier__rank"),
        min_annual_volume__lte=OuterRef("volume_12m"),
        min_certified_technicians__lte=OuterRef("certified_technicians"),
    )
    candidates = partners.filter(
        Q(proposed_tier__isnull=False) | Q(tier__nomination_only=True) | Q(Exists(higher_tier_met))
    ).order_by("name", "pk")
    tiers = {tier.pk: tier for tier in programme.tiers}
    board = ReviewBoard()
    for partner in candidates:
        partner.tier = tiers[partner.tier_id]
        partner.proposed_tier = tiers.get(partner.proposed_tier_id)
        evaluation = programme.evaluate(partner, on)
        if partner.proposed_tier is not None:
            grace_ends = (partner.proposed_on or on) + datetime.timedelta(days=partner.tier.downgrade_grace_days)
            board.downgrades.append(ProposedDowngrade(evaluation, grace_ends))
        elif evaluation.is_flagged:
            board.flags.append(evaluation)
        elif evaluation.is_upgrade:
            board.upgrades.append(evaluation)
    board.downgrades.sort(key=lambda row: (row.grace_ends, row.evaluation.partner.name))
    board.pending = list(
        Nomination.objects.filter(status=Nomination.Status.PENDING)
        .select_related("partner", "tier", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    board.truncate(SECTION_ROWS)
    return board


class DowngradeDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))])
    partner = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": gettext_lazy("Select at least one proposed downgrade.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejecting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=gettext_lazy("Needed to reject; kept in the partner's history. The tier stays."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here; the services refuse partners without a proposal, one message each.
        self.fields["partner"].choices = [(value, value) for value in self.data.getlist("partner") if value.isdigit()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Rejecting a downgrade needs a reason."))
        return cleaned


def _decide(model_admin, request: HttpRequest, form: DowngradeDecisionForm) -> None:
    partners = Partner.objects.filter(pk__in=form.cleaned_data["partner"]).order_by("name")
    if form.cleaned_data["decision"] == "approve":
        _apply_each(
            model_admin,
            request,
            partners,
            lambda partner: downgrade_apply(partner=partner, actor=request.user),
            _("Downgraded (the partner's members, if it has any, are told by email)"),
        )
    else:
        reason = form.cleaned_data["reason"]
        _apply_each(
            model_admin,
            request,
            partners,
            lambda partner: downgrade_reject(partner=partner, reason=reason, actor=request.user),
            _("Downgrade rejected, tier kept"),
        )


def tier_review_view(request: HttpRequest, model_admin):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    can_decide = model_admin.has_change_permission(request)
    form = DowngradeDecisionForm()
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if "run_review" in request.POST:
            review_report(model_admin.message_user, request, tier_review(actor=request.user))
            return HttpResponseRedirect(request.path)
        form = DowngradeDecisionForm(request.POST)
        if form.is_valid():
            _decide(model_admin, request, form)
            return HttpResponseRedirect(request.path)
        for errors in form.errors.values():
            for error in errors:
                model_admin.message_user(request, error, messages.ERROR)
    on = evaluation_day(request)
    board = review_board(on=on, programme=programme_for(request))
    selected = {str(pk) for pk in form.data.getlist("partner")} if form.is_bound else set()
    request.current_app = model_admin.admin_site.name
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Tier review"),
        "subtitle": None,
        "opts": model_admin.opts,
        "board": board,
        "flags": [(evaluation, board.pending_for(evaluation.partner)) for evaluation in board.flags],
        "form": form,
        "selected": selected,
        "can_decide": can_decide,
        "on": on,
        "section_rows": SECTION_ROWS,
    }
    return TemplateResponse(request, TEMPLATE, context)


def tier_review_urls(model_admin) -> list:
    """The page's URL, for `PartnerAdmin.get_urls`: /admin/partners/partner/tier-review/."""
    view = model_admin.admin_site.admin_view(lambda request: tier_review_view(request, model_admin))
    return [path("tier-review/", view, name=URL_NAME)]


def tier_review_url() -> str:
    return reverse(f"admin:{URL_NAME}")
