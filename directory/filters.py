"""The directory's search box and filters. Every value lives in the URL, so a search can be shared."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters import (
    BooleanFilter,
    CharFilter,
    ChoiceFilter,
    FilterSet,
    ModelChoiceFilter,
    ModelMultipleChoiceFilter,
)

from partners.models import Language, Partner, Service, Territory, Tier
from partners.models.organisations import Country
from partners.validators import SWISS_CANTONS

from .search import is_searchable, partner_search

END_CUSTOMER_SERVICE = "end-customer-support"
MAX_TERM_LENGTH = 100


class PartnerFilter(FilterSet):
    q = CharFilter(
        label=_("Search"),
        method="search",
        max_length=MAX_TERM_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "class": "form-control",
                "placeholder": _("e.g. Zürich or 8005"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )
    tier = ModelChoiceFilter(
        label=_("Partner level"),
        queryset=Tier.objects.listed().order_by("-rank"),
        to_field_name="code",
        empty_label=_("All levels"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    country = ChoiceFilter(
        label=_("Country"),
        choices=Country.choices,
        empty_label=_("All countries"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    territory = ModelChoiceFilter(
        label=_("Region"),
        queryset=Territory.objects.all(),
        to_field_name="code",
        empty_label=_("All regions"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    canton = ChoiceFilter(
        label=_("Canton"),
        choices=[(code, code) for code in sorted(SWISS_CANTONS)],
        empty_label=_("All cantons"),
        field_name="region",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    language = ModelMultipleChoiceFilter(
        label=_("Speaks"),
        queryset=Language.objects.all(),
        to_field_name="code",
        method="speaking_any",
        help_text=_("Partners speaking at least one of the languages you tick."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    service = ModelMultipleChoiceFilter(
        label=_("Offers"),
        queryset=Service.objects.exclude(code=END_CUSTOMER_SERVICE),
        to_field_name="code",
        method="offering_all",
        help_text=_("Partners offering every service you tick."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    end_customers = BooleanFilter(
        label=_("Supports end customers"),
        method="supporting_end_customers",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "value": "1"}),
    )

    class Meta:
        model = Partner
        fields = ["q", "tier", "country", "territory", "canton", "language", "service", "end_customers"]

    @property
    def short_term(self) -> bool:
        """A term was typed but is too short to search: it is ignored, and the page says so."""
        term = self.data.get("q", "").strip()
        return bool(term) and not is_searchable(term)

    def search(self, queryset, name, value):
        return partner_search(queryset, value)

    def speaking_any(self, queryset, name, languages):
        if not languages:
            return queryset
        through = Partner.languages.through
        return queryset.filter(Exists(through.objects.filter(partner=OuterRef("pk"), language__in=languages)))

    def offering_all(self, queryset, name, services):
        through = Partner.services.through
        for service in services:
            queryset = queryset.filter(Exists(through.objects.filter(partner=OuterRef("pk"), service=service)))
        return queryset

    def supporting_end_customers(self, queryset, name, value):
        if not value:
            return queryset
        through = Partner.services.through
        return queryset.filter(
            Exists(through.objects.filter(partner=OuterRef("pk"), service__code=END_CUSTOMER_SERVICE))
        )
