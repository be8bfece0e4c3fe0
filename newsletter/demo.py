"""A year of monthly newsletters for the demo, already sent, without emailing anybody.

The issues are recorded as sent on the 5th of each of the last twelve months, with no
`Delivery` rows: deliveries record real emails, and the demo sent none. Loading is
idempotent, keyed by subject and language; dates are relative to today, so a later run
moves the year along and rewrites only what differs.
"""

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partners.demo import DemoError
from partners.demo.data import MANAGER
from partners.models import Tier

from .models import Issue

ALL, CERTIFIED = "accredited", "certified"


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


# Oldest first. Each entry: minimum tier code, then {language: (subject, body)}.
ISSUES = [
    (
        ALL,
        {
            "en": (
                "Welcome to the new partner programme",
                _text(
                    "Our partner programme now has three tiers: Accredited Reseller, Certified Partner and "
                    "Enterprise Solution Partner. Your tier follows from what you buy through your "
                    "distributor over twelve months and from the technicians we have certified.",
                    "Margins range from 18 to 35 percent. Your dashboard in this extranet shows where you "
                    "stand and what is missing for the next tier.",
                    "Every month this newsletter brings you news on products, campaigns and the programme itself.",
                ),
            ),
        },
    ),
    (
        ALL,
        {
            "en": (
                "Your starter kit: what is inside",
                _text(
                    "Every partner finds the starter kit in the library: product sheets, presentation "
                    "slides, logos and a first sales guide for small and medium businesses.",
                    "Use the material as it is or add your own company details; the logos may be used as "
                    "long as you are a partner of the programme.",
                ),
            ),
        },
    ),
    (
        ALL,
        {
            "en": (
                "Certification exams: new dates in Zurich and Lausanne",
                _text(
                    "A certified technician is the step from Accredited Reseller to Certified Partner. The "
                    "next exams take place in Zurich and in Lausanne; each lasts half a day and is held in "
                    "German or French.",
                    "Ask the partner desk for a seat. Certifications are valid for two years.",
                ),
            ),
        },
    ),
    (
        CERTIFIED,
        {
            "en": (
                "Extended extranet: the price list for the coming half-year",
                _text(
                    "The price list for the coming half-year is now in the library, in the extended "
                    "extranet section for Certified Partners and above.",
                    "Prices for renewals stay unchanged. Volume licences from 100 seats come with an "
                    "additional project discount; your channel account manager has the details.",
                ),
            ),
        },
    ),
    (
        ALL,
        {
            "en": (
                "NFR licences: test our products in your own network",
                _text(
                    "Not-for-resale licences let you run our products in your own company and show them to "
                    "customers. Request them in the extranet: within your tier's yearly allowance the key "
                    "is issued at once.",
                    "NFR licences run for one year and may be renewed while your partnership is active.",
                ),
            ),
        },
    ),
    (
        CERTIFIED,
        {
            "en": (
                "Technical briefing: the new central management console",
                _text(
                    "The new management console deploys protection to all workstations of a customer from "
                    "one place and reports infections centrally.",
                    "Certified Partners find the installation guide and a recorded training session in the "
                    "library. The next live session for technicians is announced by your channel account "
                    "manager.",
                ),
            ),
        },
    ),
    (
        ALL,
        {
            "en": (
                "Co-marketing with your distributor this summer",
                _text(
                    "This summer our distributors support partner events and mailings with ready-made "
                    "material and a share of the costs.",
                    "Talk to your distributor about the campaign for your region; the campaign kit is in the library.",
                ),
            ),
        },
    ),
    (
        ALL,
        {
            "en": (
                "Listed on our website: the partner directory",
                _text(
                    "Certified Partners and Enterprise Solution Partners are listed in the partner "
                    "directory on our website, where customers look for a partner near them.",
                    "Keep your company profile up to date: address, languages and the services you offer "
                    "are what customers search by.",
                ),
            ),
        },
    ),
    (
        CERTIFIED,
        {
            "en": (
                "Large customer projects: how the project desk works",
                _text(
                    "For large customer projects the vendor calls in Enterprise Solution Partners. "
                    "Certified Partners can register a project with the project desk to receive presales "
                    "support and project pricing.",
                    "Register a project before the quote goes out; the project material is in the library.",
                ),
            ),
        },
    ),
    (
        ALL,
        {
            "en": (
                "Renewal season: keep your customers protected",
                _text(
                    "Many of your customers' licences end with the calendar year. Renewals count towards "
                    "your 12-month purchase volume like new licences.",
                    "Your distributor can send you a list of the licences in your region that are due for renewal.",
                ),
            ),
            "de": (
                "Verlängerungen: Schützen Sie Ihre Kunden weiterhin",
                _text(
                    "Viele Lizenzen Ihrer Kunden laufen mit dem Kalenderjahr aus. Verlängerungen zählen wie"
                    " neue Lizenzen zu Ihrem Einkaufsvolumen der letzten zwölf Monate.",
                    "Ihr Distributor schickt Ihnen gerne eine Liste der Lizenzen in Ihrer Region, die zur "
                    "Verlängerung anstehen.",
                ),
            ),
            "fr": (
                "Renouvellements : vos clients restent protégés",
                _text(
                    "De nombreuses licences de vos clients arrivent à échéance avec l'année civile. Les "
                    "renouvellements comptent dans votre volume d'achat sur douze mois comme les nouvelles "
                    "licences.",
                    "Votre distributeur peut vous envoyer la liste des licences de votre région à renouveler.",
                ),
            ),
        },
    ),
    (
        ALL,
        {
            "en": (
                "Partner day in Bern: save the date",
                _text(
                    "Our yearly partner day takes place in Bern: product news, the roadmap for the coming "
                    "year and the partner awards.",
                    "Owners and technicians of every partner are welcome. The invitation follows by email.",
                ),
            ),
            "de": (
                "Partnertag in Bern: Reservieren Sie das Datum",
                _text(
                    "Unser jährlicher Partnertag findet in Bern statt: Produktneuheiten, die Planung für "
                    "das kommende Jahr und die Verleihung der Partner-Awards.",
                    "Inhaber und Techniker aller Partner sind willkommen. Die Einladung folgt per E-Mail.",
                ),
            ),
            "fr": (
                "Journée des partenaires à Berne : réservez la date",
                _text(
                    "Notre journée annuelle des partenaires a lieu à Berne : nouveautés produits, feuille "
                    "de route pour l'année à venir et remise des prix partenaires.",
                    "Les responsables et techniciens de tous les partenaires sont les bienvenus. "
                    "L'invitation suivra par e-mail.",
                ),
            ),
        },
    ),
    (
        CERTIFIED,
        {
            "en": (
                "New year's price list and margin bands",
                _text(
                    "The price list for the new year is in the library for Certified Partners and above.",
                    "The margin bands stay as they are: a higher 12-month volume within your tier still "
                    "raises your margin. Your dashboard shows the margin that applies to you.",
                ),
            ),
            "de": (
                "Preisliste und Margenstufen für das neue Jahr",
                _text(
                    "Die Preisliste für das neue Jahr liegt für Certified Partner und höher in der Bibliothek.",
                    "Die Margenstufen bleiben unverändert: Ein höheres Volumen innerhalb Ihrer Stufe erhöht"
                    " weiterhin Ihre Marge. Ihr Dashboard zeigt die Marge, die für Sie gilt.",
                ),
            ),
            "fr": (
                "Liste de prix et paliers de marge pour la nouvelle année",
                _text(
                    "La liste de prix de la nouvelle année se trouve dans la bibliothèque pour les "
                    "Certified Partners et plus.",
                    "Les paliers de marge restent inchangés : un volume plus élevé dans votre niveau "
                    "augmente toujours votre marge. Votre tableau de bord indique la marge qui s'applique à"
                    " vous.",
                ),
            ),
        },
    ),
]


