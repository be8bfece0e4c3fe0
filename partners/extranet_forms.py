"""Forms of the public application and the partner's extranet. They validate; the services write."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .logos import ACCEPT, MAX_SIDE, MIN_SIDE, inspect_logo, logo_max_bytes, logo_size_display
from .models import Invitation, Partner

COMPANY_FIELDS = [
    "name",
    "uid",
    "street",
    "postcode",
    "city",
    "region",
    "country",
    "website",
    "phone",
    "email",
    "languages",
    "services",
    "description",
    "directory_consent",
]


def language_choices() -> list[tuple[str, str]]:
    """The site's languages, each named in itself, as people look for their own."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ChoicesByIdField(forms.ModelMultipleChoiceField):
    """Refuses an id beyond a 64-bit integer as an invalid value: SQLite raises OverflowError on it."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                too_large = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # Django's own check names it
            if too_large:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


MULTIPLE_CHOICES = {"languages": ChoicesByIdField, "services": ChoicesByIdField}


class BootstrapMixin:
    """Gives every widget Bootstrap's classes; the template `partners/_field.html` does the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class PasswordPairMixin:
    """A new password typed twice, checked by the site's password validators against the person's data."""

    def clean_password2(self):
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise ValidationError(
                _("The two passwords differ. Type the same password twice."), code="password_mismatch"
            )
        return password2

    def check_password_for(self, user: User) -> None:
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)


def password_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            # Lazy, so that the rules appear in the language of the request, not of the import.
            help_text=lazy(password_validation.password_validators_help_text_html, str)(),
        ),
        forms.CharField(
            label=_("Password (again)"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class ApplicationForm(PasswordPairMixin, BootstrapMixin, forms.ModelForm):
    """A company's application: its data as the directory would show it, and the applicant's account."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    applicant_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("You sign in with it. We send a link to confirm it."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    password1, password2 = password_fields()
    language = forms.ChoiceField(
        label=_("Your language"), choices=language_choices, help_text=_("For the pages and the emails you receive.")
    )
    # A trap for bots: people never see it (hidden by CSS, out of the tab order); bots fill every field.
    homepage_url = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )

    company_fields = COMPANY_FIELDS
    applicant_fields = ["first_name", "last_name", "applicant_email", "password1", "password2", "language"]

    class Meta:
        model = Partner
        fields = COMPANY_FIELDS
        field_classes = MULTIPLE_CHOICES
        widgets = {
            "languages": forms.CheckboxSelectMultiple,
            "services": forms.CheckboxSelectMultiple,
            "description": forms.Textarea({"rows": 4}),
            "name": forms.TextInput({"autocomplete": "organization"}),
            "street": forms.TextInput({"autocomplete": "street-address"}),
            "postcode": forms.TextInput({"autocomplete": "postal-code"}),
            "city": forms.TextInput({"autocomplete": "address-level2"}),
            "region": forms.TextInput({"autocomplete": "address-level1"}),
            "country": forms.Select({"autocomplete": "country"}),
            "website": forms.URLInput({"autocomplete": "url"}),
            "phone": forms.TextInput({"autocomplete": "tel", "type": "tel"}),
            "email": forms.EmailInput({"autocomplete": "off"}),
        }
        labels = {"languages": _("Languages you serve customers in"), "services": _("Services you offer")}
        help_texts = {
            "email": _("Where customers write to the company, e.g. info@…"),
            "directory_consent": _("Once your tier is one the public partner directory lists, it may list you."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["street", "postcode", "city", "region"]:
            self.fields[name].required = True

    @property
    def company(self):
        return [self[name] for name in self.company_fields]

    @property
    def applicant(self):
        return [self[name] for name in self.applicant_fields]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("homepage_url")))

    def clean_uid(self) -> str:
        uid = self.cleaned_data["uid"].strip().upper()
        if uid and Partner.objects.filter(uid=uid).exists():
            raise ValidationError(
                _("A partner with the UID %(uid)s is registered already. Write to the partner desk if it is yours."),
                params={"uid": uid},
                code="uid_taken",
            )
        return uid

    def clean_region(self) -> str:
        return self.cleaned_data["region"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        self.check_password_for(
            User(
                email=cleaned.get("applicant_email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
        )
        return cleaned


class InvitationForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput({"autocomplete": "off"}))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in (Invitation.Role.SALES, Invitation.Role.TECHNICAL)],
        help_text=_("Sales people and technicians use the extranet; only owners manage the team."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=language_choices, help_text=_("Also the new account's language.")
    )


class InvitationAcceptForm(PasswordPairMixin, BootstrapMixin, forms.Form):
    """An invitee without an account chooses a name and a password; the address is the invited one."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    password1, password2 = password_fields()
    language = forms.ChoiceField(label=_("Your language"), choices=language_choices)

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self.check_password_for(
            User(email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""))
        )
        return cleaned


class PreferencesForm(BootstrapMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        help_text=_("For the extranet's pages and the emails you receive."),
    )
    receives_newsletter = forms.BooleanField(
        label=_("Send me the monthly partner newsletter"),
        required=False,
        help_text=_("Published issues stay readable in the extranet either way."),
    )


class MfaRequirementForm(BootstrapMixin, forms.Form):
    require_mfa = forms.BooleanField(
        label=_("Require two-factor authentication for all members"),
        required=False,
        help_text=_("Members without a second factor are asked to set one up before they can continue."),
    )


class PublicProfileForm(BootstrapMixin, forms.ModelForm):
    """What the public directory shows of a partner, and its consent to be listed there."""

    logo = forms.FileField(label=_("New logo"), required=False, widget=forms.FileInput({"accept": ACCEPT}))
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Partner
        fields = ["description", "services", "languages", "website", "phone", "directory_consent"]
        field_classes = MULTIPLE_CHOICES
        widgets = {
            "languages": forms.CheckboxSelectMultiple,
            "services": forms.CheckboxSelectMultiple,
            "description": forms.Textarea({"rows": 6}),
            "website": forms.URLInput({"autocomplete": "url"}),
            "phone": forms.TextInput({"autocomplete": "tel", "type": "tel"}),
        }
        labels = {
            "languages": _("Languages you serve customers in"),
            "services": _("Services you offer"),
            "directory_consent": _("List us in the public partner directory"),
        }
        help_texts = {
            "description": _("What your company does and for whom; visitors see it on your profile and search it."),
            "website": _("E.g. https://www.example.ch"),
            "phone": _("The number customers call, e.g. +41 44 123 45 67."),
            "directory_consent": _(
                "Visitors can then find your company with its description, services, languages, address, "
                "website, phone and logo. Untick the box to withdraw your consent: your profile leaves the "
                "directory as soon as you save. You can give your consent again at any time."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not in the field: the limit is a setting, and the text is in the language of the request.
        self.fields["logo"].help_text = _(
            "PNG, JPEG or WebP, at most %(limit)s and %(min)s to %(max)s pixels on each side. SVG is not accepted."
        ) % {"limit": logo_size_display(logo_max_bytes()), "min": MIN_SIDE, "max": MAX_SIDE}
        if not self.instance.logo:
            del self.fields["remove_logo"]

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo:
            inspect_logo(logo)
        return logo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo") and cleaned.get("remove_logo"):
            self.add_error("remove_logo", _("Choose a new logo or remove the current one, not both."))
        return cleaned
