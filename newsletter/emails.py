"""The newsletter as email: one message per person, with its one-click unsubscribe."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.urls import reverse
from django.utils import translation

from accounts.emails import email_message_for_user
from accounts.models import User
from partners.models import Membership

from .access import unsubscribe_token
from .models import Issue

TEMPLATE = "emails/newsletter/issue"


class UnfoldedHeader(str):
    """A header value the email package writes on one line instead of refolding it.

    Python folds a long header without spaces, such as `<https://...long URL...>`, into
    RFC 2047 encoded words, which no mail client reads back as a URL, so the one-click
    unsubscribe would break. RFC 5322 allows lines up to 998 characters.
    """

    def __new__(cls, value: str, *, name: str = ""):
        # `name` is a keyword so that copying (the locmem backend does) can rebuild it from the value.
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _site_url(viewname: str, language: str, **kwargs) -> str:
    with translation.override(language):
        path = reverse(viewname, kwargs=kwargs)
    return settings.EXTRANET_BASE_URL.rstrip("/") + path


def issue_message(
    *, issue: Issue, user: User, membership: Membership | None, test: bool = False
) -> EmailMultiAlternatives:
    """The issue as one person's email (HTML and text), its chrome in their language.

    With a membership, it carries the one-click unsubscribe link in the footer and in the
    `List-Unsubscribe` / `List-Unsubscribe-Post` headers (RFC 2369, RFC 8058).
    """
    domain = urlsplit(settings.EXTRANET_BASE_URL).hostname or "localhost"
    unsubscribe_url = (
        _site_url("newsletter:unsubscribe", user.language, token=unsubscribe_token(membership)) if membership else ""
    )
    message = email_message_for_user(
        user=user,
        template=TEMPLATE,
        context={
            "issue": issue,
            "partner": membership.partner if membership else None,
            "issue_url": _site_url("newsletter:issue-detail", user.language, pk=issue.pk),
            "unsubscribe_url": unsubscribe_url,
            "test": test,
        },
    )
    message.extra_headers["Message-ID"] = make_msgid("newsletter", domain=domain)
    message.extra_headers["List-Id"] = f"<newsletter.{domain}>"
    if unsubscribe_url:
        message.extra_headers["List-Unsubscribe"] = UnfoldedHeader(f"<{unsubscribe_url}>", name="List-Unsubscribe")
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