def _publish_day(today: datetime.date, months_back: int) -> datetime.date:
    month_index = today.year * 12 + today.month - 1 - months_back
    return datetime.date(month_index // 12, month_index % 12 + 1, 5)


@transaction.atomic
def newsletter_demo_load(today: datetime.date | None = None) -> Counter:
    """Create or bring up to date the demo issues; return how many were created, updated, unchanged."""
    today = today or timezone.localdate()
    outcome = Counter()
    tiers = {tier.code: tier for tier in Tier.objects.filter(code__in=[ALL, CERTIFIED])}
    if len(tiers) < 2:
        raise DemoError(f"The demo newsletter needs the tiers {ALL!r} and {CERTIFIED!r}.")
    author = User.objects.filter(email=MANAGER[0]).first()
    existing = {(issue.subject, issue.language): issue for issue in Issue.objects.all()}
    for position, (tier_code, versions) in enumerate(ISSUES):
        publish_on = _publish_day(today, months_back=len(ISSUES) - position)
        sent_at = timezone.make_aware(datetime.datetime.combine(publish_on, datetime.time(8, 30)))
        for language, (subject, body) in versions.items():
            wanted = {
                "body": body,
                "min_tier": tiers[tier_code],
                "publish_on": publish_on,
                "status": Issue.Status.SENT,
                "sent_at": sent_at,
            }
            issue = existing.get((subject, language))
            if issue is None:
                Issue.objects.create(subject=subject, language=language, created_by=author, **wanted)
                outcome["created"] += 1
            elif any(getattr(issue, field) != value for field, value in wanted.items()):
                for field, value in wanted.items():
                    setattr(issue, field, value)
                issue.save()
                outcome["updated"] += 1
            else:
                outcome["unchanged"] += 1
    return outcome
