"""The monthly newsletter: issues staff write, and the record of who was emailed which issue."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.models import Partner, Tier


class IssueQuerySet(models.QuerySet):
    def published(self, *, on: datetime.date | None = None):
        """Issues partners may read: sent, or released (scheduled or sending) with a publish date reached."""
        on = on or timezone.localdate()
        released = Q(status__in=[Issue.Status.SCHEDULED, Issue.Status.SENDING], publish_on__lte=on)
        return self.filter(released | Q(status=Issue.Status.SENT))

    def readable_by(self, partner: Partner, *, on: datetime.date | None = None):
        """Published issues the partner's tier reaches, in every language (benefits accumulate upward)."""
        return self.published(on=on).filter(min_tier__rank__lte=partner.tier.rank)

    def due(self, *, on: datetime.date | None = None):
        """Scheduled issues whose publish date has come: what the periodic check sends."""
        return self.filter(status=Issue.Status.SCHEDULED, publish_on__lte=on or timezone.localdate())

    def with_delivery_counts(self):
        """Annotate `recipients` (emails sent), `failed` and `pending` deliveries, in the same query."""
        return self.annotate(
            recipients=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
            pending=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
        )


class Issue(models.Model):
    """One issue of the newsletter, in one language: staff write one issue per language."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Plain text; separate paragraphs with an empty line."))
    min_tier = models.ForeignKey(
        Tier,
        models.PROTECT,
        related_name="newsletter_issues",
        verbose_name=_("minimum tier"),
        help_text=_("Partners of this tier and above receive and may read this issue."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Sent to members who chose this language; write one issue per language."),
    )
    publish_on = models.DateField(
        _("publish on"),
        default=timezone.localdate,
        help_text=_("A scheduled issue is sent on this day; partners can read it in the archive from then on."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-publish_on", "-pk"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        indexes = [models.Index(fields=["status", "publish_on"])]

    def __str__(self):
        return f"{self.subject} ({self.language})"

    def get_absolute_url(self):
        return reverse("newsletter:issue-detail", kwargs={"pk": self.pk})


class Delivery(models.Model):
    """The claim to email one person one issue: the unique row is what makes a resend impossible.

    A row is inserted (and committed) before the email goes out, so a second run of the
    send, concurrent or later, finds it and leaves the person alone. See `issue_deliver`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    issue = models.ForeignKey(Issue, models.CASCADE, related_name="deliveries", verbose_name=_("issue"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="newsletter_deliveries", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [models.UniqueConstraint(fields=["issue", "user"], name="newsletter_delivery_once_per_person")]

    def __str__(self):
        return f"{self.issue} → {self.user}"
