"""Settings for the partner extranet: one file, driven by environment variables.

Every variable is listed in README.md. Development defaults are safe: DEBUG is off
unless DJANGO_DEBUG=1, and without DJANGO_SECRET_KEY a random key is generated once
into var/secret_key (a multi-server deployment must set the variable).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_or_create_secret_key(path: Path) -> str:
    """Return the key stored at path, creating it atomically (mode 0600) on first use."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(50)
        handle.write(key)
    return key


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or read_or_create_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "partners",
    "library",
    "newsletter",
    "nfr",
    "directory",
    "extranet.apps.ExtranetAdminConfig",  # django.contrib.admin with the dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After allauth's and htmx's: they need request.user, messages, request.htmx.
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.MfaRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "extranet.urls"
WSGI_APPLICATION = "extranet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partners.context_processors.programme",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'extranet.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the web server reads; IMMEDIATE
    # transactions make concurrent writers queue instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not Django's in-memory default: the live server used by the browser tests
    # then opens its own connection per thread instead of sharing one across requests.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-extranet.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Without Redis the database cache is shared by every process, so rate limits hold.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# The directory's rendered listings, per process; their data version lives in the default cache
# (directory/listing_cache.py). A listing is 13 to 26 KB: at most about 13 MB per process, however
# many different query strings crawlers invent (the oldest entries make room).
CACHES["directory"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "directory-listings",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("EXTRANET_DIRECTORY_CACHED_LISTINGS", "500"))},
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# Sign-in (django-allauth). README.md, "Sign-in and security", lists the variables.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Login, password reset and signup answer alike for known and unknown addresses.
ACCOUNT_PREVENT_ENUMERATION = True
# A password change keeps the session it was made in; Django's session auth hash ends all others.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Password changes and resets, MFA changes, email changes: the person is told by email.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Partner extranet] "
# Sessions end when the browser closes (and after the idle and absolute limits below);
# a "remember me" box would promise more than a 30-minute session can keep.
ACCOUNT_SESSION_REMEMBER = False
# Sensitive actions ask again for the password or the second factor, not for an emailed code:
# whoever holds a stolen session may also read the mailbox.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300  # seconds a re-authentication lasts (allauth default)
# Rate limits live in the cache (Redis or the database cache, both shared by all processes).
# EXTRANET_LOGIN_FAILURES: failed logins allowed per account in a window, e.g. "5/15m".
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": f"20/m/ip,{os.environ.get('EXTRANET_LOGIN_FAILURES', '5/15m')}/key",
    "signup": "10/h/ip",
    "reset_password": "10/m/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
}
# Behind a reverse proxy, the client's address is the n-th from the right in X-Forwarded-For;
# without it every request would share the proxy's address and its per-IP limits.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("EXTRANET_TRUSTED_PROXY_COUNT", "0"))

# WebAuthn (security keys, passkeys as a second factor) needs HTTPS; in development the
# browser also accepts http://localhost, which allauth allows only when debugging.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "Partner programme"
# Staff need a second factor for /admin/ (accounts.middleware.MfaRequiredMiddleware).
EXTRANET_REQUIRE_STAFF_MFA = env_bool("EXTRANET_REQUIRE_STAFF_MFA", not DEBUG)

# Sessions end after DJANGO_SESSION_IDLE_SECONDS without a request (the cookie age, renewed
# on every request) and DJANGO_SESSION_MAX_SECONDS after login whatever the activity.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
EXTRANET_SESSION_MAX_SECONDS = int(os.environ.get("DJANGO_SESSION_MAX_SECONDS", str(12 * 3600)))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German")), ("fr", _("French"))]
# locale_overrides: third-party strings reworded for the formal address (and gaps in Django 6.1).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
FORMAT_MODULE_PATH = ["extranet.formats"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Zurich")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Email: SMTP to EMAIL_HOST; in development (or with DJANGO_EMAIL_FILE_PATH) files a
# newcomer can read under var/mail/; in production without EMAIL_HOST, the local MTA.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Partner programme <partners@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_HOST") or not (DEBUG or os.environ.get("DJANGO_EMAIL_FILE_PATH")):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587" if os.environ.get("EMAIL_HOST") else "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(os.environ.get("EMAIL_HOST"))),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": os.environ.get("DJANGO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))},
        }
    }

# Security headers. Nothing loads unless a directive below allows it; scripts and styles come only
# from our own origin, scripts need the per-request nonce, so an injected inline script never runs.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# A failed CSRF check shows our own page: Django's has an inline <style> the CSP blocks.
CSRF_FAILURE_VIEW = "extranet.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True  # every cookie of the site travels over HTTPS only
    # __Host- cookies are refused by browsers unless Secure, host-only and for path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Admin exports: only staff who may view a model export it, and a cell that a spreadsheet would run
# as a formula (=, +, -, @) is escaped.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# The programme's own knobs. Tier figures, margins and grace periods live in the
# database, editable by staff; these only shape how the software behaves.
EXTRANET_ACTIVE_PARTNER_DAYS = int(os.environ.get("EXTRANET_ACTIVE_PARTNER_DAYS", "90"))
EXTRANET_PARTNER_DESK_EMAIL = os.environ.get("EXTRANET_PARTNER_DESK_EMAIL", "partners@localhost")
# Library files live outside MEDIA_ROOT and are never served by URL; only the download view sends them.
EXTRANET_PRIVATE_MEDIA_ROOT = Path(os.environ.get("EXTRANET_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# An admin import's upload waits between the preview and "Confirm" here, not in one server's /tmp:
# the confirmation may reach another app server (docs/deploy.md). Removed once imported.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
STORAGES["import_export"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": EXTRANET_PRIVATE_MEDIA_ROOT / "import-uploads"},
}
EXTRANET_LIBRARY_MAX_UPLOAD_MB = int(os.environ.get("EXTRANET_LIBRARY_MAX_UPLOAD_MB", "50"))
# Partners' logos in the public directory (PNG, JPEG or WebP).
EXTRANET_LOGO_MAX_KB = int(os.environ.get("EXTRANET_LOGO_MAX_KB", "1024"))
# e.g. "/protected/": the web server sends library files from an internal location instead of Python.
EXTRANET_X_ACCEL_REDIRECT_PREFIX = os.environ.get("EXTRANET_X_ACCEL_REDIRECT_PREFIX", "")
# Absolute links in emails point here.
EXTRANET_BASE_URL = os.environ.get("EXTRANET_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
