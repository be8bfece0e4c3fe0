"""How many messages one client address may send through contact forms, counted in the cache.

The cache is Redis or the database cache, both shared by every process, so the limit holds
across workers. Messages and bot submissions count; a form sent back with errors does not.
"""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.http import HttpRequest

# Enough for a visitor writing to a few partners, too few for a bot to flood their inboxes.
LIMIT = 5
WINDOW_SECONDS = 60 * 60


def client_ip(request: HttpRequest) -> str:
    # allauth's notion of the client address, which honours EXTRANET_TRUSTED_PROXY_COUNT.
    return get_adapter().get_client_ip(request)


def _key(request: HttpRequest) -> str:
    return f"directory:contact:{client_ip(request)}"


def over_limit(request: HttpRequest) -> bool:
    return cache.get(_key(request), 0) >= LIMIT


def count(request: HttpRequest) -> None:
    key = _key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, WINDOW_SECONDS)
