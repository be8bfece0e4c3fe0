"""What the public directory stores: the messages visitors send to listed partners."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Partner


class ContactRequestQuerySet(models.QuerySet):
    def unhandled(self):
        return self.filter(handled=False)


class ContactRequest(models.Model):
    """A visitor's message to a partner, sent through its directory profile.

    GDPR: this is personal data the visitor gave in order to be contacted by the partner
    (consent, art. 6(1)(a)); it serves that purpose and the channel managers' follow-up.
    The client address is kept only as a keyed hash (`ip_hash`), which tells repeated
    senders apart for abuse handling without storing the address itself. Staff delete
    requests that are no longer needed (admin's delete action); nothing else copies them.
    """

    partner = models.ForeignKey(Partner, models.CASCADE, related_name="contact_requests", verbose_name=_("partner"))
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email address"))
    company = models.CharField(_("company"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, help_text=_("The language the visitor wrote in.")
    )
    ip_hash = models.CharField(_("sender fingerprint"), max_length=64, blank=True, editable=False)
    handled = models.BooleanField(_("handled"), default=False)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False, db_index=True)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self):
        return _("%(name)s to %(partner)s") % {"name": self.name, "partner": self.partner}
