"""Library factories. Every test gets its own private folder, so files never leave tmp_path."""

import itertools

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile

from library.models import Resource, default_min_tier
from library.services import resource_save
from library.uploads import inspect_upload
from partners.models import Partner, Tier

_numbers = itertools.count(1)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    root = tmp_path / "private"
    settings.EXTRANET_PRIVATE_MEDIA_ROOT = root
    settings.EXTRANET_X_ACCEL_REDIRECT_PREFIX = ""
    return root


@pytest.fixture
def make_resource(db):
    """A resource with a real file; the minimum tier defaults to the category's."""

    def make(
        title: str | None = None,
        *,
        category: str = Resource.Category.STARTER_KIT,
        min_tier: Tier | None = None,
        language: str = "en",
        published: bool = True,
        filename: str = "guide.pdf",
        content: bytes = PDF,
        **fields,
    ) -> Resource:
        upload = ContentFile(content, name=filename)
        facts = inspect_upload(upload)
        resource = Resource(
            title=title or f"Resource {next(_numbers)}",
            category=category,
            language=language,
            min_tier=min_tier or default_min_tier(category, list(Tier.objects.all())),
            published=published,
            **fields,
        )
        resource.file.save(facts.filename, upload, save=False)
        return resource_save(resource=resource, upload=facts, by=None)

    return make


@pytest.fixture
def one_of_each(make_resource) -> dict[str, Resource]:
    """One published resource per category, each at its default minimum tier, by category."""
    return {
        category: make_resource(f"{label} material", category=category) for category, label in Resource.Category.choices
    }


@pytest.fixture
def sign_in(client, make_partner, make_member):
    """Log the client in as a member of a new partner of `tier` (and `status`); return the membership."""

    def sign(tier: str = "accredited", status: str = Partner.Status.ACTIVE, **partner_fields):
        membership = make_member(make_partner(tier=tier, status=status, **partner_fields))
        EmailAddress.objects.create(user=membership.user, email=membership.user.email, verified=True, primary=True)
        client.force_login(membership.user)
        return membership

    return sign
