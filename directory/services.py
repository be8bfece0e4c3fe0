"""Writes of the directory: a visitor's message to a partner, and channel managers marking it handled."""

from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.emails import email_message_for_user
from accounts.models import User
from partners.models import Membership, Partner

from .models import ContactRequest

CONTACT_EMAIL_TEMPLATE = "emails/directory/contact_request"


def ip_fingerprint(ip: str) -> str:
    """A keyed hash of the client address: equal for equal addresses, useless without the secret key."""
    return salted_hmac("directory.contact.ip", ip, algorithm="sha256").hexdigest() if ip else ""


def contact_recipients(partner: Partner, *, language: str) -> list[User]:
    """The partner's owners and its channel account manager, each once, active accounts only.

    A partner without an owner account (one the vendor entered itself) is written to at its general
    email instead, in `language`, so the message reaches the company and not only the manager.
    """
    owners = User.objects.filter(
        is_active=True, membership__partner=partner, membership__role=Membership.Role.OWNER
    ).order_by("email")
    people = list(owners)
    if not people and partner.email:
        people.append(User(email=partner.email, language=language))
    manager = partner.account_manager
    if manager is not None and manager.is_active and manager not in people:
        people.append(manager)
    return people


def contact_request_notify(*, contact: ContactRequest) -> None:
    """Email the message to each recipient in their own language; a reply goes to the visitor."""
    manager_id = contact.partner.account_manager_id
    for user in contact_recipients(contact.partner, language=contact.language):
        message = email_message_for_user(
            user=user,
            template=CONTACT_EMAIL_TEMPLATE,
            context={"contact": contact, "partner": contact.partner, "is_manager": user.pk == manager_id},
        )
        message.reply_to = [contact.email]
        message.send()


@transaction.atomic
def contact_request_send(
    *, partner: Partner, name: str, email: str, company: str, message: str, language: str, ip: str
) -> ContactRequest:
    """Store a visitor's message to a listed partner; once committed, email it to the owners and the manager.

    The mail goes out after the commit and a mail server failure does not undo the stored request
    (channel managers see every request in admin).
    """
    contact = ContactRequest.objects.create(
        partner=partner,
        name=name.strip(),
        email=email.strip(),
        company=company.strip(),
        message=message.strip(),
        language=language,
        ip_hash=ip_fingerprint(ip),
    )
    transaction.on_commit(partial(contact_request_notify, contact=contact), robust=True)
    return contact


@transaction.atomic
def contact_requests_mark_handled(*, contacts: QuerySet, handled: bool = True) -> int:
    """Mark contact requests handled (or not). Returns how many changed."""
    changing = contacts.exclude(handled=handled)
    return changing.update(handled=handled, handled_at=timezone.now() if handled else None)
