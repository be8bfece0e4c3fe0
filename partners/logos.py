"""What a file must be to become a partner's public logo: a small PNG, JPEG or WebP image of sane size.

The content decides, not the name: the first bytes must be one of the three formats and its
header must give the image's dimensions. SVG is refused whatever it is called: it is XML that
can carry scripts, and logos are shown to every visitor of the directory.
"""

import math
import os
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MIN_SIDE = 16
MAX_SIDE = 4096
ACCEPT = "image/png,image/jpeg,image/webp"  # for the file input: the browser's picker offers only these
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WebP": "image/webp"}
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start of frame; C4/C8/CC are other segments


@dataclass(frozen=True)
class LogoImage:
    kind: str  # "PNG", "JPEG" or "WebP"
    extension: str  # the one the stored file gets, whatever the upload was called
    width: int
    height: int


def logo_max_bytes() -> int:
    return settings.EXTRANET_LOGO_MAX_KB * 1024


def logo_size_display(size: int) -> str:
    """Rounded up, so a file just over the limit never reads as the limit itself."""
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": number_format(math.ceil(size * 10 / 1024) / 10, decimal_pos=1)}
    return _("%(size)s MB") % {"size": number_format(math.ceil(size * 10 / (1024 * 1024)) / 10, decimal_pos=1)}


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data[12:16] != b"IHDR" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the segments up to the first frame header, which holds the size (EXIF may come first)."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image or start of scan before any frame header
            return None
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _SOF_MARKERS:
            if position + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        (bits,) = struct.unpack("<I", data[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _kind(data: bytes) -> tuple[str, str, tuple[int, int] | None] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG", ".png", _png_size(data)
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG", ".jpg", _jpeg_size(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP", ".webp", _webp_size(data)
    return None


def logo_content_type(head: bytes) -> str | None:
    """The content type to serve a stored logo with, from its first bytes; None if it is not one of ours."""
    found = _kind(head)
    return CONTENT_TYPES[found[0]] if found else None


def _is_svg(name: str, data: bytes) -> bool:
    if name.lower().endswith((".svg", ".svgz")):
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def inspect_logo(upload: File) -> LogoImage:
    """The logo's format and size, read from its content; the upload is left at its start.

    Raises ValidationError naming the file and what is wrong: SVG, empty, too big, not a PNG,
    JPEG or WebP image (whatever its name says), a damaged header, or dimensions out of range.
    """
    name = os.path.basename((upload.name or "").replace("\\", "/")) or _("The logo")
    limit = logo_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a logo may be at most %(limit)s.")
            % {"name": name, "size": logo_size_display(upload.size), "limit": logo_size_display(limit)},
            code="logo_size",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if not data:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="logo_empty")
    if len(data) > limit:  # the reported size was missing or wrong
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s, the most a logo may be.")
            % {"name": name, "limit": logo_size_display(limit)},
            code="logo_size",
        )
    if _is_svg(name, data):
        raise ValidationError(
            _(
                "“%(name)s” is an SVG image. SVG logos are not accepted because they can contain scripts; "
                "upload a PNG, JPEG or WebP version."
            )
            % {"name": name},
            code="logo_svg",
        )
    found = _kind(data)
    if found is None:
        raise ValidationError(
            _("“%(name)s” is not a PNG, JPEG or WebP image: its content is none of these, whatever its name says.")
            % {"name": name},
            code="logo_type",
        )
    kind, extension, size = found
    if size is None:
        raise ValidationError(
            _("“%(name)s” starts like a %(kind)s image, but its header is damaged. Save it again from an image editor.")
            % {"name": name, "kind": kind},
            code="logo_damaged",
        )
    width, height = size
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ValidationError(
            _("“%(name)s” is %(width)s × %(height)s pixels; a logo must be %(min)s to %(max)s pixels on each side.")
            % {"name": name, "width": width, "height": height, "min": MIN_SIDE, "max": MAX_SIDE},
            code="logo_dimensions",
        )
    return LogoImage(kind=kind, extension=extension, width=width, height=height)
