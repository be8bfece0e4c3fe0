"""Regional recruitment targets: the goal per territory and period, and how far each has come."""

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import RecruitmentTarget
from ..targets import goal_display, target_progress


class RecruitmentTargetForm(forms.ModelForm):
    """Says in words what the model's constraints only enforce."""

    class Meta:
        model = RecruitmentTarget
        fields = ["territory", "starts_on", "ends_on", "more_active_min", "more_active_max", "note"]
        error_messages = {
            "more_active_min": {"min_value": _("The goal is at least one more active partner.")},
        }

    def clean(self):
        cleaned = super().clean()
        territory, starts_on, ends_on = (cleaned.get(name) for name in ("territory", "starts_on", "ends_on"))
        low, high = cleaned.get("more_active_min"), cleaned.get("more_active_max")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The period must end after the day it starts."))
        elif territory and starts_on and ends_on:
            # Two targets for one territory at once would leave the dashboard with two answers.
            overlapping = (
                RecruitmentTarget.objects.filter(territory=territory, starts_on__lte=ends_on, ends_on__gte=starts_on)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if overlapping:
                self.add_error(
                    "starts_on",
                    _("%(territory)s already has a target from %(start)s to %(end)s; periods must not overlap.")
                    % {
                        "territory": territory,
                        "start": date_format(overlapping.starts_on),
                        "end": date_format(overlapping.ends_on),
                    },
                )
        if low is not None and high is not None and high < low:
            self.add_error(
                "more_active_max",
                _("The upper end of the goal cannot be below its lower end (%(low)d).") % {"low": low},
            )
        return cleaned


class PeriodFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("current", pgettext_lazy("period", "Current")), ("past", _("Past")), ("future", _("Future"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "current":
                return queryset.current(on=today)
            case "past":
                return queryset.filter(ends_on__lt=today)
            case "future":
                return queryset.filter(starts_on__gt=today)
        return queryset


class TargetChangeList(ChangeList):
    def get_results(self, request):
        """Measure the page's targets together: one query for all their counts, none per row."""
        super().get_results(request)
        progress = target_progress(self.result_list, on=timezone.localdate())
        for target, measured in zip(self.result_list, progress, strict=True):
            target.progress = measured


@admin.register(RecruitmentTarget)
class RecruitmentTargetAdmin(admin.ModelAdmin):
    form = RecruitmentTargetForm
    list_display = ["territory", "period", "goal", "baseline", "now", "gained", "status", "note"]
    list_display_links = ["territory", "period"]
    list_filter = [PeriodFilter, "territory"]
    list_select_related = ["territory"]
    search_fields = ["territory__name", "note"]

    def get_changelist(self, request, **kwargs):
        return TargetChangeList

    @admin.display(description=_("period"), ordering="starts_on")
    def period(self, target):
        return (
            f"{date_format(target.starts_on, 'SHORT_DATE_FORMAT')} – {date_format(target.ends_on, 'SHORT_DATE_FORMAT')}"
        )

    @admin.display(description=_("goal: more active partners"))
    def goal(self, target):
        return goal_display(target)

    @admin.display(description=_("active at the start"))
    def baseline(self, target):
        return target.progress.baseline

    @admin.display(description=_("active today, or at the end"))
    def now(self, target):
        return target.progress.current

    @admin.display(description=_("gained"))
    def gained(self, target):
        return target.progress.gained

    @admin.display(description=_("status"))
    def status(self, target):
        return target.progress.status.label
