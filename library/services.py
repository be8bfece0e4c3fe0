"""Writes to the library. Each is one transaction; django-simple-history records who did what."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .models import Resource
from .uploads import InspectedUpload


@transaction.atomic
def resource_save(*, resource: Resource, upload: InspectedUpload | None, by) -> Resource:
    """Save a resource; with a new upload, record its clean name, size and content type.

    A resource published for the first time gets `published_at`; unpublishing keeps it.
    """
    if upload is not None:
        resource.original_filename, resource.size, resource.content_type = (
            upload.filename,
            upload.size,
            upload.content_type,
        )
    if resource.published and resource.published_at is None:
        resource.published_at = timezone.now()
    resource._history_user = by
    resource.save()
    return resource


def _set_published(resources: QuerySet, *, published: bool, by) -> int:
    now = timezone.now()
    changed = list(resources.select_for_update().exclude(published=published))
    for resource in changed:
        resource.published = published
        if published and resource.published_at is None:
            resource.published_at = now
    reason = _("Published") if published else _("Unpublished")
    bulk_update_with_history(
        changed, Resource, ["published", "published_at"], default_user=by, default_change_reason=reason
    )
    return len(changed)


@transaction.atomic
def resource_publish(*, resources: QuerySet, by) -> int:
    """Publish the unpublished resources among `resources`; return how many changed."""
    return _set_published(resources, published=True, by=by)


@transaction.atomic
def resource_unpublish(*, resources: QuerySet, by) -> int:
    """Withdraw the published resources among `resources` at once; return how many changed."""
    return _set_published(resources, published=False, by=by)
