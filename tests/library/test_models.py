"""Resources, their gating by tier, and the private storage they live in."""

import pytest
from django.core.files.base import ContentFile

from library.models import Resource, default_min_tier
from library.services import resource_publish, resource_unpublish
from library.storage import PrivateStorage

Category = Resource.Category


@pytest.mark.parametrize(
    ("category", "tier_code"),
    [
        (Category.STARTER_KIT, "accredited"),
        (Category.SALES, "accredited"),
        (Category.MARKETING, "accredited"),
        (Category.TECHNICAL, "certified"),
        (Category.PRICE_LIST, "certified"),
        (Category.PROJECT_MATERIAL, "enterprise"),
    ],
)
def test_default_min_tier_follows_the_programme(category, tier_code, tiers):
    assert default_min_tier(category, list(tiers.values())) == tiers[tier_code]


def test_default_min_tier_falls_back_to_the_entry_tier_when_a_tier_is_renamed(tiers):
    certified = tiers["certified"]
    certified.code = "silver"
    certified.save()

    assert default_min_tier(Category.PRICE_LIST, list(tiers.values())) == tiers["accredited"]


@pytest.mark.parametrize(
    ("tier_code", "downloadable", "locked"),
    [
        ("accredited", {"starter_kit", "sales", "marketing"}, {"technical", "price_list", "project_material"}),
        ("certified", {"starter_kit", "sales", "marketing", "technical", "price_list"}, {"project_material"}),
        ("enterprise", set(Category.values), set()),
    ],
)
def test_for_partner_and_locked_for_split_the_published_library_by_tier(
    tier_code, downloadable, locked, one_of_each, make_resource, make_partner
):
    make_resource("Draft", category=Category.STARTER_KIT, published=False)
    partner = make_partner(tier=tier_code)

    assert {r.category for r in Resource.objects.for_partner(partner)} == downloadable
    assert {r.category for r in Resource.objects.locked_for(partner)} == locked
    assert "Draft" not in {r.title for r in Resource.objects.for_partner(partner)}
    assert "Draft" not in {r.title for r in Resource.objects.locked_for(partner)}


def test_published_leaves_out_drafts(make_resource):
    make_resource("Out", published=False)
    make_resource("In")

    assert [r.title for r in Resource.objects.published()] == ["In"]


def test_category_order_puts_the_starter_kit_first(one_of_each):
    ordered = Resource.objects.with_category_order().order_by("category_order")

    assert [r.category for r in ordered] == list(Category.values)


def test_files_go_to_the_private_root_under_a_random_name(make_resource, private_root, settings):
    resource = make_resource(filename="Partner Guide.pdf")

    assert resource.file.name.startswith("resources/")
    assert resource.file.name.endswith(".pdf")
    assert "Partner" not in resource.file.name
    assert (private_root / resource.file.name).is_file()
    assert resource.original_filename == "Partner Guide.pdf"
    assert resource.content_type == "application/pdf"
    assert resource.size == resource.file.size
    assert not str(private_root).startswith(str(settings.MEDIA_ROOT))


def test_private_storage_has_no_url(private_root):
    storage = PrivateStorage()
    name = storage.save("note.txt", ContentFile(b"hello"))

    with pytest.raises(ValueError, match="private"):
        storage.url(name)


def test_private_root_defaults_next_to_media_root(settings, tmp_path):
    del settings.EXTRANET_PRIVATE_MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path / "media"

    assert PrivateStorage().location == str((tmp_path / "private").resolve())


def test_publishing_stamps_the_first_publication_only(make_resource, staff_user):
    draft = make_resource(published=False)
    assert draft.published_at is None
    resource = make_resource()
    first = resource.published_at
    just_this = Resource.objects.filter(pk=resource.pk)

    assert resource_unpublish(resources=just_this, by=staff_user) == 1
    assert resource_unpublish(resources=just_this, by=staff_user) == 0
    assert resource_publish(resources=Resource.objects.all(), by=staff_user) == 2

    resource.refresh_from_db()
    draft.refresh_from_db()
    assert resource.published
    assert resource.published_at == first
    assert draft.published
    assert draft.published_at is not None
    assert resource.history.first().history_user == staff_user


def test_history_records_changes(make_resource):
    resource = make_resource("Price list")
    resource.title = "Price list 2"
    resource.save()

    assert [h.title for h in resource.history.all()] == ["Price list 2", "Price list"]
