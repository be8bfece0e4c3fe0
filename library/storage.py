"""Where library files live: a private folder that no URL serves.

Files leave it only through `library.views.resource_download`, which checks membership
and tier first (or hands the path to the web server's internal location).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_media_root() -> Path:
    """`EXTRANET_PRIVATE_MEDIA_ROOT`, by default `private/` next to the public media folder."""
    root = getattr(settings, "EXTRANET_PRIVATE_MEDIA_ROOT", None)
    return Path(root) if root else Path(settings.MEDIA_ROOT).parent / "private"


@deconstructible(path="library.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at the private media root, read from settings on every use.

    `base_url=None` alone is not enough: FileSystemStorage then falls back to MEDIA_URL,
    so `url()` refuses outright and nothing can render a public link by accident.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return private_media_root()

    @property
    def location(self):
        return str(private_media_root().resolve())

    def url(self, name):
        raise ValueError("Library files are private: they have no URL. Link to library:resource-download instead.")
