"""Upload checks (size, type by extension and by content, clean names) and the staff's admin."""

import io
import zipfile
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.forms import ResourceAdminForm
from library.models import Resource
from library.uploads import inspect_upload, sanitise_filename

from .conftest import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("guide.pdf", PDF, "application/pdf"),
        (
            "offer.docx",
            zip_with("[Content_Types].xml", "word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "prices.xlsx",
            zip_with("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "pitch.pptx",
            zip_with("ppt/presentation.xml"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("logos.zip", zip_with("logo.png"), "application/zip"),
        ("logo.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("notes.txt", "Grüezi\n".encode(), "text/plain; charset=utf-8"),
        ("prices.csv", "\ufeffSKU;Preis\n".encode(), "text/csv; charset=utf-8"),
        ("readme.md", b"# Title\n", "text/markdown; charset=utf-8"),
    ],
)
def test_allowed_files_pass_with_the_content_type_of_their_kind(name, content, content_type):
    facts = inspect_upload(upload(name, content, content_type="text/html"))  # the browser's claim is ignored

    assert facts.content_type == content_type
    assert facts.size == len(content)
    assert facts.filename == name


def test_text_sniffing_tolerates_a_character_cut_at_the_sample_edge():
    content = b"a" * (64 * 1024 - 1) + "ü".encode() + b"rest"

    assert inspect_upload(upload("long.txt", content)).content_type.startswith("text/plain")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "“setup.exe” is not a file type the library accepts. Accepted: .csv, .docx,"),
        ("page.html", b"<html>", "“page.html” is not a file type the library accepts."),
        ("noextension", b"data", "“noextension” is not a file type the library accepts."),
        ("setup.pdf", b"MZ\x90\x00", "“setup.pdf” has the extension .pdf, but its content is not a PDF file."),
        (
            "archive.docx",
            zip_with("other.xml"),
            "“archive.docx” has the extension .docx, but its content is not a Word file.",
        ),
        ("fake.zip", PDF, "“fake.zip” has the extension .zip, but its content is not a ZIP file."),
        ("photo.png", JPEG, "“photo.png” has the extension .png, but its content is not a PNG file."),
        ("binary.txt", b"abc\x00def", "“binary.txt” has the extension .txt, but its content is not a text file."),
        (
            "latin1.csv",
            "Zürich".encode("latin-1"),
            "“latin1.csv” has the extension .csv, but its content is not a CSV file.",
        ),
        ("empty.pdf", b"", "“empty.pdf” is empty."),
    ],
)
def test_wrong_and_disguised_files_are_refused_with_a_message_naming_the_problem(name, content, message):
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload(name, content))

    assert error.value.messages[0].startswith(message)


def test_files_over_the_size_limit_are_refused(settings):
    settings.EXTRANET_LIBRARY_MAX_UPLOAD_MB = 1
    just_right = upload("ok.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    too_big = upload("big.pdf", PDF + b"0" * (1024 * 1024))

    assert inspect_upload(just_right).size == 1024 * 1024
    with pytest.raises(ValidationError) as error:
        inspect_upload(too_big)
    assert error.value.messages == ["“big.pdf” is 1.1 MB; the library accepts files of at most 1.0 MB."]


def test_the_size_limit_defaults_to_50_mb(settings):
    del settings.EXTRANET_LIBRARY_MAX_UPLOAD_MB
    big = upload("big.pdf", PDF)
    big.size = 50 * 1024 * 1024 + 1  # no need to hold 50 MB in memory

    with pytest.raises(ValidationError, match="is 50.1 MB; the library accepts files of at most 50.0 MB"):
        inspect_upload(big)


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\anna\\Preisliste Zürich.CSV", "Preisliste Zürich.csv"),
        ('bad"name<>|?*.pdf', "badname.pdf"),
        ("tabs\tand\nnewlines.pdf", "tabs and newlines.pdf"),
        ("  spaced   out  .pdf", "spaced out.pdf"),
        (".pdf", "download.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
        ("GUIDE.PDF", "GUIDE.pdf"),
        ("version 2. final", "version 2. final"),
        ("Cafe\u0301.md", "Café.md"),
    ],
)
def test_names_are_sanitised(name, clean):
    assert sanitise_filename(name) == clean


# The admin form ------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    return {
        "title": "Guide",
        "description": "",
        "category": "technical",
        "language": "en",
        "published": "on",
    } | overrides


def test_form_fills_in_the_categorys_default_tier_when_staff_leave_it_empty(tiers):
    form = ResourceAdminForm(data=form_data(), files={"file": upload("guide.pdf", PDF)})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["min_tier"] == tiers["certified"]
    assert form.inspected_upload.content_type == "application/pdf"


def test_form_keeps_the_tier_staff_chose(tiers):
    form = ResourceAdminForm(data=form_data(min_tier=tiers["accredited"].pk), files={"file": upload("guide.pdf", PDF)})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["min_tier"] == tiers["accredited"]


