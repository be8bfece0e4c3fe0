"""The directory's rendered listing, cached per language and query until what it shows changes.

The listing (filters and result cards) is the same for every visitor of a URL, so each process
keeps the HTML it rendered in its own memory (the `directory` cache). The key holds a data version,
kept in the shared default cache (Redis or the database cache), which `directory_changed` moves on
whenever a partner, tier, territory, language or service is written: signals in `apps.py`, and
`partners_bulk_changed` for bulk writes. Every process sees the new version on its next request
and renders afresh. The version moves again when the writing transaction commits, so a listing
rendered from the data before the commit does not outlive it; the timeout is a last safety net
for writes that announce nothing. The page around the listing (CSP nonce, language switcher,
sign-in state) is rendered per request.
"""

import hashlib
import time

from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation

VERSION_KEY = "directory:data-version"
TIMEOUT_SECONDS = 5 * 60


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), None)
        version = cache.get(VERSION_KEY, "0")
    return version


def _version_move() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), None)


def directory_changed(**_signal_kwargs) -> None:
    """What the directory shows has changed: every cached listing is stale from now on, and again at commit."""
    _version_move()
    connection = transaction.get_connection()
    pending = any(func is _version_move for _ids, func, _robust in connection.run_on_commit)
    if connection.in_atomic_block and not pending:
        transaction.on_commit(_version_move, robust=True)


def listing_key(request: HttpRequest, *, fragment: bool) -> str:
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    digest = hashlib.sha256(repr(query).encode()).hexdigest()
    kind = "fragment" if fragment else "page"
    return f"listing:{data_version()}:{translation.get_language()}:{kind}:{digest}"


def listing_get(request: HttpRequest, *, fragment: bool) -> tuple[str, dict | None]:
    """The listing's cache key for this request, and what is cached under it (None if nothing)."""
    key = listing_key(request, fragment=fragment)
    return key, caches["directory"].get(key)


def listing_set(key: str, listing: dict) -> None:
    caches["directory"].set(key, listing, TIMEOUT_SECONDS)
