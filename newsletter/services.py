"""Writes with side effects for the newsletter: publish, deliver, test-send, unsubscribe."""

import contextlib
import datetime
import logging
from dataclasses import dataclass
from functools import partial
from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from partners.models import Membership, Partner

from .emails import issue_message
from .models import Delivery, Issue

logger = logging.getLogger(__name__)


def issue_publish(*, issue: Issue, actor: User | None, on: datetime.date | None = None) -> Issue:
    """Release the issue for sending now and queue the send once the release is committed.

    A draft or scheduled issue becomes scheduled for today (or its earlier publish date);
    an issue still sending, after failures, is queued again, which emails only the people
    not reached yet. A sent issue is refused with a `ValidationError`. If queueing fails
    after the commit, the issue stays scheduled and `newsletter_send_due` picks it up.
    """
    from .tasks import send_issue

    on = on or timezone.localdate()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status == Issue.Status.SENT:
            raise ValidationError(_("“%(subject)s” has already been sent.") % {"subject": issue.subject})
        if issue.status != Issue.Status.SENDING:
            issue.status, issue.publish_on = Issue.Status.SCHEDULED, min(issue.publish_on, on)
            issue._history_user = actor
            issue.save(update_fields=["status", "publish_on"])
        transaction.on_commit(partial(send_issue.enqueue, issue.pk))
    return issue


def newsletter_send_due(*, on: datetime.date | None = None) -> list[Issue]:
    """Queue the send of every scheduled issue whose publish date has come; return them.

    Queueing an issue twice (a cron run while its send waits in the queue) is harmless:
    the deliveries make the second run email nobody.
    """
    from .tasks import send_issue

    due = list(Issue.objects.due(on=on).order_by("publish_on", "pk"))
    for issue in due:
        transaction.on_commit(partial(send_issue.enqueue, issue.pk))
    return due


@dataclass
class DeliveryReport:
    issue_id: int
    started: bool = False
    recipients: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    finished: bool = False


def issue_recipients(issue: Issue):
    """Memberships to email: opted in, of an active partner whose tier reaches the issue, in the issue's language."""
    return (
        Membership.objects.filter(
            receives_newsletter=True,
            partner__status=Partner.Status.ACTIVE,
            partner__tier__rank__gte=issue.min_tier.rank,
            user__language=issue.language,
            user__is_active=True,
        )
        .select_related("user", "partner")
        .order_by("pk")
    )


def issue_deliver(*, issue_id: int, on: datetime.date | None = None) -> DeliveryReport:
    """Email the issue to every recipient not reached yet; mark it sent when nobody failed.

    Guarantee: nobody receives the same issue twice, whether this runs twice in a row, twice
    at once, or again after a crash. Before each email, a `Delivery` row for (issue, person)
    is inserted and committed on its own; the unique constraint lets only one run win it,
    and a run that loses leaves the person alone. The row then becomes "sent", or "failed"
    when the mail server refused, and only failed rows are taken back (atomically, by one
    run) and retried.

    The price is "at most once", not "at least once": a crash between the commit of the
    claim and the mail server's answer leaves the row "being sent", and no run resends it,
    since the email may have gone out. Its Message-ID is on the row, to look up in the mail
    log; staff delete the row in admin to allow one more send. Silence beats a duplicate.

    Must run outside a transaction (the task worker does), or the claims are not committed
    before the emails leave. Queries: the issue, the recipients and the existing deliveries
    once each, then two small writes per email.
    """
    on = on or timezone.localdate()
    report = DeliveryReport(issue_id=issue_id)
    with transaction.atomic():
        issue = Issue.objects.select_for_update(of=("self",)).select_related("min_tier").filter(pk=issue_id).first()
        releasable = issue and issue.status in {Issue.Status.SCHEDULED, Issue.Status.SENDING}
        if not releasable or issue.publish_on > on:
            return report  # drafts, sent issues, future or deleted issues: nothing to do
        if issue.status == Issue.Status.SCHEDULED:
            issue.status = Issue.Status.SENDING
            issue.save(update_fields=["status"])
    report.started = True
    recipients = list(issue_recipients(issue))
    claims = {row.user_id: row for row in Delivery.objects.filter(issue=issue).only("pk", "user_id", "status")}
    report.recipients = len(recipients)
    connection = mailers.default
    try:
        for membership in recipients:
            previous = claims.get(membership.user_id)
            if previous is not None and previous.status != Delivery.Status.FAILED:
                report.skipped += 1
                continue
            # Rendered before the claim: a template error must not leave a claim behind.
            message = issue_message(issue=issue, user=membership.user, membership=membership)
            delivery_pk = _claim(issue=issue, user=membership.user, message=message, previous=previous)
            if delivery_pk is None:
                report.skipped += 1
            elif _send(connection, message, delivery_pk=delivery_pk):
                report.sent += 1
            else:
                report.failed += 1
    finally:
        with contextlib.suppress(Exception):
            connection.close()
    report.finished = _finish(issue)
    logger.info("Newsletter issue %s: %s", issue_id, report)
    return report


def _claim(*, issue: Issue, user: User, message: EmailMultiAlternatives, previous: Delivery | None) -> int | None:
    """The pk of the committed delivery this run now owns for `user`, or None when another run owns it."""
    message_id = message.extra_headers["Message-ID"]
    if previous is None:
        try:
            with transaction.atomic():
                return Delivery.objects.create(issue=issue, user=user, message_id=message_id).pk
        except IntegrityError:
            return None  # a concurrent run claimed this person first
    retaken = Delivery.objects.filter(pk=previous.pk, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, attempts=F("attempts") + 1, message_id=message_id, error=""
    )
    return previous.pk if retaken else None


def _send(connection, message: EmailMultiAlternatives, *, delivery_pk: int) -> bool:
    try:
        connection.open()
        if not connection.send_messages([message]):
            raise SMTPException("The mail backend accepted no message.")
    except Exception as error:  # the mail server refused or is away: record it for a retry
        with contextlib.suppress(Exception):
            connection.close()  # a broken connection is reopened for the next person
        Delivery.objects.filter(pk=delivery_pk).update(
            status=Delivery.Status.FAILED, error=f"{type(error).__name__}: {error}"[:1000]
        )
        logger.warning("Newsletter delivery %s failed: %s", delivery_pk, error)
        return False
    Delivery.objects.filter(pk=delivery_pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    return True


def _finish(issue: Issue) -> bool:
    """Mark the issue sent unless a current recipient's email failed (someone who opted out since does not count)."""
    failed = issue.deliveries.filter(status=Delivery.Status.FAILED, user__in=issue_recipients(issue).values("user_id"))
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != Issue.Status.SENDING or failed.exists():
            return False
        issue.status, issue.sent_at = Issue.Status.SENT, timezone.now()
        issue.save(update_fields=["status", "sent_at"])
    return True


def issue_send_test(*, issue: Issue, to: User) -> None:
    """Email the issue to one staff member as a test: no delivery is recorded, no unsubscribe link."""
    issue_message(issue=issue, user=to, membership=None, test=True).send()


def membership_unsubscribe(*, membership: Membership) -> bool:
    """Stop the newsletter for this member; True if they were receiving it. Opting in again is a setting."""
    with transaction.atomic():
        changed = Membership.objects.filter(pk=membership.pk, receives_newsletter=True).update(
            receives_newsletter=False
        )
    if changed:
        logger.info("Membership %s unsubscribed from the newsletter", membership.pk)
    membership.receives_newsletter = False
    return bool(changed)
