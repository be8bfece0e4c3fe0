"""Forms for the channel managers' admin. They validate; the services write."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from .models import Distributor, Territory, Tier
from .services import distributor_territory_conflicts

REGION_CODE = re.compile(r"[A-Za-z]+")


class ActionReasonForm(forms.Form):
    """The reason a staff decision needs before it is applied to the selected partners."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Kept in the partner's tier change log or history."),
    )


class TierAdminForm(forms.ModelForm):
    class Meta:
        model = Tier
        fields = [
            "code",
            "name",
            "rank",
            "min_annual_volume",
            "min_certified_technicians",
            "nomination_only",
            "listed_in_directory",
            "nfr_licences_per_year",
            "downgrade_grace_days",
            "description",
            "benefits",
        ]

    def clean(self):
        """A reachable tier must not ask less than a reachable tier ranked below it.

        The engine grants the highest reachable tier whose criteria are met, so
        criteria that fall while the rank rises would skip tiers.
        """
        cleaned = super().clean()
        rank = cleaned.get("rank")
        volume = cleaned.get("min_annual_volume")
        technicians = cleaned.get("min_certified_technicians")
        if cleaned.get("nomination_only") or None in (rank, volume, technicians):
            return cleaned
        for other in Tier.objects.reachable().exclude(pk=self.instance.pk):
            if other.rank == rank:
                continue
            below = other.rank < rank
            params = {
                "tier": other.name,
                "rank": other.rank,
                "volume": number_format(other.min_annual_volume, decimal_pos=0, force_grouping=True),
                "technicians": other.min_certified_technicians,
            }
            if (below and volume < other.min_annual_volume) or (not below and volume > other.min_annual_volume):
                message = (
                    _("Must be at least EUR %(volume)s: %(tier)s (rank %(rank)s) ranks lower and requires that much.")
                    if below
                    else _("Must not exceed EUR %(volume)s: %(tier)s (rank %(rank)s) ranks higher and requires that.")
                )
                self.add_error("min_annual_volume", message % params)
            if (below and technicians < other.min_certified_technicians) or (
                not below and technicians > other.min_certified_technicians
            ):
                message = (
                    _("Must be at least %(technicians)s: %(tier)s (rank %(rank)s) ranks lower and requires that many.")
                    if below
                    else _("Must not exceed %(technicians)s: %(tier)s (rank %(rank)s) ranks higher and requires that.")
                )
                self.add_error("min_certified_technicians", message % params)
        return cleaned


class TerritoryAdminForm(forms.ModelForm):
    class Meta:
        model = Territory
        fields = ["code", "name", "country", "regions", "languages"]

    def clean_regions(self) -> str:
        """Region codes are letters separated by commas; stored upper-case, without repeats."""
        codes = [code.strip() for code in self.cleaned_data["regions"].split(",") if code.strip()]
        invalid = [code for code in codes if not REGION_CODE.fullmatch(code)]
        if invalid:
            raise ValidationError(
                _("Region codes are letters separated by commas, e.g. 'ZH, BE, LU'. Not valid: %(codes)s."),
                params={"codes": ", ".join(invalid)},
                code="invalid_region",
            )
        return ", ".join(dict.fromkeys(code.upper() for code in codes))

    def clean(self):
        """Moving a territory's borders must not make the distributors serving it overlap another."""
        cleaned = super().clean()
        if not self.instance.pk or self.has_error("country") or self.has_error("regions"):
            return cleaned
        candidate = Territory(
            pk=self.instance.pk,
            name=cleaned.get("name") or self.instance.name,
            country=cleaned["country"],
            regions=cleaned["regions"],
        )
        for distributor in self.instance.distributors.active():
            for conflict in distributor_territory_conflicts(distributor=distributor, territories=[candidate]):
                self.add_error(
                    None,
                    _("%(distributor)s serves this territory: %(conflict)s")
                    % {"distributor": distributor.name, "conflict": conflict},
                )
        return cleaned


class DistributorAdminForm(forms.ModelForm):
    class Meta:
        model = Distributor
        fields = ["code", "name", "contact_name", "contact_email", "phone", "website", "territories", "is_active"]

    def clean(self):
        """An active distributor may not take a territory another active distributor serves."""
        cleaned = super().clean()
        if cleaned.get("is_active") and cleaned.get("territories") is not None:
            for conflict in distributor_territory_conflicts(
                distributor=self.instance, territories=cleaned["territories"]
            ):
                self.add_error("territories", conflict)
        return cleaned
