"""`/admin/dashboard/`: the channel managers' overview of the programme, linked from the admin index.

The site (extranet.admin_site) routes here through `admin_view`, so only staff reach the view;
it also needs partners.view_partner. Figures come from partners.dashboard, charts from dashboard_charts.
"""

import dataclasses

from django.conf import settings
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..dashboard import EXPIRY_WARNING_DAYS, dashboard_load
from ..targets import goal_display
from . import dashboard_charts as charts


@dataclasses.dataclass(frozen=True)
class Link:
    label: str
    count: int
    url: str | None  # None when the user may not open the list, or it is not in the admin


def changelist_url(request: HttpRequest, model: str, query: dict) -> str | None:
    """The admin list of `model` ("app.model") filtered by `query`, if this user may view it."""
    app_label, model_name = model.split(".")
    if not request.user.has_perm(f"{app_label}.view_{model_name}"):
        return None
    try:
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def waiting_links(request: HttpRequest, waiting) -> list[Link]:
    return [
        Link(
            _("Partner applications"),
            waiting.applications,
            changelist_url(request, "partners.partner", {"status__exact": "applied"}),
        ),
        Link(
            _("NFR licences awaiting approval"),
            waiting.nfr_approvals,
            changelist_url(request, "nfr.licence", {"decision": "pending"}),
        ),
        Link(
            _("Proposed downgrades"),
            waiting.downgrades,
            changelist_url(request, "partners.partner", {"downgrade": "yes"}),
        ),
        Link(
            _("Nominations waiting for confirmation"),
            waiting.nominations,
            changelist_url(request, "partners.nomination", {"status": "pending"}),
        ),
        Link(
            _("Distributor applications"),
            waiting.distributor_applications,
            changelist_url(request, "partners.distributorapplication", {"status": "pending"}),
        ),
    ]


def target_value(progress) -> str:
    gained, goal = charts.count(progress.gained), goal_display(progress.target)
    return _("%(gained)s of %(goal)s") % {"gained": gained, "goal": goal}


def dashboard_view(request: HttpRequest, *, site: AdminSite) -> TemplateResponse:
    if not request.user.has_perm("partners.view_partner"):
        raise PermissionDenied
    today = timezone.localdate()
    data = dashboard_load(on=today)
    # The table lists every territory; the chart only those with partners.
    territory_rows = [(str(row.territory or _("No territory")), row.counts) for row in data.by_territory if row.total]
    targets = [
        {"progress": progress, "goal": goal_display(progress.target), "value": target_value(progress)}
        for progress in data.targets
    ]
    context = {
        **site.each_context(request),
        "title": _("Channel dashboard"),
        "dashboard": data,
        "today": today,
        "tier_names": [tier.name for tier in data.tiers],
        "tier_chart": charts.stacked_chart(territory_rows, [tier.name for tier in data.tiers]),
        "targets": targets,
        "target_chart": charts.progress_chart(
            data.targets, [str(p.target.territory) for p in data.targets], [t["value"] for t in targets]
        ),
        "territory_revenue_chart": charts.bar_chart(data.revenue_by_territory, money=True),
        "distributor_revenue_chart": charts.bar_chart(data.revenue_by_distributor, money=True),
        "month_chart": charts.column_chart(
            (date_format(month, "YEAR_MONTH_FORMAT"), date_format(month, "N"), total)
            for month, total in data.revenue_by_month
        ),
        "waiting": waiting_links(request, data.waiting),
        "expiry_days": EXPIRY_WARNING_DAYS,
        "active_days": settings.EXTRANET_ACTIVE_PARTNER_DAYS,
        "expiring_url": changelist_url(request, "partners.certification", {"validity": "expiring"}),
        "targets_url": changelist_url(request, "partners.recruitmenttarget", {}),
    }
    return TemplateResponse(request, "admin/partners/dashboard.html", context)
