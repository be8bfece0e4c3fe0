from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, translate_url
from django.utils import translation

from .models import User
from .sessions import session_mark_login


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in rules for the extranet.

    Nobody signs up freely: a company applies to become a partner, and staff are
    created by staff. The application flow creates the account itself.
    """

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Partners land on their dashboard (which forwards applicants to their status page), staff in admin."""
        from partners.access import membership_for_user

        if membership_for_user(request.user) is not None:
            return reverse("partners:dashboard")
        if request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def login(self, request: HttpRequest, user: User) -> None:
        super().login(request, user)
        session_mark_login(request)

    def post_login(self, request: HttpRequest, user: User, **kwargs) -> HttpResponse:
        """Continue in the person's language: the URL prefix decides the language of every page."""
        with translation.override(user.language or settings.LANGUAGE_CODE):  # "Signed in as ..." too
            response = super().post_login(request, user, **kwargs)
        if response.status_code in (301, 302) and user.language:
            response["Location"] = translate_url(response["Location"], user.language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send allauth's emails in the recipient's language when the address belongs to someone.

        Links in them (password reset, email confirmation) open the pages in that language too.
        An address nobody uses (a reset asked for an unknown address) gets the page's language.
        """
        recipient = context.get("user")
        if not isinstance(recipient, User):
            recipient = User.objects.filter(email__iexact=email).first()
        if recipient is None or not recipient.language:
            return super().send_mail(template_prefix, email, context)
        context = {
            key: translate_url(value, recipient.language) if _is_link(value) else value
            for key, value in context.items()
        }
        with translation.override(recipient.language):
            return super().send_mail(template_prefix, email, context)


def _is_link(value) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://", "/"))
