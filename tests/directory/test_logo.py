"""`/partners/<slug>/logo`: a listed partner's logo, served with caching headers, only if it is an image."""

from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from directory.logos import CACHE_SECONDS
from partners.models import Partner

from .conftest import png

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"
GIF = b"GIF89a" + b"\x01\x00\x01\x00" + b"\x00" * 30
WEBP = b"RIFF" + (30).to_bytes(4, "little") + b"WEBPVP8 " + b"\x00" * 22


def with_logo(partner: Partner, content: bytes, name: str = "logo.png") -> Partner:
    partner.logo.save(name, ContentFile(content), save=True)
    return partner


def logo_url(partner: Partner) -> str:
    return reverse("directory:partner-logo", args=[partner.slug])


def body(response) -> bytes:
    # Reading it to the end closes the file (the test client's wrapper); close() would end the test's connection.
    return b"".join(response.streaming_content)


def test_a_listed_partners_logo_is_served_with_caching_headers(client, make_listed):
    partner = with_logo(make_listed(), png())

    response = client.get(logo_url(partner))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/png"
    assert body(response) == png()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", f"max-age={CACHE_SECONDS}"}
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(("content", "content_type"), [(JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")])
def test_the_content_type_comes_from_the_file_not_its_name(client, make_listed, content, content_type):
    partner = with_logo(make_listed(), content, name="logo.png")

    response = client.get(logo_url(partner))

    assert response["Content-Type"] == content_type
    assert body(response) == content


@pytest.mark.parametrize(
    "content",
    [b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', b"<html><script>x</script>", b""],
    ids=["svg", "html", "empty"],
)
def test_a_file_that_is_not_a_known_image_is_never_served(client, make_listed, content):
    partner = with_logo(make_listed(), content, name="logo.png")

    assert client.get(logo_url(partner)).status_code == HTTPStatus.NOT_FOUND


def test_a_browser_with_the_current_copy_gets_not_modified(client, make_listed):
    partner = with_logo(make_listed(), png())
    first = client.get(logo_url(partner))
    body(first)

    by_etag = client.get(logo_url(partner), headers={"If-None-Match": first["ETag"]})
    by_date = client.get(logo_url(partner), headers={"If-Modified-Since": first["Last-Modified"]})
    stale = client.get(logo_url(partner), headers={"If-None-Match": '"something-else"'})

    assert by_etag.status_code == HTTPStatus.NOT_MODIFIED
    assert by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == HTTPStatus.NOT_MODIFIED
    assert stale.status_code == HTTPStatus.OK
    assert body(stale) == png()


def test_a_new_logo_gets_a_new_url_on_the_pages(client, make_listed):
    partner = with_logo(make_listed(), png(), name="first.png")
    detail = reverse("directory:partner-detail", args=[partner.slug])
    first = client.get(detail).content.decode()

    with_logo(partner, png(16, 16), name="second.png")
    second = client.get(detail).content.decode()

    prefix = f'src="{logo_url(partner)}?v='
    assert prefix in first
    assert prefix in second
    first_src = first[first.index(prefix) :].split('"')[1]
    second_src = second[second.index(prefix) :].split('"')[1]
    assert first_src != second_src
    assert f'src="{second_src}"' in client.get(reverse("directory:partner-list")).content.decode()


def test_no_logo_no_image_and_no_logo_url(client, make_listed):
    partner = make_listed()

    profile = client.get(reverse("directory:partner-detail", args=[partner.slug])).content.decode()
    assert client.get(logo_url(partner)).status_code == HTTPStatus.NOT_FOUND
    assert logo_url(partner) not in profile
    assert "<img" not in profile


def test_a_missing_file_is_not_found(client, make_listed, media):
    partner = with_logo(make_listed(), png())
    (media / partner.logo.name).unlink()

    assert client.get(logo_url(partner)).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "fields",
    [{"tier": "accredited"}, {"status": Partner.Status.SUSPENDED}, {"directory_consent": False}],
    ids=["accredited", "suspended", "withdrawn-consent"],
)
def test_an_unlisted_partners_logo_is_not_found(client, make_listed, fields):
    partner = with_logo(make_listed(**fields), png())

    assert client.get(logo_url(partner)).status_code == HTTPStatus.NOT_FOUND
