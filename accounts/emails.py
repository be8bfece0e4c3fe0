"""Email to a person, in their language, as text and HTML."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from .models import User


def email_message_for_user(*, user: User, template: str, context: dict) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html` in the person's language.

    The templates get `user`, `site_url` (EXTRANET_BASE_URL, for absolute links) and
    `partner_desk_email` besides `context`.
    """
    context = {
        "user": user,
        "site_url": settings.EXTRANET_BASE_URL.rstrip("/"),
        "partner_desk_email": settings.EXTRANET_PARTNER_DESK_EMAIL,
        **context,
    }
    with translation.override(user.language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def email_user(*, user: User, template: str, context: dict) -> None:
    email_message_for_user(user=user, template=template, context=context).send()
