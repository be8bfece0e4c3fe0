"""The demo library: real files of every kind, gated as the programme says, loaded idempotently."""

import io
import zipfile
from collections import Counter

from django.core.files.base import ContentFile

from library.demo import demo_resources, library_demo_load
from library.demo_files import pdf_document
from library.models import Resource
from library.uploads import inspect_upload


def test_demo_loads_once_and_then_changes_nothing(tiers, private_root):
    first = library_demo_load()
    second = library_demo_load()

    total = len(demo_resources())
    assert first == Counter(created=total)
    assert second == Counter(unchanged=total)
    assert Resource.objects.published().count() == total
    assert all((private_root / r.file.name).is_file() for r in Resource.objects.all())


def test_demo_writes_a_lost_file_again(tiers, private_root):
    library_demo_load()
    resource = Resource.objects.get(title="Starter kit: partner welcome guide")
    (private_root / resource.file.name).unlink()

    assert library_demo_load()["updated"] == 1

    resource.refresh_from_db()
    assert resource.file.open("rb").read().startswith(b"%PDF-")


def test_demo_gates_each_category_as_the_programme_says(tiers):
    library_demo_load()

    tier_of = {r.category: r.min_tier.code for r in Resource.objects.select_related("min_tier")}
    assert tier_of == {
        "starter_kit": "accredited",
        "sales": "accredited",
        "marketing": "accredited",
        "technical": "certified",
        "price_list": "certified",
        "project_material": "enterprise",
    }
    assert {r.language for r in Resource.objects.all()} == {"en", "de", "fr", "multi"}
    assert Resource.objects.filter(title__startswith="Starter kit: product overview").exists()
    assert Resource.objects.filter(title="Starter kit: partner logo pack", language="multi").exists()


def test_demo_files_pass_the_upload_checks():
    for spec in demo_resources():
        facts = inspect_upload(ContentFile(spec.content, name=spec.filename))
        assert facts.filename == spec.filename


def test_demo_pdf_is_well_formed():
    pdf = pdf_document("Grüezi (Zürich)", ["Prix : 35,00 € – ligne longue " * 10])

    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    startxref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[startxref:].startswith(b"xref\n0 8\n")
    offsets = [int(line[:10]) for line in pdf[startxref:].split(b"\n")[3:10]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
    assert "Grüezi \\(Zürich\\)".encode("cp1252") in pdf


def test_demo_logo_pack_holds_png_logos():
    spec = next(s for s in demo_resources() if s.filename == "partner-logo-pack.zip")

    with zipfile.ZipFile(io.BytesIO(spec.content)) as archive:
        names = archive.namelist()
        assert archive.read("partner-logo-colour.png").startswith(b"\x89PNG\r\n\x1a\n")
    assert names == ["partner-logo-colour.png", "partner-logo-white.png", "README.txt"]


def test_demo_price_lists_hold_every_product():
    from partners.demo.data import PRODUCTS

    price_list = next(s for s in demo_resources() if s.filename == "price-list-eur.csv")

    lines = price_list.content.decode().splitlines()
    assert lines[0] == "SKU,Product,List price per licence (EUR)"
    assert len(lines) == len(PRODUCTS) + 1
