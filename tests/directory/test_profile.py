"""`/partners/<slug>/`: a listed partner's public profile; every other slug gets the same 404."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from partners.models import Partner

# What differs between two renderings of one page: the CSP nonce and the masked CSRF tokens.
PER_RESPONSE = re.compile(r'nonce="[^"]*"|"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')


def normalised(response, slug: str) -> str:
    """The page without what changes from one response to the next, and the requested slug."""
    return PER_RESPONSE.sub("", response.content.decode()).replace(slug, "<slug>")


@pytest.fixture
def profile_partner(make_listed, make_territory):
    return make_listed(
        "Säntis IT AG",
        street="Bahnhofstrasse 12",
        postcode="9000",
        city="St. Gallen",
        region="SG",
        website="https://saentis-it.example.ch",
        phone="+41 71 555 12 34",
        description="Endpoint security for the health sector.\n\nWe install, train and support.",
        territory=make_territory("ostschweiz", name="Ostschweiz", regions="SG, TG"),
        speaks=("de", "it"),
        offers=("installation", "training"),
    )


def profile(client, partner: Partner):
    return client.get(reverse("directory:partner-detail", args=[partner.slug]))


def test_the_profile_shows_what_a_customer_needs(client, profile_partner):
    response = profile(client, profile_partner)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<h1 class="mb-2">Säntis IT AG</h1>' in html
    assert "<p>Endpoint security for the health sector.</p>\n\n<p>We install, train and support.</p>" in html
    services = re.search(r'<h2 id="services-title".*?</ul>', html, re.DOTALL).group(0)
    assert "<li>Installation and roll-out</li>" in services
    assert "<li>Training</li>" in services
    assert "Security consulting" not in services
    languages = re.search(r'<h2 id="languages-title".*?</ul>', html, re.DOTALL).group(0)
    assert re.findall(r"<li>(.*?)</li>", languages) == ["German", "Italian"]
    address = re.search(r"<address.*?</address>", html, re.DOTALL).group(0)
    for line in ("Säntis IT AG", "Bahnhofstrasse 12", "9000 St. Gallen", "Switzerland"):
        assert line in address
    assert '<a href="https://saentis-it.example.ch" rel="noopener nofollow external">' in html
    assert '<a href="tel:+41715551234">+41 71 555 12 34</a>' in html
    assert '<span class="badge tier-badge tier-certified fs-6">Certified Partner</span>' in html
    assert "<dt>Region</dt><dd>Ostschweiz</dd>" in html


def test_a_partner_without_details_says_not_stated(client, make_listed):
    partner = make_listed("Bare AG", speaks=(), offers=(), street="", website="", phone="")

    html = profile(client, partner).content.decode()

    assert "This partner has not described itself yet." in html
    assert html.count("Not stated.") == 2
    assert "<dt>Phone</dt>" not in html
    assert "<dt>Website</dt>" not in html


def test_an_enterprise_partner_says_it_handles_large_projects_and_end_customers(client, make_listed):
    enterprise = make_listed("Grand Projects AG", tier="enterprise")
    certified = make_listed("Small Projects AG", tier="certified")

    enterprise_html = profile(client, enterprise).content.decode()
    certified_html = profile(client, certified).content.decode()

    assert "Large projects and end-customer support" in enterprise_html
    assert (
        "As Enterprise Solution Partner, Grand Projects AG is called in by the vendor for large customer projects"
        " and provides support services to end customers." in enterprise_html
    )
    assert "tier-enterprise" in enterprise_html
    assert "Large projects and end-customer support" not in certified_html


def test_what_a_partner_wrote_is_escaped(client, make_listed):
    partner = make_listed('<b>Bold</b> & "Co"', description="<script>alert('x')</script>")

    html = profile(client, partner).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html


def test_the_profile_exists_in_german_and_french(client, profile_partner):
    for prefix in ("de", "fr"):
        response = client.get(f"/{prefix}/partners/{profile_partner.slug}/")
        assert response.status_code == HTTPStatus.OK
        assert f'<html lang="{prefix}">' in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"tier": "accredited"},
        {"status": Partner.Status.APPLIED},
        {"status": Partner.Status.SUSPENDED},
        {"status": Partner.Status.ENDED},
        {"status": Partner.Status.REJECTED},
        {"directory_consent": False},
    ],
    ids=["accredited", "applicant", "suspended", "ended", "rejected", "withdrawn-consent"],
)
def test_an_unlisted_partner_is_not_found_like_an_unknown_slug(client, make_listed, fields):
    hidden = make_listed("Hidden AG", **fields)

    hidden_response = profile(client, hidden)
    unknown_response = client.get(reverse("directory:partner-detail", args=["no-such-partner"]))

    assert hidden_response.status_code == HTTPStatus.NOT_FOUND
    assert unknown_response.status_code == HTTPStatus.NOT_FOUND
    assert normalised(hidden_response, hidden.slug) == normalised(unknown_response, "no-such-partner")
    assert "Hidden AG" not in hidden_response.content.decode()
    for name in ("partner-contact-sent", "partner-logo"):
        assert client.get(reverse(f"directory:{name}", args=[hidden.slug])).status_code == HTTPStatus.NOT_FOUND


def test_a_partner_that_withdraws_consent_disappears_at_once(client, profile_partner):
    assert profile(client, profile_partner).status_code == HTTPStatus.OK

    Partner.objects.filter(pk=profile_partner.pk).update(directory_consent=False)

    assert profile(client, profile_partner).status_code == HTTPStatus.NOT_FOUND


def test_the_profile_links_back_to_the_directory_and_offers_the_contact_form(client, profile_partner):
    html = profile(client, profile_partner).content.decode()

    assert f'<a href="{reverse("directory:partner-list")}">Find a partner</a>' in html
    action = reverse("directory:partner-contact", args=[profile_partner.slug])
    assert re.search(rf'<form method="post" action="{action}(#contact)?" novalidate>', html)
    assert 'name="csrfmiddlewaretoken"' in html
    for field in ("name", "email", "company", "message", "website_url"):
        assert f'name="{field}"' in html
