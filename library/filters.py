from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet

from .models import LANGUAGE_CHOICES, MULTILINGUAL, Resource


class ResourceFilter(FilterSet):
    q = CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.SearchInput(attrs={"class": "form-control", "placeholder": _("Title or description")}),
    )
    category = ChoiceFilter(
        label=_("Category"),
        choices=Resource.Category.choices,
        empty_label=_("All categories"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    language = ChoiceFilter(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        empty_label=_("Any language"),
        method="in_language",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    class Meta:
        model = Resource
        fields = ["q", "category", "language"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def in_language(self, queryset, name, value):
        """A resource in all languages serves readers of every language."""
        if value == MULTILINGUAL:
            return queryset.filter(language=value)
        return queryset.filter(language__in=[value, MULTILINGUAL])
