"""Contact requests for the demo programme, so channel managers see the directory's inbox in admin.

Run after `partners.demo.demo_load`. Idempotent: a request is found by partner and sender address;
its date follows today (so many days ago), and a second run on the same day writes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from partners.models import Partner

from .models import ContactRequest

# partner slug, name, email, company, language, message, received so many days ago, handled
REQUESTS = [
    (
        "uetliberg-security",
        "Sandra Keller",
        "s.keller@zahnarzt-keller.demo.example",
        "Zahnarztpraxis Keller",
        "de",
        "Guten Tag, wir sind eine Praxis mit 12 Arbeitsplätzen in Zürich und suchen jemanden, der den "
        "Virenschutz installiert und betreut. Wann hätten Sie Zeit für ein Gespräch?",
        2,
        False,
    ),
    (
        "plainpalais-securite",
        "Julien Favre",
        "julien.favre@fiduciaire-favre.demo.example",
        "Fiduciaire Favre SA",
        "fr",
        "Bonjour, nous avons 25 postes et un serveur de fichiers à Genève. Pourriez-vous nous faire une "
        "offre pour la suite de sécurité, installation comprise ?",
        5,
        False,
    ),
    (
        "aaregarde-security",
        "Thomas Brunner",
        "t.brunner@kanton-spital.demo.example",
        "Regionalspital Mittelland",
        "en",
        "We are planning to replace the security software on about 900 workstations next year and need "
        "a partner for the roll-out and second-level support. Please get in touch.",
        12,
        True,
    ),
]


@transaction.atomic
def directory_demo_load(today: datetime.date | None = None, *, summary=None) -> None:
    """Create or update the demo's contact requests. `summary` counts what was written."""
    today = today or timezone.localdate()
    count = summary.add if summary is not None else lambda *args, **kwargs: None
    partners = {p.slug: p for p in Partner.objects.filter(slug__in={spec[0] for spec in REQUESTS})}
    for slug, name, email, company, language, message, days_ago, handled in REQUESTS:
        received = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(9, 30))
        )
        values = {
            "name": name,
            "company": company,
            "language": language,
            "message": message,
            "created_at": received,
            "handled": handled,
            "handled_at": received + datetime.timedelta(hours=3) if handled else None,
        }
        contact = ContactRequest.objects.filter(partner=partners[slug], email=email).first()
        if contact is None:
            ContactRequest.objects.create(partner=partners[slug], email=email, **values)
            count("contact requests", "created")
            continue
        changed = [field for field, value in values.items() if getattr(contact, field) != value]
        if changed:
            for field in changed:
                setattr(contact, field, values[field])
            contact.save(update_fields=changed)
        count("contact requests", "updated" if changed else "unchanged")
