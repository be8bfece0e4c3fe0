"""The staff's resource form: checks the upload and suggests the category's minimum tier."""

import json

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from partners.models import Tier

from .models import Resource, default_min_tier
from .uploads import InspectedUpload, inspect_upload


class ResourceAdminForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["title", "description", "category", "language", "file", "min_tier", "published"]
        # The plain input shows no link to the current file: private files have no URL.
        widgets = {"file": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected_upload: InspectedUpload | None = None
        self.tiers = list(Tier.objects.order_by("rank"))
        if "min_tier" not in self.fields:
            return  # someone who may only view gets a form without fields; the admin shows the values
        defaults = {category: default_min_tier(category, self.tiers) for category in Resource.Category.values}
        field = self.fields["min_tier"]
        field.required = False
        field.empty_label = _("The category's default")
        field.help_text = _(
            "Partners of this tier and above may download it; the others see a locked teaser. "
            "Left empty, the category's default applies: %(defaults)s."
        ) % {
            "defaults": "; ".join(
                f"{label}: {defaults[value]}" for value, label in Resource.Category.choices if defaults[value]
            )
        }
        # resource_admin.js preselects the default when staff pick a category. In the admin the
        # select sits inside a RelatedFieldWidgetWrapper, whose attrs are a copy.
        select = getattr(field.widget, "widget", field.widget)
        select.attrs["data-defaults"] = json.dumps({k: tier.pk for k, tier in defaults.items() if tier})
        category = self.initial.get("category")
        if not self.instance.pk and category in defaults and defaults[category]:
            self.initial.setdefault("min_tier", defaults[category].pk)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self.inspected_upload = inspect_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") and not cleaned.get("min_tier"):
            cleaned["min_tier"] = default_min_tier(cleaned["category"], self.tiers)
        return cleaned
