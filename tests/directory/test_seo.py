"""What search engines read: titles, descriptions, canonical and language links, JSON-LD, robots.txt, sitemaps."""

import html as html_lib
import json
import re
import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from partners.models import Partner

from .conftest import png

BASE = "http://testserver"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
JSON_LD = re.compile(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', re.DOTALL)


def head_of(response) -> str:
    text = response.content.decode()
    return text[: text.index("</head>")]


def title(response) -> str:
    return html_lib.unescape(re.search(r"<title>(.*?)</title>", head_of(response), re.DOTALL).group(1))


def meta_description(response) -> str:
    return html_lib.unescape(re.search(r'<meta name="description" content="([^"]*)">', head_of(response)).group(1))


def canonical(response) -> str:
    (url,) = re.findall(r'<link rel="canonical" href="([^"]+)">', head_of(response))
    return url


def alternates(response) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head_of(response)))


def json_ld(response) -> dict:
    scripts = JSON_LD.findall(response.content.decode())
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def partner(make_listed):
    return make_listed(
        "Säntis IT AG",
        street="Bahnhofstrasse 12",
        postcode="9000",
        city="St. Gallen",
        region="SG",
        website="https://saentis-it.example.ch",
        phone="+41 71 555 12 34",
        description="Endpoint security for hospitals in Eastern Switzerland. " * 5,
        speaks=("de", "it"),
    )


# Titles, descriptions, canonical and language links ------------------------------------


def test_the_directory_has_a_title_and_a_description(client, partner):
    response = client.get(reverse("directory:partner-list"))

    assert title(response) == "Find a partner · Partner programme"
    assert meta_description(response).startswith("Find a certified partner for our security software near you")


def test_a_profile_has_a_title_and_a_description_of_its_own(client, partner, make_listed):
    response = client.get(reverse("directory:partner-detail", args=[partner.slug]))

    assert title(response) == "Säntis IT AG, Certified Partner in St. Gallen · Partner directory"
    description = meta_description(response)
    assert description.startswith("Endpoint security for hospitals in Eastern Switzerland.")
    assert len(description) <= 160
    undescribed = make_listed("Quiet AG", city="", description="")
    quiet = client.get(reverse("directory:partner-detail", args=[undescribed.slug]))
    assert title(quiet) == "Quiet AG, Certified Partner · Partner directory"
    assert meta_description(quiet).startswith("Quiet AG")
    assert "Certified Partner" in meta_description(quiet)


@pytest.mark.parametrize("prefix", ["", "/de", "/fr"])
def test_every_language_version_names_itself_canonical_and_links_the_others(client, partner, prefix):
    pages = {
        "/partners/": client.get(f"{prefix}/partners/"),
        f"/partners/{partner.slug}/": client.get(f"{prefix}/partners/{partner.slug}/"),
    }

    for path, response in pages.items():
        assert response.status_code == HTTPStatus.OK
        assert canonical(response) == f"{BASE}{prefix}{path}"
        assert alternates(response) == {
            "en": f"{BASE}{path}",
            "de": f"{BASE}/de{path}",
            "fr": f"{BASE}/fr{path}",
            "x-default": f"{BASE}{path}",
        }


def test_the_canonical_url_leaves_out_the_query_of_a_search(client, partner):
    response = client.get(reverse("directory:partner-list"), {"q": "Säntis", "language": "de"})

    assert canonical(response) == f"{BASE}/partners/"
    assert alternates(response)["de"] == f"{BASE}/de/partners/"


# JSON-LD -----------------------------------------------------------------------------------


def test_a_profile_describes_the_partner_as_a_schema_org_organization(client, partner):
    data = json_ld(client.get(reverse("directory:partner-detail", args=[partner.slug])))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["name"] == "Säntis IT AG"
    assert data["url"] == "https://saentis-it.example.ch"
    assert data["telephone"] == "+41 71 555 12 34"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Bahnhofstrasse 12",
        "postalCode": "9000",
        "addressLocality": "St. Gallen",
        "addressRegion": "SG",
        "addressCountry": "CH",
    }
    assert data["knowsLanguage"] == ["de", "it"]
    assert data["@id"] == f"{BASE}/partners/{partner.slug}/#organization"
    assert "logo" not in data


def test_the_json_ld_names_the_logo_when_there_is_one(client, partner):
    partner.logo.save("saentis.png", ContentFile(png()), save=True)

    data = json_ld(client.get(reverse("directory:partner-detail", args=[partner.slug])))

    assert data["logo"].startswith(f"{BASE}{reverse('directory:partner-logo', args=[partner.slug])}?v=")


