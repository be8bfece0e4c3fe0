"""The partner's public profile, as the directory shows it, edited by the partner's owners."""

import uuid
from collections.abc import Iterable
from functools import partial

from django.core.files import File
from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User

from ..logos import inspect_logo
from ..models import Language, Partner, Service
from .tiers import locked_partner

# simple_history's change reason column holds 100 characters.
CHANGE_REASON_LENGTH = 100


def _logo_store(logo: File) -> str:
    """Save the checked upload under a random name with the extension its content calls for."""
    image = inspect_logo(logo)
    field = Partner._meta.get_field("logo")
    return field.storage.save(field.generate_filename(None, f"{uuid.uuid4().hex}{image.extension}"), logo)


def _change_reason(changed: list[str], consent: bool | None) -> str:
    labels = [str(Partner._meta.get_field(name).verbose_name) for name in changed if name != "directory_consent"]
    parts = [_("Public profile edited: %(fields)s.") % {"fields": ", ".join(labels)}] if labels else []
    if consent is not None:
        parts.append(_("Directory consent given.") if consent else _("Directory consent withdrawn."))
    return Truncator(" ".join(parts)).chars(CHANGE_REASON_LENGTH)


def partner_profile_update(
    *,
    partner: Partner,
    description: str,
    website: str,
    phone: str,
    services: Iterable[Service],
    languages: Iterable[Language],
    directory_consent: bool,
    logo: File | None = None,
    remove_logo: bool = False,
    actor: User,
) -> Partner:
    """Save what the directory shows of `partner`; withdrawn consent takes it out of the directory at once.

    A new logo replaces the current one (`remove_logo` is then ignored); the file it replaces
    or that is removed leaves storage once the change is committed, and a new file that did
    not become the logo is deleted again. History records `actor` and what changed, services
    and languages included.
    """
    storage = Partner._meta.get_field("logo").storage
    new_logo = _logo_store(logo) if logo is not None else None
    try:
        with transaction.atomic():
            partner = locked_partner(partner)
            old_logo = partner.logo.name
            values = {"description": description, "website": website, "phone": phone}
            values["directory_consent"] = directory_consent
            if new_logo is not None:
                values["logo"] = new_logo
            elif remove_logo:
                values["logo"] = ""
            changed = [name for name, value in values.items() if getattr(partner, name) != value]
            wanted = {"services": {s.pk for s in services}, "languages": {lang.pk for lang in languages}}
            for name, pks in wanted.items():
                if set(getattr(partner, name).values_list("pk", flat=True)) != pks:
                    getattr(partner, name).set(pks)
                    changed.append(name)
            if changed:
                for name in changed:
                    if name in values:
                        setattr(partner, name, values[name])
                partner._history_user = actor
                partner._change_reason = _change_reason(
                    changed, directory_consent if "directory_consent" in changed else None
                )
                partner.save()
            if old_logo and partner.logo.name != old_logo:
                transaction.on_commit(partial(storage.delete, old_logo), robust=True)
    except BaseException:
        if new_logo is not None:
            storage.delete(new_logo)
        raise
    return partner
