import django_filters
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Issue


class IssueFilter(django_filters.FilterSet):
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, empty_label=_("All languages")
    )

    class Meta:
        model = Issue
        fields = ["language"]
