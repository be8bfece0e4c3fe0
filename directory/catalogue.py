"""Names from the programme's default data (partners' migration 0002), marked for the translators.

The directory shows service and language names through `gettext`, so a German visitor reads
"Schulung" once the catalogue has it; names staff add later appear as typed. Language names
("German", "French"...) are in Django's own catalogue already.
"""

from django.utils.translation import gettext_noop

DEFAULT_SERVICE_NAMES = [
    gettext_noop("Installation and roll-out"),
    gettext_noop("Security consulting"),
    gettext_noop("Managed security services"),
    gettext_noop("Training"),
    gettext_noop("Support for end customers"),
]
