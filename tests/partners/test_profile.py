"""`/extranet/profile/`: owners edit what the public directory shows, members read it, nobody else reaches it."""

import struct
import time
import zlib
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.logos import inspect_logo
from partners.models import Language, Membership, Partner, Service
from partners.services import partner_profile_update

PASSWORD = "correct-horse-battery"  # make_user's


def png_bytes(width: int = 64, height: int = 32, padding: int = 0) -> bytes:
    """A real, displayable PNG (one grey image), `padding` bytes larger through a text chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + (chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b"")
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int = 120, height: int = 40) -> bytes:
    """The start of a JPEG: an APP0 segment, then the frame header that holds the size."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xda" + b"\x00" * 32 + b"\xff\xd9"


def webp_bytes(width: int = 200, height: int = 100) -> bytes:
    """A WebP header with an extended (VP8X) chunk, which holds the size."""
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little")
    vp8x += (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x


def webp_lossy_bytes(width: int = 300, height: int = 150) -> bytes:
    frame = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
    return b"RIFF" + struct.pack("<I", 12 + len(frame)) + b"WEBPVP8 " + struct.pack("<I", len(frame)) + frame


def webp_lossless_bytes(width: int = 48, height: int = 96) -> bytes:
    bits = (width - 1) | (height - 1) << 14
    data = b"\x2f" + struct.pack("<I", bits)
    return b"RIFF" + struct.pack("<I", 12 + len(data)) + b"WEBPVP8L" + struct.pack("<I", len(data)) + data


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def reauthenticate(client, user) -> None:
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def partner(make_partner):
    partner = make_partner("Säntis IT AG", tier="certified", description="Old text.", phone="+41 71 000 00 00")
    partner.languages.set(Language.objects.filter(code="de"))
    return partner


@pytest.fixture
def owner(partner, make_member):
    return make_member(partner, role=Membership.Role.OWNER)


@pytest.fixture
def member(partner, make_member):
    return make_member(partner, role=Membership.Role.SALES)


@pytest.fixture
def signed_in_owner(client, owner):
    client.force_login(owner.user)
    reauthenticate(client, owner.user)
    return owner


def form_data(partner: Partner, **changes) -> dict:
    """What the page posts when the owner saves it unchanged, with `changes` on top."""
    data = {
        "description": partner.description,
        "website": partner.website,
        "phone": partner.phone,
        "services": [s.pk for s in partner.services.all()],
        "languages": [lang.pk for lang in partner.languages.all()],
    }
    if partner.directory_consent:
        data["directory_consent"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_an_owner_edits_every_field_and_history_names_who_and_what(client, signed_in_owner, partner):
    services = list(Service.objects.filter(code__in=["end-customer-support", "training"]))
    languages = list(Language.objects.filter(code__in=["fr", "it"]))
    data = form_data(
        partner,
        description="Firewalls and training in Eastern Switzerland.",
        website="https://www.saentis-it.example",
        phone="+41 71 555 12 12",
        services=[s.pk for s in services],
        languages=[lang.pk for lang in languages],
    )

    response = client.post(reverse("partners:profile"), data)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("partners:profile")
    partner.refresh_from_db()
    assert partner.description == "Firewalls and training in Eastern Switzerland."
    assert partner.website == "https://www.saentis-it.example"
    assert partner.phone == "+41 71 555 12 12"
    assert set(partner.services.all()) == set(services)
    assert set(partner.languages.all()) == set(languages)
    record = partner.history.first()
    assert record.history_user == signed_in_owner.user
    assert record.history_change_reason.startswith("Public profile edited: description, ")
    assert "services offered" in record.history_change_reason
    assert "languages" in record.history_change_reason, "m2m changes are not in history's columns: the reason says so"
    page = client.get(response["Location"])
    assert "Your public profile is saved." in page.content.decode()
    assert page.context["form"]["description"].value() == "Firewalls and training in Eastern Switzerland."


def test_services_and_languages_are_named_in_the_owners_language(client, signed_in_owner, partner):
    signed_in_owner.user.language = "de"
    signed_in_owner.user.save()

    content = client.get("/de/extranet/profile/").content.decode()

    assert "Schulung" in content
    assert "Französisch" in content
    assert ">Training<" not in content


def test_a_bad_website_is_refused_by_name_and_nothing_is_saved(client, signed_in_owner, partner):
    response = client.post(reverse("partners:profile"), form_data(partner, description="New", website="not a url"))

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].has_error("website")
    assert "Enter a valid URL." in response.content.decode()
    partner.refresh_from_db()
    assert partner.description == "Old text."
    assert partner.history.count() == 1, "only the creation"


def test_saving_without_changes_writes_no_history(client, signed_in_owner, partner):
    client.post(reverse("partners:profile"), form_data(partner))

    assert partner.history.count() == 1


def test_a_non_owner_sees_the_profile_read_only_and_cannot_save(client, member, partner):
    client.force_login(member.user)
    reauthenticate(client, member.user)

    page = client.get(reverse("partners:profile"))
    content = page.content.decode()

    assert page.status_code == HTTPStatus.OK
    assert page.context["form"] is None
    assert "Only an owner of Säntis IT AG can change the public profile." in content
    assert "Old text." in content
    assert "German" in content
    assert "<textarea" not in content
    assert 'enctype="multipart/form-data"' not in content
    response = client.post(reverse("partners:profile"), form_data(partner, description="Hijacked"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    partner.refresh_from_db()
    assert partner.description == "Old text."


def test_the_page_is_always_the_members_own_partner(client, partner, make_partner, make_member):
    other = make_partner("Other AG", tier="certified", description="The text of Other AG.")
    other_owner = make_member(other, role=Membership.Role.OWNER)
    client.force_login(other_owner.user)
    reauthenticate(client, other_owner.user)

    page = client.get(reverse("partners:profile"))
    client.post(reverse("partners:profile"), form_data(other, description="Edited by Other AG"))

    assert "The text of Other AG." in page.content.decode()
    assert "Old text." not in page.content.decode()
    partner.refresh_from_db()
    other.refresh_from_db()
    assert partner.description == "Old text."
    assert other.description == "Edited by Other AG"


def test_the_page_needs_a_member_of_an_active_partner(client, make_user, make_partner, make_member):
    url = reverse("partners:profile")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(make_user())
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    applicant = make_member(make_partner(status=Partner.Status.APPLIED), role=Membership.Role.OWNER)
    client.force_login(applicant.user)
    assert client.get(url)["Location"] == reverse("partners:application-status")
    suspended = make_member(make_partner(status=Partner.Status.SUSPENDED), role=Membership.Role.OWNER)
    client.force_login(suspended.user)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_withdrawing_consent_takes_the_partner_out_of_the_directory_at_once(client, signed_in_owner, partner):
    assert Partner.objects.listed().filter(pk=partner.pk).exists()

    response = client.post(reverse("partners:profile"), form_data(partner, directory_consent=None))

    partner.refresh_from_db()
    assert partner.directory_consent is False
    assert not Partner.objects.listed().filter(pk=partner.pk).exists()
    assert partner.history.first().history_change_reason == "Directory consent withdrawn."
    page = client.get(response["Location"])
    content = page.content.decode()
    assert "the public directory does not list Säntis IT AG" in content
    assert "Your consent to be listed is withdrawn" in content
    assert "View your public profile" not in content

    client.post(reverse("partners:profile"), form_data(partner, directory_consent="on"))

    assert Partner.objects.listed().filter(pk=partner.pk).exists()
    assert partner.history.first().history_change_reason == "Directory consent given."


def test_the_page_says_when_the_tier_is_not_listed(client, make_partner, make_member):
    owner = make_member(make_partner("Small IT GmbH", tier="accredited"), role=Membership.Role.OWNER)
    client.force_login(owner.user)

    content = client.get(reverse("partners:profile")).content.decode()

    assert "The directory does not list your tier, Accredited Reseller." in content
    assert "It lists: Certified Partner, Enterprise Solution Partner." in content
    assert "once your company reaches a listed tier" in content


def test_a_listed_partner_is_told_so(client, signed_in_owner):
    content = client.get(reverse("partners:profile")).content.decode()

    assert "The public partner directory lists Säntis IT AG." in content


def test_the_public_profile_link_appears_once_the_directory_has_the_route(client, signed_in_owner, partner):
    from django.urls import NoReverseMatch

    try:
        public_url = reverse("directory:partner-detail", args=[partner.slug])
    except NoReverseMatch:
        public_url = None

    content = client.get(reverse("partners:profile")).content.decode()

    if public_url is None:
        assert "View your public profile" not in content
    else:
        assert f'href="{public_url}"' in content
        assert "View your public profile" in content


# Logos: what `inspect_logo` accepts and refuses


@pytest.mark.parametrize(
    ("name", "content", "kind", "size"),
    [
        ("logo.png", png_bytes(64, 32), "PNG", (64, 32)),
        ("logo.jpg", jpeg_bytes(120, 40), "JPEG", (120, 40)),
        ("logo.webp", webp_bytes(200, 100), "WebP", (200, 100)),
        ("lossy.webp", webp_lossy_bytes(300, 150), "WebP", (300, 150)),
        ("lossless.webp", webp_lossless_bytes(48, 96), "WebP", (48, 96)),
        ("named-wrongly.gif", png_bytes(20, 20), "PNG", (20, 20)),
    ],
)
def test_a_png_jpeg_or_webp_logo_is_read_from_its_content(name, content, kind, size):
    image = inspect_logo(upload(name, content))

    assert (image.kind, (image.width, image.height)) == (kind, size)


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("logo.png", b"<html><script>alert(1)</script></html>", "logo_type", "“logo.png” is not a PNG, JPEG or WebP"),
        ("logo.png", b"GIF89a" + b"\x00" * 40, "logo_type", "its content is none of these, whatever its name says"),
        ("logo.svg", SVG, "logo_svg", "“logo.svg” is an SVG image. SVG logos are not accepted"),
        ("disguised.png", SVG, "logo_svg", "can contain scripts"),
        ("empty.png", b"", "logo_empty", "“empty.png” is empty."),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00\x00", "logo_damaged", "starts like a PNG image, but its header is damaged"),
        ("dot.png", png_bytes(8, 8), "logo_dimensions", "is 8 × 8 pixels; a logo must be 16 to 4096 pixels"),
        ("banner.png", png_bytes(5000, 20), "logo_dimensions", "is 5000 × 20 pixels"),
    ],
)
def test_a_logo_that_is_not_a_small_image_is_refused_naming_the_problem(name, content, code, message):
    with pytest.raises(ValidationError) as refused:
        inspect_logo(upload(name, content))

    assert refused.value.code == code
    assert message in refused.value.messages[0]


def test_a_logo_over_the_limit_is_refused(settings):
    settings.EXTRANET_LOGO_MAX_KB = 2

    with pytest.raises(ValidationError) as refused:
        inspect_logo(upload("big.png", png_bytes(padding=3000)))

    assert refused.value.code == "logo_size"
    assert refused.value.messages[0] == "“big.png” is 3.1 KB; a logo may be at most 2.0 KB."
    assert inspect_logo(upload("small.png", png_bytes(padding=1000))).kind == "PNG"


def test_the_limit_is_one_megabyte_by_default():
    with pytest.raises(ValidationError) as refused:
        inspect_logo(upload("big.png", png_bytes(padding=1024 * 1024)))

    assert refused.value.messages[0] == "“big.png” is 1.1 MB; a logo may be at most 1.0 MB."


# Logos through the page and the service


def test_an_owner_uploads_a_logo_stored_under_a_random_name(client, signed_in_owner, partner, media):
    data = form_data(partner, logo=upload("../../evil name.png", png_bytes()))

    response = client.post(reverse("partners:profile"), data)

    assert response.status_code == HTTPStatus.FOUND
    partner.refresh_from_db()
    assert partner.logo.name.startswith("logos/")
    assert partner.logo.name.endswith(".png")
    assert "evil" not in partner.logo.name
    assert (media / partner.logo.name).read_bytes() == png_bytes()
    assert partner.history.first().history_change_reason == "Public profile edited: logo."
    page = client.get(reverse("partners:profile")).content.decode()
    assert f'src="{reverse("partners:profile-logo")}?v=' in page
    assert 'alt="Current logo of Säntis IT AG"' in page


def test_a_disguised_logo_is_refused_on_the_page_and_nothing_is_saved(client, signed_in_owner, partner, media):
    data = form_data(partner, description="New text", logo=upload("logo.png", b"MZ\x90\x00 a program"))

    response = client.post(reverse("partners:profile"), data)

    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].has_error("logo", "logo_type")
    assert "“logo.png” is not a PNG, JPEG or WebP image" in response.content.decode()
    partner.refresh_from_db()
    assert partner.description == "Old text."
    assert not partner.logo
    assert not (media / "logos").exists() or not any((media / "logos").iterdir())


