"""NFR licences for the demo programme; run after `partners.demo.demo_load`.

Idempotent like the rest of the demo: licences are found by partner and purpose, keys
are drawn once and kept, and dates follow today so that the demo logins always see the
same picture: the Accredited login has used 1 of its 2 licences this year and holds one
from last year that is due for renewal; the Certified login has used 3 of 5; Uetliberg
Security has used all 5 and waits for a channel manager to approve a sixth.
"""

import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from partners.demo.data import MANAGER_GROUP
from partners.models import Membership, Partner, Product

from .keys import licence_key_generate
from .models import Licence, one_year_after

KEY_FORMATS = {
    "AV-WKS": "AVW-####-XXXX-XXXX",
    "AV-FS": "AVF-####-XXXX-XXXX",
    "IS-SUITE": "ISS-XXXXX-XXXXX-XXXXX",
}

# partner slug, the requester's email (empty: the partner's owner), SKU, purpose, issued: so many days
# ago (but this calendar year), "last year" (due for renewal) or None (a request waiting for approval).
UETLIBERG_TECHNICIAN = "lukas.meier@uetliberg-security.demo.example"
LICENCES = [
    ("limmat-informatik", "", "AV-WKS", "Demo workstation in our shop", 40),
    ("limmat-informatik", "", "IS-SUITE", "Test laptop for customer roll-outs", "last year"),
    ("leman-securite", "", "AV-WKS", "Poste de démonstration au showroom", 120),
    ("leman-securite", "", "AV-FS", "Serveur de test pour les formations", 25),
    ("leman-securite", "", "IS-SUITE", "Portable de l'équipe support", 90),
    ("uetliberg-security", UETLIBERG_TECHNICIAN, "AV-WKS", "Lab workstation 1", 200),
    ("uetliberg-security", UETLIBERG_TECHNICIAN, "AV-WKS", "Lab workstation 2", 150),
    ("uetliberg-security", UETLIBERG_TECHNICIAN, "AV-FS", "Lab file server", 150),
    ("uetliberg-security", UETLIBERG_TECHNICIAN, "IS-SUITE", "Sales laptop", 60),
    ("uetliberg-security", UETLIBERG_TECHNICIAN, "IS-SUITE", "Monitoring console", 30),
    (
        "uetliberg-security",
        UETLIBERG_TECHNICIAN,
        "AV-FS",
        "Pilot file server for a hospital customer's managed service",
        None,
    ),
]


def _issue_dates(issued: int | str | None, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    if isinstance(issued, int):
        day = max(today - datetime.timedelta(days=issued), today.replace(month=1, day=1))
    elif issued == "last year":
        # Expires in about three weeks, but always issued in the previous calendar year.
        day = min(today - datetime.timedelta(days=345), today.replace(year=today.year - 1, month=12, day=31))
    else:
        return None, None
    return day, one_year_after(day)


@transaction.atomic
def nfr_demo_load(today: datetime.date | None = None, *, summary=None) -> None:
    """Give the demo's NFR products key formats and the demo partners their licences.

    `summary` (a `partners.demo.load.DemoSummary`) counts what was created or updated.
    Writes nothing when everything is already as specified.
    """
    today = today or timezone.localdate()
    count = summary.add if summary is not None else lambda *args, **kwargs: None

    products = {product.sku: product for product in Product.objects.filter(sku__in=list(KEY_FORMATS))}
    for sku, fmt in KEY_FORMATS.items():
        product = products[sku]
        if product.nfr_available and product.licence_key_format != fmt:
            product.licence_key_format = fmt
            product.save(update_fields=["licence_key_format"])
            count("licence key formats", "updated")
        else:
            count("licence key formats", "unchanged")

    partners = {p.slug: p for p in Partner.objects.filter(slug__in={spec[0] for spec in LICENCES})}
    people, owners = {}, {}
    for membership in Membership.objects.filter(partner__in=partners.values()).select_related("partner", "user"):
        people[(membership.partner.slug, membership.user.email)] = membership.user
        if membership.role == Membership.Role.OWNER:
            owners[membership.partner.slug] = membership.user
    stored = {
        (licence.partner_id, licence.purpose): licence
        for licence in Licence.objects.filter(partner__in=partners.values())
    }
    for slug, email, sku, purpose, issued in LICENCES:
        partner = partners[slug]
        issued_on, expires_on = _issue_dates(issued, today)
        values = {
            "product": products[sku],
            "requested_by": people[(slug, email)] if email else owners[slug],
            "status": Licence.Status.ISSUED if issued else Licence.Status.PENDING,
            "issued_on": issued_on,
            "expires_on": expires_on,
        }
        licence = stored.get((partner.pk, purpose))
        if licence is None:
            licence, outcome = Licence(partner=partner, purpose=purpose, **values), "created"
        else:
            changed = [name for name, value in values.items() if getattr(licence, name) != value]
            outcome = "updated" if changed else "unchanged"
            for name in changed:
                setattr(licence, name, values[name])
        if issued and not licence.key:
            licence.key = licence_key_generate(products[sku].licence_key_format)
        elif not issued:
            licence.key = ""
        if outcome != "unchanged":
            if issued:
                licence.created_at = licence.decided_at = timezone.make_aware(
                    datetime.datetime.combine(issued_on, datetime.time(10))
                )
            licence._change_reason = "demo data"
            licence.save()
        count("NFR licences", outcome)

    # The demo channel manager decides on requests beyond the allowance.
    group = Group.objects.filter(name=MANAGER_GROUP).first()
    if group is not None:
        wanted = Permission.objects.filter(content_type__app_label="nfr").exclude(pk__in=group.permissions.all())
        if wanted:
            group.permissions.add(*wanted)
