"""What search engines read on directory pages: canonical and language links, and JSON-LD on profiles."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.safestring import SafeString, mark_safe

from partners.models import Partner

from .logos import logo_url

# As `django.utils.html.json_script` escapes: the JSON cannot close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    href: str


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def alternates(request: HttpRequest, path: str) -> list[Alternate]:
    """The page in every site language, and the default language's as `x-default`.

    `path` is a path of the current request's language, which the request has activated, so
    `translate_url` resolves it (the language switcher's view explains why that matters).
    """
    links = [Alternate(code, absolute(request, translate_url(path, code))) for code, _name in settings.LANGUAGES]
    default = next(link.href for link in links if link.hreflang == settings.LANGUAGE_CODE)
    return [*links, Alternate("x-default", default)]


def page_links(request: HttpRequest, path: str) -> dict:
    """Template context for `directory/_head_links.html`."""
    return {"canonical_url": absolute(request, path), "alternates": alternates(request, path)}


def json_ld(data: dict) -> SafeString:
    """`data` as JSON safe to place inside a <script> element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308


def partner_json_ld(request: HttpRequest, partner: Partner) -> SafeString:
    """schema.org Organization with its postal address, for the partner's profile."""
    profile_path = reverse("directory:partner-detail", args=[partner.slug])
    address = {
        "@type": "PostalAddress",
        "streetAddress": partner.street,
        "postalCode": partner.postcode,
        "addressLocality": partner.city,
        "addressRegion": partner.region,
        "addressCountry": partner.country,
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        # One organisation, one id, whichever language the page is in.
        "@id": absolute(request, translate_url(profile_path, settings.LANGUAGE_CODE)) + "#organization",
        "name": partner.name,
        "url": partner.website or absolute(request, profile_path),
        "description": partner.description,
        "telephone": partner.phone,
        "address": {key: value for key, value in address.items() if value},
        "knowsLanguage": [language.code for language in partner.languages.all()],
        "areaServed": str(partner.territory) if partner.territory else "",
    }
    if partner.logo:
        data["logo"] = absolute(request, logo_url(partner))
    return json_ld({key: value for key, value in data.items() if value})