def test_form_suggests_the_default_tier_for_a_category_given_in_the_url(tiers):
    form = ResourceAdminForm(initial={"category": "project_material"})

    assert form["min_tier"].value() == tiers["enterprise"].pk
    assert f"&quot;price_list&quot;: {tiers['certified'].pk}" in str(form["min_tier"])
    assert "Price list: Certified Partner" in str(form.fields["min_tier"].help_text)


def test_form_shows_the_upload_problem_on_the_file_field(tiers):
    form = ResourceAdminForm(data=form_data(), files={"file": upload("guide.pdf", b"MZ")})

    assert not form.is_valid()
    assert form.errors["file"] == ["“guide.pdf” has the extension .pdf, but its content is not a PDF file."]


# The admin pages ---------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = False  # the admin's MFA gate is tested with the accounts
    client.force_login(staff_user)
    return client


def test_staff_upload_a_resource_in_admin(staff_client, tiers, private_root):
    response = staff_client.post(
        reverse("admin:library_resource_add"),
        form_data(title="Deployment guide", file=upload("../Deployment Guide.PDF", PDF), min_tier=""),
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    resource = Resource.objects.get(title="Deployment guide")
    assert resource.original_filename == "Deployment Guide.pdf"
    assert resource.content_type == "application/pdf"
    assert resource.size == len(PDF)
    assert resource.min_tier == tiers["certified"]
    assert resource.published_at is not None
    assert (private_root / resource.file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ", "is not a file type the library accepts"),
        ("guide.pdf", b"MZ\x90", "has the extension .pdf, but its content is not a PDF file"),
    ],
)
def test_admin_refuses_bad_uploads_and_writes_nothing(name, content, message, staff_client, tiers, private_root):
    response = staff_client.post(reverse("admin:library_resource_add"), form_data(file=upload(name, content)))

    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not Resource.objects.exists()
    assert not private_root.exists() or not any(private_root.rglob("*.*"))


def test_admin_add_page_suggests_the_tier_of_the_category_in_the_url(staff_client, tiers):
    html = staff_client.get(reverse("admin:library_resource_add"), {"category": "price_list"}).content.decode()

    assert f'<option value="{tiers["certified"].pk}" selected>' in html
    assert "data-defaults=" in html
    assert "library/resource_admin.js" in html


def test_admin_change_keeps_the_file_when_none_is_uploaded(staff_client, make_resource):
    resource = make_resource("Guide", category="technical")
    name = resource.file.name
    page = staff_client.get(reverse("admin:library_resource_change", args=[resource.pk]))
    assert "Guide" in page.content.decode()
    assert 'type="file" name="file" required' not in page.content.decode()

    response = staff_client.post(
        reverse("admin:library_resource_change", args=[resource.pk]),
        form_data(title="Guide, second edition", min_tier=resource.min_tier_id),
    )

    assert response.status_code == HTTPStatus.FOUND
    resource.refresh_from_db()
    assert resource.title == "Guide, second edition"
    assert resource.file.name == name


def test_admin_change_page_links_the_staff_download_not_a_public_url(staff_client, make_resource):
    resource = make_resource("Guide", filename="guide.pdf")

    html = staff_client.get(reverse("admin:library_resource_change", args=[resource.pk])).content.decode()
    download = staff_client.get(reverse("admin:library_resource_download", args=[resource.pk]))

    assert reverse("admin:library_resource_download", args=[resource.pk]) in html
    assert "/media/" not in html
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Disposition"] == 'attachment; filename="guide.pdf"'


def test_admin_download_is_for_staff_only(client, sign_in, make_resource):
    sign_in("enterprise")
    resource = make_resource()

    response = client.get(reverse("admin:library_resource_download", args=[resource.pk]))

    assert response.status_code == HTTPStatus.FOUND  # to the admin login


def test_admin_bulk_actions_publish_and_unpublish(staff_client, make_resource):
    drafts = [make_resource(published=False), make_resource(published=False)]
    url = reverse("admin:library_resource_changelist")
    pks = [str(r.pk) for r in drafts]

    published = staff_client.post(url, {"action": "publish", "_selected_action": pks}, follow=True)
    assert "2 resources published." in published.content.decode()
    assert Resource.objects.published().count() == 2

    unpublished = staff_client.post(url, {"action": "unpublish", "_selected_action": pks[:1]}, follow=True)
    assert "1 resource unpublished." in unpublished.content.decode()
    assert Resource.objects.published().count() == 1


def test_admin_list_filters_and_searches(staff_client, make_resource):
    make_resource("Deployment guide", category="technical")
    make_resource("Price list", category="price_list")
    url = reverse("admin:library_resource_changelist")

    assert staff_client.get(url, {"category__exact": "technical"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"q": "deployment"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"published__exact": "1"}).context["cl"].result_count == 2


@pytest.mark.parametrize("count", [3, 30])
def test_admin_list_queries_do_not_grow(count, staff_client, make_resource, django_assert_max_num_queries):
    for number in range(count):
        make_resource(f"Resource {number}", category=Resource.Category.values[number % 6])

    with django_assert_max_num_queries(12):
        assert staff_client.get(reverse("admin:library_resource_changelist")).status_code == HTTPStatus.OK
