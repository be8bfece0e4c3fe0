"""What an upload must be to enter the library: small enough, of an allowed type, and what its name says.

The extension decides the content type partners receive; the first bytes must match it,
so a program renamed to `.pdf` is refused instead of being served as a PDF.
"""

import codecs
import math
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SNIFF_BYTES = 64 * 1024


def _starts_with(*signatures: bytes) -> Callable[[File, bytes], bool]:
    return lambda upload, head: head.startswith(signatures)


def _zip_holding(member: str | None) -> Callable[[File, bytes], bool]:
    """A ZIP archive; for Office files, one holding the part that makes it that kind of document."""

    def check(upload: File, head: bytes) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        if member is None:
            return True
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                return member in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False

    return check


def _text(upload: File, head: bytes) -> bool:
    """UTF-8 text (a BOM allowed) without NUL bytes; the sample may end inside a character."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


@dataclass(frozen=True)
class FileKind:
    label: str  # as in "its content is not a <label> file"
    content_type: str
    matches: Callable[[File, bytes], bool]


PDF = FileKind("PDF", "application/pdf", _starts_with(b"%PDF-"))
JPEG = FileKind("JPEG", "image/jpeg", _starts_with(b"\xff\xd8\xff"))
KINDS = {
    ".pdf": PDF,
    ".docx": FileKind(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_holding("word/document.xml"),
    ),
    ".xlsx": FileKind(
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_holding("xl/workbook.xml"),
    ),
    ".pptx": FileKind(
        "PowerPoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _zip_holding("ppt/presentation.xml"),
    ),
    ".zip": FileKind("ZIP", "application/zip", _zip_holding(None)),
    ".png": FileKind("PNG", "image/png", _starts_with(b"\x89PNG\r\n\x1a\n")),
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".txt": FileKind(gettext_lazy("text"), "text/plain; charset=utf-8", _text),
    ".csv": FileKind("CSV", "text/csv; charset=utf-8", _text),
    ".md": FileKind("Markdown", "text/markdown; charset=utf-8", _text),
}


@dataclass(frozen=True)
class InspectedUpload:
    filename: str
    size: int
    content_type: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "EXTRANET_LIBRARY_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def sanitise_filename(name: str) -> str:
    """The name as partners will download it: no folders, control or reserved characters, at most 200 characters.

    The extension is kept, in lower case; a name that is nothing but an extension becomes "download".
    """
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in name if c not in '<>:"|?*')
    name = " ".join(name.split()).rstrip(". ")
    stem, dot, extension = name.rpartition(".")
    if dot and extension and " " not in extension:
        suffix = f".{extension.lower()}"
    else:
        stem, suffix = name, ""
    stem = stem.strip(". ")
    return f"{(stem or 'download')[: 200 - len(suffix)]}{suffix}"


def _megabytes(size: int) -> str:
    """Rounded up, so a file just over the limit never reads as the limit itself."""
    return number_format(math.ceil(size * 10 / (1024 * 1024)) / 10, decimal_pos=1)


def inspect_upload(upload: File) -> InspectedUpload:
    """Check an uploaded file; return its clean name, size and the content type to serve it with.

    Raises ValidationError naming the file and what is wrong with it: too big, empty, a type
    the library does not take, or content that is not what the extension says.
    """
    filename = sanitise_filename(upload.name or "")
    suffix = "." + filename.rpartition(".")[2] if "." in filename else ""
    kind = KINDS.get(suffix)
    if kind is None:
        accepted = ", ".join(sorted(KINDS))
        raise ValidationError(
            _("“%(name)s” is not a file type the library accepts. Accepted: %(accepted)s.")
            % {"name": filename, "accepted": accepted},
            code="file_type",
        )
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; the library accepts files of at most %(limit)s MB.")
            % {"name": filename, "size": _megabytes(upload.size), "limit": _megabytes(limit)},
            code="file_size",
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": filename}, code="file_empty")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    matches = kind.matches(upload, head)
    upload.seek(0)
    if not matches:
        raise ValidationError(
            _("“%(name)s” has the extension %(suffix)s, but its content is not a %(kind)s file.")
            % {"name": filename, "suffix": suffix, "kind": kind.label},
            code="file_content",
        )
    return InspectedUpload(filename=filename, size=upload.size, content_type=kind.content_type)
