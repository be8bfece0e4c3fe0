"""Partner logos for the public directory, served from the default storage by a view.

Staff and owners upload logos; anything that is not a PNG, JPEG, WebP or GIF image by its
first bytes is never served (an SVG or HTML file could carry script), whatever its name.
"""

import hashlib
import logging

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from partners.models import Partner

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 60 * 60
SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]


def logo_version(partner: Partner) -> str:
    """Changes when the stored file does, so pages link a new logo under a new URL."""
    return hashlib.sha256(partner.logo.name.encode()).hexdigest()[:12]


def logo_url(partner: Partner) -> str:
    return f"{reverse('directory:partner-logo', args=[partner.slug])}?v={logo_version(partner)}"


def image_type(head: bytes) -> str | None:
    """The content type of an image by its first bytes, or None for anything else."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((content_type for signature, content_type in SIGNATURES if head.startswith(signature)), None)


def logo_response(request: HttpRequest, partner: Partner) -> HttpResponse:
    """The logo inline with caching headers (and 304 when the browser's copy is current); 404 if unusable."""
    storage, name = partner.logo.storage, partner.logo.name
    try:
        modified = storage.get_modified_time(name)
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        logger.warning("Partner %s: logo %s is missing", partner.pk, name)
        raise Http404 from None
    content_type = image_type(handle.read(12))
    if content_type is None:
        handle.close()
        logger.warning("Partner %s: logo %s is not a PNG, JPEG, WebP or GIF image; not served", partner.pk, name)
        raise Http404
    etag = quote_etag(f"{logo_version(partner)}-{int(modified.timestamp())}")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if request.headers.get("If-None-Match") == etag or (
        "If-None-Match" not in request.headers and since is not None and since >= int(modified.timestamp())
    ):
        handle.close()
        response = HttpResponseNotModified()
    else:
        handle.seek(0)
        response = FileResponse(handle, content_type=content_type)
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