def test_an_svg_logo_is_refused_on_the_page(client, signed_in_owner, partner):
    response = client.post(reverse("partners:profile"), form_data(partner, logo=upload("logo.svg", SVG)))

    assert response.context["form"].has_error("logo", "logo_svg")
    assert "SVG logos are not accepted because they can contain scripts" in response.content.decode()


def test_a_new_logo_replaces_the_old_file_which_is_deleted_after_commit(
    client, signed_in_owner, partner, media, django_capture_on_commit_callbacks
):
    partner.logo.save("old.png", ContentFile(png_bytes()), save=True)
    old_name = partner.logo.name
    assert default_storage.exists(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:profile"), form_data(partner, logo=upload("new.jpg", jpeg_bytes())))

    partner.refresh_from_db()
    assert partner.logo.name.endswith(".jpg")
    assert default_storage.exists(partner.logo.name)
    assert not default_storage.exists(old_name)


def test_an_owner_removes_the_logo_and_its_file(
    client, signed_in_owner, partner, media, django_capture_on_commit_callbacks
):
    partner.logo.save("old.png", ContentFile(png_bytes()), save=True)
    old_name = partner.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:profile"), form_data(partner, remove_logo="on"))

    partner.refresh_from_db()
    assert not partner.logo
    assert not default_storage.exists(old_name)


def test_a_new_logo_and_removing_it_at_once_is_refused(client, signed_in_owner, partner):
    partner.logo.save("old.png", ContentFile(png_bytes()), save=True)

    response = client.post(
        reverse("partners:profile"), form_data(partner, remove_logo="on", logo=upload("new.png", png_bytes()))
    )

    assert response.context["form"].has_error("remove_logo")
    assert "Choose a new logo or remove the current one, not both." in response.content.decode()


def test_a_failed_update_keeps_the_old_logo_and_deletes_the_new_file(partner, owner, media, monkeypatch):
    partner.logo.save("old.png", ContentFile(png_bytes()), save=True)
    old_name = partner.logo.name

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Partner, "save", broken_save)
    with pytest.raises(RuntimeError):
        partner_profile_update(
            partner=partner,
            description="New",
            website="",
            phone="",
            services=[],
            languages=[],
            directory_consent=True,
            logo=upload("new.png", png_bytes()),
            actor=owner.user,
        )

    monkeypatch.undo()
    partner.refresh_from_db()
    assert partner.logo.name == old_name
    assert sorted(p.name for p in (media / "logos").iterdir()) == [old_name.removeprefix("logos/")]


