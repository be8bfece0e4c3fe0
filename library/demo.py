"""The demo library: a starter kit, sales and marketing material, price lists, technical
resources and project material, in English, German and French, with real small files.

`library_demo_load()` is idempotent, keyed by title: a second run writes nothing; a file
missing from the private folder is written again.
"""

from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction

from partners.models import Tier

from .demo_data import demo_resources
from .models import Resource, default_min_tier
from .services import resource_save
from .uploads import inspect_upload

__all__ = ["demo_resources", "library_demo_load"]


@transaction.atomic
def library_demo_load() -> Counter:
    """Create the demo resources that do not exist yet (by title), published; return the outcomes.

    Existing resources are left as staff may have edited them, except that a file missing
    from the private folder is written again.
    """
    outcomes: Counter = Counter()
    tiers = list(Tier.objects.all())
    for spec in demo_resources():
        upload = ContentFile(spec.content, name=spec.filename)
        resource = Resource.objects.filter(title=spec.title).first()
        if resource is not None:
            if resource.file and resource.file.storage.exists(resource.file.name):
                outcomes["unchanged"] += 1
                continue
            outcome = "updated"
        else:
            resource = Resource(
                title=spec.title,
                category=spec.category,
                language=spec.language,
                description=spec.description,
                min_tier=default_min_tier(spec.category, tiers),
                published=True,
            )
            outcome = "created"
        facts = inspect_upload(upload)
        resource.file.save(facts.filename, upload, save=False)
        resource._change_reason = "demo data"
        resource_save(resource=resource, upload=facts, by=None)
        outcomes[outcome] += 1
    return outcomes
