"""The contact form on a partner's public profile. It validates; `contact_request_send` writes and mails."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.extranet_forms import BootstrapMixin

from .models import ContactRequest


class ContactForm(BootstrapMixin, forms.ModelForm):
    # A trap for bots: people never see it (hidden by CSS, out of the tab order); bots fill every field.
    website_url = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = ContactRequest
        fields = ["name", "email", "company", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Your email address"),
            "company": _("Your company"),
            "message": _("Your message"),
        }
        help_texts = {
            "email": _("The partner replies to this address."),
            "company": _("Optional."),
            "message": _("What do you need? Number of workstations, timing, location…"),
        }
        widgets = {
            "name": forms.TextInput({"autocomplete": "name"}),
            "email": forms.EmailInput({"autocomplete": "email"}),
            "company": forms.TextInput({"autocomplete": "organization"}),
            "message": forms.Textarea({"rows": 6}),
        }

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website_url")))

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                _("Please tell the partner a little more: at least 10 characters."), code="too_short"
            )
        return message
