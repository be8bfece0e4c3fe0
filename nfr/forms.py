"""Forms for NFR licences. They validate; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Product

from .models import Licence


class LicenceRequestForm(forms.ModelForm):
    class Meta:
        model = Licence
        fields = ["product", "purpose"]
        widgets = {
            "product": forms.Select(attrs={"class": "form-select"}),
            "purpose": forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        }
        error_messages = {
            "product": {
                "required": _("Choose the product you need a licence for."),
                "invalid_choice": _("This product is not offered as an NFR licence; choose one from the list."),
            },
            "purpose": {"required": _("Say what the licence is for.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(nfr_available=True, is_active=True)
        self.fields["product"].empty_label = _("Choose a product")


class RejectionForm(forms.Form):
    """The reason a channel manager gives when refusing licence requests."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_("Emailed to the person who asked for the licence, and kept with the request."),
    )