def test_the_json_ld_leaves_out_what_the_partner_has_not_filled_in(client, make_listed):
    partner = make_listed("Bare AG", street="", postcode="", city="", region="", speaks=(), description="")

    data = json_ld(client.get(reverse("directory:partner-detail", args=[partner.slug])))

    assert data["url"] == f"{BASE}/partners/{partner.slug}/"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "CH"}
    for key in ("telephone", "description", "knowsLanguage", "areaServed"):
        assert key not in data


@pytest.mark.parametrize(
    "name",
    ["Evil </script><script>alert(1)</script> AG", "Sneaky <!-- AG", "Quote \" & 'Co' AG", "Tag </SCRIPT > AG"],
)
def test_a_name_cannot_break_out_of_the_json_ld_script(client, make_listed, name):
    partner = make_listed(name, description="</script><img src=x onerror=alert(1)>")

    response = client.get(reverse("directory:partner-detail", args=[partner.slug]))

    text = response.content.decode()
    script = JSON_LD.search(text).group(1)
    assert "<" not in script
    assert ">" not in script
    data = json.loads(script)
    assert data["name"] == name
    assert data["description"] == "</script><img src=x onerror=alert(1)>"
    assert "<script>alert(1)" not in text


# robots.txt and sitemaps -------------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_the_private_parts_and_names_the_sitemap(client, tiers):
    response = client.get("/robots.txt")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")}
    for private in ("extranet/", "admin/", "accounts/"):
        for prefix in ("/", "/de/", "/fr/"):
            assert prefix + private in disallowed
    assert not any(path.startswith(("/partners", "/de/partners", "/fr/partners")) for path in disallowed)
    assert "/" not in disallowed
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def sitemap_urls(client, path: str) -> dict[str, dict[str, str]]:
    """Each <loc> of a sitemap section with its alternate links by hreflang."""
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link[@rel='alternate']")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_the_sitemap_index_lists_the_directory_sections(client, tiers):
    response = client.get("/sitemap.xml")

    assert response.status_code == HTTPStatus.OK
    root = ET.fromstring(response.content)
    locations = [element.text for element in root.iter(f"{SITEMAP}loc")]
    assert locations == [f"{BASE}/sitemap-directory.xml", f"{BASE}/sitemap-partners.xml"]


def test_the_sitemap_lists_the_directory_in_every_language(client, tiers):
    urls = sitemap_urls(client, "/sitemap-directory.xml")

    assert sorted(urls) == sorted([f"{BASE}/partners/", f"{BASE}/de/partners/", f"{BASE}/fr/partners/"])
    for links in urls.values():
        assert links == {
            "en": f"{BASE}/partners/",
            "de": f"{BASE}/de/partners/",
            "fr": f"{BASE}/fr/partners/",
            "x-default": f"{BASE}/partners/",
        }


def test_the_sitemap_lists_each_listed_profile_in_every_language_and_no_other(client, make_listed):
    listed = [make_listed("Listed One"), make_listed("Listed Two", tier="enterprise")]
    unlisted = [
        make_listed("Reseller", tier="accredited"),
        make_listed("Applicant", status=Partner.Status.APPLIED),
        make_listed("Withdrawn", directory_consent=False),
    ]

    urls = sitemap_urls(client, "/sitemap-partners.xml")

    expected = {f"{BASE}{prefix}/partners/{partner.slug}/" for partner in listed for prefix in ("", "/de", "/fr")}
    assert set(urls) == expected
    for partner in listed:
        assert urls[f"{BASE}/de/partners/{partner.slug}/"]["fr"] == f"{BASE}/fr/partners/{partner.slug}/"
    text = client.get("/sitemap-partners.xml").content.decode()
    for partner in unlisted:
        assert f"/{partner.slug}/" not in text


def test_the_sitemap_section_of_an_unknown_name_is_not_found(client, tiers):
    assert client.get("/sitemap-nothing.xml").status_code == HTTPStatus.NOT_FOUND


def test_the_json_ld_is_one_organisation_in_every_language(client, partner, make_territory):
    partner.territory = make_territory(name="German-speaking Switzerland", regions="SG")
    partner.save()

    english = json_ld(client.get(f"/partners/{partner.slug}/"))
    german = json_ld(client.get(f"/de/partners/{partner.slug}/"))

    assert german["@id"] == english["@id"] == f"{BASE}/partners/{partner.slug}/#organization"
    assert (english["areaServed"], german["areaServed"]) == ("German-speaking Switzerland", "Deutschschweiz")
