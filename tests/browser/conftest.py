"""Real Chromium through Playwright against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught exception or a
Content-Security-Policy violation fails the test, so a page that merely renders but
breaks in the browser does not pass.
"""

import os

# Playwright's sync API runs an event loop in the main thread, where the tests also
# touch the database; Django must be told that this is intended before it starts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.test import override_settings  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import programme_defaults_ensure  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Runs in every document before the page's own scripts; the binding reports to Python.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
}, true);
"""


@pytest.fixture(scope="session")
def _live_server_settings(tmp_path_factory):
    """Settings the live server must see when it loads its middleware, before any test runs.

    The root conftest's plain-HTTP fixture is function-scoped and comes too late for the
    server's SecurityMiddleware, which reads SECURE_SSL_REDIRECT once at start-up.
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SESSION_COOKIE_NAME="sessionid",
        CSRF_COOKIE_NAME="csrftoken",
        STATIC_ROOT=tmp_path_factory.mktemp("static"),
        STORAGES={
            **settings.STORAGES,
            # Static files come from the finders; there is no collectstatic manifest.
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(scope="session")
def live_server(_live_server_settings, live_server):
    """pytest-django's live server, started only once the settings above are in place."""
    return live_server


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`."
        if os.environ.get("CI") == "true":
            pytest.fail(f"Browser tests cannot run in CI: {message}")
        pytest.skip(message)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def programme_defaults(transactional_db):
    """The tiers, bands, languages and services the data migration creates.

    The live server needs a transactional database, which is emptied after each test.
    (Serialized rollback cannot restore it: once Playwright runs, the test thread sees
    a different connection object than the one that was serialized at set-up.)
    """
    programme_defaults_ensure()


@pytest.fixture
def page(browser, live_server, programme_defaults):
    """A fresh browser tab on the live server; fails the test on console errors or CSP violations."""
    # The cache outlives the emptied database between tests, and with it allauth's per-address
    # login counters: every test signs in from 127.0.0.1, so a long run would hit the limit.
    for cache in caches.all():
        cache.clear()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    problems: list[str] = []
    context.expose_binding("__reportCspViolation", lambda source, text: problems.append(f"CSP violation: {text}"))
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems))
