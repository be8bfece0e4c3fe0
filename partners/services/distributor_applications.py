"""Companies asking to become distributors: recording the request, accepting or refusing it.

The programme allows one distributor per piece of ground, so a request is checked against the
territories of the active distributors each time it is saved, and accepted only without overlap.
"""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.emails import email_message_for_user
from accounts.models import User

from ..models import Distributor, DistributorApplication, Territory
from .distributors import distributor_save, distributor_territory_conflicts

ACCEPTED_TEMPLATE = "emails/partners/distributor_application_accepted"
REFUSED_TEMPLATE = "emails/partners/distributor_application_refused"
CODE_LENGTH = Distributor._meta.get_field("code").max_length


def distributor_application_overlap(*, application: DistributorApplication, territories: Iterable[Territory]) -> str:
    """The active distributors already serving `territories`, one line each; empty when there are none."""
    # The distributor created from the application serves these territories itself: no overlap with it.
    distributor = application.distributor or Distributor(is_active=True)
    return "\n".join(distributor_territory_conflicts(distributor=distributor, territories=territories))


def distributor_application_overlaps(*, applications: Iterable[DistributorApplication]) -> dict[int, list[str]]:
    """Each application's overlap with the active distributors as it is now, worded in the active language.

    For reading: the stored `overlap` is worded in the language of whoever saved the application last.
    Two queries for all the applications, whose territories should be prefetched.
    """
    active = list(Distributor.objects.active().prefetch_related("territories"))
    overlaps = {}
    for application in applications:
        territories = list(application.territories.all())
        # As distributor_territory_conflicts words them, and in its order.
        overlaps[application.pk] = [
            _("%(territory)s is already served by %(distributor)s (%(their_territory)s).")
            % {"territory": mine.name, "distributor": other.name, "their_territory": theirs.name}
            for other in active
            if other.pk != application.distributor_id
            for theirs in other.territories.all()
            for mine in territories
            if mine.overlaps(theirs)
        ]
    return overlaps


def _check_pending(application: DistributorApplication) -> None:
    if application.status != DistributorApplication.Status.PENDING:
        raise ValidationError(
            _("%(company)s was already decided: %(status)s.")
            % {"company": application.company, "status": application.get_status_display().lower()},
            code="decided",
        )


def _lock_territories(territories: Iterable[Territory]) -> None:
    # The same lock distributor_save takes: nobody assigns these territories while we check them.
    countries = {territory.country for territory in territories}
    list(Territory.objects.select_for_update().filter(country__in=countries).values_list("pk", flat=True))


@transaction.atomic
def distributor_application_save(
    *, application: DistributorApplication, territories: Iterable[Territory]
) -> DistributorApplication:
    """Save a pending application with the territories asked for, and record its current overlap.

    A decided application is not changed any more: its overlap stays as it was when it was decided.
    Who recorded it is in the admin's change log (the admin logs its own saves).
    """
    if application.pk is not None:
        stored = DistributorApplication.objects.select_for_update().get(pk=application.pk)
        _check_pending(stored)
    territories = list(territories)
    application.overlap = distributor_application_overlap(application=application, territories=territories)
    application.save()
    application.territories.set(territories)
    return application


def _unique_code(company: str) -> str:
    base = slugify(company)[:CODE_LENGTH].strip("-") or "distributor"
    taken = set(Distributor.objects.filter(code__startswith=base[: CODE_LENGTH - 4]).values_list("code", flat=True))
    code, number = base, 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = base[: CODE_LENGTH - len(suffix)].rstrip("-") + suffix
    return code


def distributor_application_accept(
    *, application: DistributorApplication, actor: User, code: str | None = None
) -> DistributorApplication:
    """Create the distributor an application asks to be, if no active distributor serves its territories.

    The overlap is checked again under the territory lock and stored; with an overlap the
    application stays pending and a ValidationError names it. `code` defaults to a unique slug
    of the company. The applicant is told by email, in their language, once committed.
    """
    with transaction.atomic():
        application = DistributorApplication.objects.select_for_update().get(pk=application.pk)
        _check_pending(application)
        territories = list(application.territories.all())
        if not territories:
            raise ValidationError(
                _("%(company)s asks for no territory; add the territories before accepting.")
                % {"company": application.company},
                code="no_territory",
            )
        _lock_territories(territories)
        application.overlap = distributor_application_overlap(application=application, territories=territories)
        if application.overlap:
            # Kept, so the list shows why it could not be accepted; raised once this is committed.
            application.save(update_fields=["overlap"])
        else:
            if code and Distributor.objects.filter(code=code).exists():
                raise ValidationError(_("The code %(code)s is taken by another distributor.") % {"code": code})
            distributor = distributor_save(
                distributor=Distributor(
                    code=code or _unique_code(application.company),
                    name=application.company,
                    contact_name=application.contact_name,
                    contact_email=application.contact_email,
                    phone=application.phone,
                    website=application.website,
                    is_active=True,
                ),
                territories=territories,
                actor=actor,
            )
            application.distributor = distributor
            application.status = DistributorApplication.Status.ACCEPTED
            application.decided_by, application.decided_at = actor, timezone.now()
            application.save()
            transaction.on_commit(partial(distributor_application_notify, application=application), robust=True)
    if application.overlap:
        raise ValidationError(
            _("%(company)s cannot be accepted, its territories are served already: %(overlap)s")
            % {"company": application.company, "overlap": " ".join(application.overlap.splitlines())},
            code="overlap",
        )
    return application


@transaction.atomic
def distributor_application_refuse(
    *, application: DistributorApplication, reason: str, actor: User
) -> DistributorApplication:
    """Turn an application down with a reason, which the applicant receives by email in their language."""
    if not reason.strip():
        raise ValidationError(_("Refusing an application needs a reason."), code="no_reason")
    application = DistributorApplication.objects.select_for_update().get(pk=application.pk)
    _check_pending(application)
    application.status = DistributorApplication.Status.REFUSED
    application.refusal_reason = reason.strip()
    application.decided_by, application.decided_at = actor, timezone.now()
    application.save()
    transaction.on_commit(partial(distributor_application_notify, application=application), robust=True)
    return application


def distributor_application_notify(*, application: DistributorApplication) -> None:
    """Tell the applicant the decision, in the language of the application.

    The applicant has no account: the email goes to an unsaved person with their address and language.
    """
    template = {
        DistributorApplication.Status.ACCEPTED: ACCEPTED_TEMPLATE,
        DistributorApplication.Status.REFUSED: REFUSED_TEMPLATE,
    }[application.status]
    applicant = User(
        email=application.contact_email, language=application.language, first_name=application.contact_name
    )
    email_message_for_user(user=applicant, template=template, context={"application": application}).send()
