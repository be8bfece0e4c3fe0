"""Handing a library file to the person who may have it: streamed, or passed to the web server."""

import logging
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from .models import Resource

logger = logging.getLogger(__name__)


def resource_file_response(resource: Resource) -> HttpResponse:
    """The file as an attachment under its original name, with its checked content type.

    With `EXTRANET_X_ACCEL_REDIRECT_PREFIX` set (e.g. "/protected/"), the response is empty
    and tells nginx which internal location to send, so Python never streams the file.
    Otherwise the file is streamed; a file missing on disk is a 404 and a warning in the log.
    Every caller must have checked access first.
    """
    prefix = getattr(settings, "EXTRANET_X_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=resource.content_type)
        response["X-Accel-Redirect"] = prefix + quote(resource.file.name)
        response["Content-Disposition"] = content_disposition_header(True, resource.original_filename)
    else:
        try:
            handle = resource.file.storage.open(resource.file.name, "rb")
        except FileNotFoundError:
            logger.warning("Library resource %s (%s): file %s is missing", resource.pk, resource, resource.file.name)
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=resource.original_filename, content_type=resource.content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True)
    return response
