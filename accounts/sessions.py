"""How long a signed-in session may last, whatever its activity.

The idle limit is Django's own (SESSION_COOKIE_AGE, renewed on every request); the
absolute limit counts from the login, which the allauth adapter stamps into the session.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

LOGIN_AT_SESSION_KEY = "accounts_login_at"


def session_mark_login(request: HttpRequest) -> None:
    request.session[LOGIN_AT_SESSION_KEY] = timezone.now().timestamp()


def session_outlived(request: HttpRequest) -> bool:
    """True once the signed-in session is older than EXTRANET_SESSION_MAX_SECONDS.

    A session signed in some other way than through allauth starts counting now.
    """
    now = timezone.now().timestamp()
    login_at = request.session.setdefault(LOGIN_AT_SESSION_KEY, now)
    return now - login_at > settings.EXTRANET_SESSION_MAX_SECONDS