def test_members_see_their_partners_logo_served_safely(client, member, partner, make_partner, make_member):
    url = reverse("partners:profile-logo")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(member.user)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND, "no logo yet"
    partner.logo.save("logo.webp", ContentFile(webp_bytes()), save=True)

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == webp_bytes()
    other_member = make_member(make_partner(tier="accredited"), role=Membership.Role.OWNER)
    client.force_login(other_member.user)
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND, "always the member's own partner's logo"


def test_a_stored_file_that_is_not_an_image_is_never_served(client, member, partner):
    """Staff upload logos in admin too; whatever got stored, only images leave."""
    partner.logo.save("logo.png", ContentFile(SVG), save=True)
    client.force_login(member.user)

    assert client.get(reverse("partners:profile-logo")).status_code == HTTPStatus.NOT_FOUND


# Re-authentication and query counts


def test_saving_needs_the_password_again(client, owner, partner):
    client.force_login(owner.user)
    assert client.get(reverse("partners:profile")).status_code == HTTPStatus.OK, "reading needs no password"

    response = client.post(reverse("partners:profile"), form_data(partner, description="New"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    partner.refresh_from_db()
    assert partner.description == "Old text."


def test_after_the_password_check_the_changes_are_saved(client, owner, partner):
    client.force_login(owner.user)
    posted = client.post(reverse("partners:profile"), form_data(partner, description="New"))

    replayed = client.post(posted["Location"], {"password": PASSWORD})

    assert replayed.status_code == HTTPStatus.FOUND
    assert replayed["Location"] == reverse("partners:profile")
    partner.refresh_from_db()
    assert partner.description == "New"


def test_a_logo_lost_in_the_password_check_is_asked_for_again_and_nothing_is_saved(client, owner, partner, media):
    """allauth replays the POST without its file; saving the rest would silently drop the new logo."""
    client.force_login(owner.user)
    posted = client.post(
        reverse("partners:profile"), form_data(partner, description="New", logo=upload("logo.png", png_bytes()))
    )

    replayed = client.post(posted["Location"], {"password": PASSWORD})

    assert replayed.status_code == HTTPStatus.OK
    assert "the logo you chose could not be kept during the check" in replayed.content.decode()
    assert replayed.context["form"]["description"].value() == "New", "what was typed is kept"
    partner.refresh_from_db()
    assert partner.description == "Old text."
    assert not partner.logo

    client.post(
        reverse("partners:profile"), form_data(partner, description="New", logo=upload("logo.png", png_bytes()))
    )
    partner.refresh_from_db()
    assert partner.description == "New"
    assert partner.logo


@pytest.mark.parametrize(("role", "queries"), [(Membership.Role.OWNER, 11), (Membership.Role.TECHNICAL, 9)])
def test_the_page_runs_a_fixed_number_of_queries(
    client, partner, make_member, django_assert_max_num_queries, role, queries
):
    """Session, user, membership with partner and tier, the partner's languages and services, whether it is
    listed, (for the owner's form: all services and languages,) and the session's save: whatever the data."""
    member = make_member(partner, role=role)
    partner.services.set(Service.objects.all())
    partner.languages.set(Language.objects.all())
    partner.logo.save("logo.png", ContentFile(png_bytes()), save=True)
    for number in range(20):
        Language.objects.create(code=f"x{number}", name=f"Language {number}")
        Service.objects.create(code=f"service-{number}", name=f"Service {number}")
    client.force_login(member.user)

    with django_assert_max_num_queries(queries):
        response = client.get(reverse("partners:profile"))

    assert response.status_code == HTTPStatus.OK
