"""The staff roles the app manages: two groups whose permissions every `migrate` sets exactly.

"Channel manager" runs the programme. "Partner desk" reads partners and answers the directory's
contact requests; it cannot change tiers, approve, accept or import. Both groups belong to the
app: a permission added to them by hand is removed at the next `migrate`. A custom role is
another group (a person may be in several groups).
"""

from functools import reduce
from operator import or_

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q

CHANNEL_MANAGER = "Channel manager"
PARTNER_DESK = "Partner desk"

# Every permission of these apps: the programme, its content and the directory.
CHANNEL_MANAGER_APPS = ["partners", "library", "newsletter", "nfr", "directory"]
CHANNEL_MANAGER_PERMISSIONS = [
    ("accounts", "view_user"),
    ("accounts", "change_user"),
    # The admin's list of background task results (the task admin is read-only).
    ("django_tasks_database", "view_dbtaskresult"),
]

PARTNER_DESK_VIEWS = [
    "partner",
    "membership",
    "certification",
    "distributor",
    "territory",
    "tier",
    "marginband",
    "tierchange",
    "purchase",
    "product",
    "language",
    "service",
    "invitation",
    "salesimport",
    "nomination",
    "recruitmenttarget",
    "distributorapplication",
]
PARTNER_DESK_PERMISSIONS = [
    *(("partners", f"view_{model}") for model in PARTNER_DESK_VIEWS),
    ("nfr", "view_licence"),
    ("library", "view_resource"),
    ("newsletter", "view_issue"),
    ("directory", "view_contactrequest"),
    # Marking a contact request handled is a change; the contact request admin offers nothing else.
    ("directory", "change_contactrequest"),
]


def _codenames(pairs) -> Q:
    return reduce(or_, (Q(content_type__app_label=app_label, codename=codename) for app_label, codename in pairs))


ROLES: dict[str, Q] = {
    CHANNEL_MANAGER: Q(content_type__app_label__in=CHANNEL_MANAGER_APPS) | _codenames(CHANNEL_MANAGER_PERMISSIONS),
    PARTNER_DESK: _codenames(PARTNER_DESK_PERMISSIONS),
}


@transaction.atomic
def staff_groups_sync(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, Group]:
    """Create the app's groups if missing and give each exactly its permissions. Safe to run again."""
    groups = {}
    for name, permissions in ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(Permission.objects.using(using).filter(permissions))
        groups[name] = group
    return groups


def _role_app_labels() -> set[str]:
    labels = {*CHANNEL_MANAGER_APPS}
    labels.update(app_label for app_label, _codename in [*CHANNEL_MANAGER_PERMISSIONS, *PARTNER_DESK_PERMISSIONS])
    return labels


def staff_groups_sync_after_migrate(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate receiver: keep the groups right after every `migrate` (and test database flush).

    auth creates each app's permissions in this same signal, for apps listed after this one
    possibly only later; creating those the roles name first is what it would do, idempotent.
    """
    for label in sorted(_role_app_labels()):
        if label in global_apps.app_configs:
            create_permissions(global_apps.get_app_config(label), verbosity=0, using=using, apps=apps)
    staff_groups_sync(using=using)
