"""The article's Switzerland as demo data, built by `manage.py load_demo`.

Swiss IT Reseller 2005/09: two distributors, one per language region; 43 accredited
resellers of which about 20 are very active (more of them in French-speaking Switzerland);
a handful of certified partners; one nominated enterprise solution partner; one channel
account manager. Every company and person is fictional, every web and mail address is on
a reserved `.example` domain.

Loading is idempotent: records are found by natural keys (codes, slugs, emails,
certificate numbers, a distributor's invoice reference) and written only when they
differ, so a second run on the same day writes nothing. Purchase dates are relative to
today, so a run on a later day moves the purchase history along and every partner again
holds exactly the tier its figures qualify for.
"""

import datetime
import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from ..models import (
    Certification,
    Distributor,
    Invitation,
    Language,
    Membership,
    Partner,
    Product,
    Purchase,
    Service,
    Territory,
    Tier,
    TierChange,
)
from ..roles import CHANNEL_MANAGER, staff_groups_sync
from ..services import distributor_save, tier_review
from .data import (
    ACCREDITED_LOGIN_PARTNER,
    ACCREDITED_LOGIN_SHARE,
    ACCREDITED_LOGIN_TECHNICIAN,
    CERTIFIED,
    DEMO_PASSWORD,
    DISTRIBUTORS,
    ENTERPRISE,
    HISTORY_DAYS,
    MANAGER,
    NOMINATED_AT,
    OWNERS,
    PRODUCT_MIX,
    PRODUCTS,
    PROGRAMME_START,
    SEED,
    TERRITORIES,
    USER_LANGUAGE,
    WINDOW_EDGE,
    partner_specs,
)
from .operations import STAFF, operations_demo_load


def foreign_partners():
    """Partners in the database that the demo did not create."""
    return Partner.objects.exclude(slug__in=list(partner_specs()))


@dataclass
class DemoSummary:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    logins: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, outcome: str, number: int = 1) -> None:
        self.counts[kind][outcome] += number


class DemoError(Exception):
    """The demo cannot be loaded as specified: tiers missing, or a partner outside its tier."""


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> DemoSummary:
    """Create or bring up to date the demo programme, in one transaction.

    Guarantees on return: every demo partner is active and holds exactly the tier its
    12-month volume and certified technicians qualify for (checked with the tier engine,
    `DemoError` otherwise, and nothing is written); the demo logins work with
    `DEMO_PASSWORD`. Raises `ValidationError` when another distributor serves a demo territory.
    """
    today = today or timezone.localdate()
    summary = DemoSummary()
    password = _DemoPassword()
    specs = partner_specs()
    tiers = _tiers()
    products = _load_products(summary)
    territories = _load_territories(summary)
    distributors = _load_distributors(summary, territories)
    manager = _load_staff(summary, password, MANAGER, CHANNEL_MANAGER)
    staff = [(_load_staff(summary, password, person, group), group) for *person, group in STAFF]
    partners = _load_partners(
        summary, specs, tiers=tiers, territories=territories, distributors=distributors, manager=manager
    )
    _load_tier_changes(summary, partners, tiers=tiers, manager=manager)
    _load_owners(summary, password, specs, partners)
    _load_technicians(summary, partners, today=today)
    purchase_plan = {
        slug: _partner_invoices(partner, specs[slug], tiers=tiers, products=products, today=today)
        for slug, partner in partners.items()
    }
    _load_purchases(summary, purchase_plan, distributors=distributors)
    _load_invitation(summary, partners[ACCREDITED_LOGIN_PARTNER])
    # The feature apps' demo content builds on the partners above (and imports this package).
    from directory.demo import directory_demo_load
    from library.demo import library_demo_load
    from newsletter.demo import newsletter_demo_load
    from nfr.demo import nfr_demo_load

    for kind, outcomes in (
        ("library resources", library_demo_load()),
        ("newsletter issues", newsletter_demo_load(today)),
    ):
        for outcome, number in outcomes.items():
            summary.add(kind, outcome, number)
    nfr_demo_load(today, summary=summary)
    directory_demo_load(today, summary=summary)
    operations_demo_load(today=today, manager=manager, summary=summary)

    review = tier_review(on=today, dry_run=True, partners=Partner.objects.filter(slug__in=list(partners)))
    wrong = review.upgrades + review.proposed_downgrades + review.applied_downgrades + review.flags
    if wrong:
        raise DemoError("Demo partners outside their tier: " + ", ".join(f"{e.partner} ({e.qualified})" for e in wrong))
    summary.logins = [
        (email, f"owner of {partners[slug]} ({partners[slug].tier})") for email, _first, _last, slug in OWNERS
    ] + [(MANAGER[0], f"channel manager, {reverse('admin:index')}")]
    summary.logins += [(user.email, f"{role.lower()}, {reverse('admin:index')}") for user, role in staff]
    return summary


# Builders ------------------------------------------------------------------------------


def _upsert(summary: DemoSummary, kind: str, model, lookup: dict, values: dict, m2m: dict | None = None):
    """Find by `lookup`; create it, or save only the fields (and many-to-many sets) that differ."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj, outcome = model(**lookup, **values), "created"
        obj._change_reason = "demo data"
        obj.save()
    else:
        changed = _differing(obj, values)
        outcome = "updated" if changed else "unchanged"
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj._change_reason = "demo data"
            obj.save(update_fields=changed)
    for name, wanted in (m2m or {}).items():
        related = getattr(obj, name)
        if outcome == "created" or {o.pk for o in related.all()} != {o.pk for o in wanted}:
            related.set(wanted)
            outcome = "updated" if outcome == "unchanged" else outcome
    summary.add(kind, outcome)
    return obj


def _differing(obj: models.Model, values: dict) -> list[str]:
    changed = []
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        wanted = value.pk if model_field.is_relation and value is not None else value
        if getattr(obj, model_field.attname) != wanted:
            changed.append(name)
    return changed


def _tiers() -> dict[str, Tier]:
    tiers = {tier.code: tier for tier in Tier.objects.all()}
    missing = {"accredited", "certified", "enterprise"} - tiers.keys()
    if missing:
        raise DemoError(f"The demo needs the tiers of the data migration; missing: {', '.join(sorted(missing))}.")
    return tiers


def _load_products(summary: DemoSummary) -> dict[str, Product]:
    products = {}
    for sku, name, nfr_available, _price in PRODUCTS:
        values = {"name": name, "nfr_available": nfr_available, "is_active": True}
        products[sku] = _upsert(summary, "products", Product, {"sku": sku}, values)
    return products


def _load_territories(summary: DemoSummary) -> dict[str, Territory]:
    languages = {language.code: language for language in Language.objects.all()}
    territories = {}
    for code, name, country, regions, language_codes in TERRITORIES:
        values = {"name": name, "country": country, "regions": regions}
        m2m = {"languages": [languages[c] for c in language_codes]}
        territories[code] = _upsert(summary, "territories", Territory, {"code": code}, values, m2m)
    return territories


def _load_distributors(summary: DemoSummary, territories: dict[str, Territory]) -> dict[str, Distributor]:
    """Save through `distributor_save`, so the rule against overlapping territories holds."""
    distributors = {}
    for data in DISTRIBUTORS:
        values = {key: data[key] for key in ("name", "contact_name", "contact_email", "phone", "website")}
        values["is_active"] = True
        wanted = [territories[code] for code in data["territories"]]
        distributor = Distributor.objects.filter(code=data["code"]).prefetch_related("territories").first()
        if distributor is None:
            distributor, outcome = Distributor(code=data["code"], **values), "created"
        else:
            changed = _differing(distributor, values)
            for name in changed:
                setattr(distributor, name, values[name])
            same_territories = {t.pk for t in distributor.territories.all()} == {t.pk for t in wanted}
            outcome = "updated" if changed or not same_territories else "unchanged"
        # Saving an unchanged distributor would still add a row to its history.
        if outcome != "unchanged":
            distributor_save(distributor=distributor, territories=wanted)
        summary.add("distributors", outcome)
        distributors[data["code"]] = distributor
    return distributors


class _DemoPassword:
    """Hashes and checks `DEMO_PASSWORD` at most once per load.

    A hash costs over a second by design. The demo logins share one hash (and salt):
    their password is published anyway, and the load stays fast.
    """

    def __init__(self):
        self.good: set[str] = set()

    def matches(self, encoded: str) -> bool:
        if encoded not in self.good and check_password(DEMO_PASSWORD, encoded):
            self.good.add(encoded)
        return encoded in self.good

    def encoded(self) -> str:
        if not self.good:
            self.good.add(make_password(DEMO_PASSWORD))
        return next(iter(self.good))


def _load_user(summary: DemoSummary, email: str, *, password: _DemoPassword | None, **values) -> User:
    """A demo person; a login gets the demo password (again, if it was changed), anyone else none."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user, changed = User(email=email, **values), None
        user.password = password.encoded() if password else make_password(None)
        user.save()
    else:
        changed = _differing(user, values)
        for name in changed:
            setattr(user, name, values[name])
        if password and not password.matches(user.password):
            user.password = password.encoded()
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
    summary.add("users", "created" if changed is None else "updated" if changed else "unchanged")
    return user


def _load_login_email(summary: DemoSummary, user: User) -> None:
    """Email verification is mandatory: a demo login needs a verified primary address."""
    values = {"verified": True, "primary": True}
    _upsert(summary, "email addresses", EmailAddress, {"user": user, "email": user.email}, values)


def _load_invitation(summary: DemoSummary, partner: Partner) -> None:
    """One colleague invited and not yet joined, so the team page shows the flow."""
    owner = partner.memberships.get(role=Membership.Role.OWNER).user
    _invitation, created = Invitation.objects.get_or_create(
        partner=partner,
        email=f"support@{partner.slug}.demo.example",
        defaults={"role": Invitation.Role.TECHNICAL, "language": owner.language, "invited_by": owner},
    )
    summary.add("invitations", "created" if created else "unchanged")


def _load_staff(summary: DemoSummary, password: _DemoPassword, person: tuple, group_name: str) -> User:
    """A staff login in one of the app's managed groups; the groups are brought up to date first."""
    email, first_name, last_name, language = person
    user = _load_user(
        summary,
        email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
        is_staff=True,
        is_superuser=False,
        is_active=True,
    )
    _load_login_email(summary, user)
    group = staff_groups_sync()[group_name]
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
    return user


def _load_partners(summary: DemoSummary, specs, *, tiers, territories, distributors, manager) -> dict[str, Partner]:
    languages = {language.code: language for language in Language.objects.all()}
    services = {service.code: service for service in Service.objects.all()}
    serving = {code: d for d in distributors.values() for code in d.territories.values_list("code", flat=True)}
    partners = {}
    for slug, spec in specs.items():
        rng = random.Random(f"{SEED}:joined:{slug}")
        joined_on = PROGRAMME_START
        # Most were migrated in bulk on the first day, some joined later that year; the enterprise
        # solution partner was nominated on the first day.
        if spec["tier"] != "enterprise" and rng.random() < 0.3:
            joined_on += datetime.timedelta(days=rng.randint(20, 200))
        street, postcode, city, canton, phone = spec["address"]
        nominated = spec["tier"] == "enterprise"
        values = {
            "name": spec["name"],
            "street": street,
            "postcode": postcode,
            "city": city,
            "region": canton,
            "country": "CH",
            "website": f"https://www.{slug}.example",
            "phone": f"+41 {phone}",
            "email": f"info@{slug}.example",
            "description": spec["description"],
            "tier": tiers[spec["tier"]],
            "status": Partner.Status.ACTIVE,
            "territory": territories[spec["territory"]],
            "distributor": serving[spec["territory"]],
            # Accredited resellers are served by the partner desk, not by an account manager.
            "account_manager": manager if spec["tier"] != "accredited" else None,
            "directory_consent": spec.get("directory_consent", True),
            "joined_on": joined_on,
            "nominated_by": manager if nominated else None,
            "nominated_at": NOMINATED_AT if nominated else None,
            "nomination_reason": spec.get("nomination_reason", ""),
            "proposed_tier": None,
            "proposed_on": None,
        }
        m2m = {
            "languages": [languages[code] for code in spec["languages"].split()],
            "services": [services[code] for code in spec["services"]],
        }
        partners[slug] = _upsert(summary, "partners", Partner, {"slug": slug}, values, m2m)
    return partners


def _load_tier_changes(summary: DemoSummary, partners: dict[str, Partner], *, tiers, manager: User) -> None:
    """The change log of the programme's first year: admissions, upgrades and the nomination."""
    logged = set(TierChange.objects.filter(partner__in=partners.values()).values_list("partner_id", "kind"))
    entry, certified = tiers["accredited"], tiers["certified"]
    local = timezone.get_current_timezone()
    changes = []

    def log(partner, kind, from_tier, to_tier, when, reason, decided_by):
        if (partner.pk, kind) not in logged:
            changes.append(
                TierChange(
                    partner=partner,
                    kind=kind,
                    from_tier=from_tier,
                    to_tier=to_tier,
                    reason=reason,
                    volume_12m=to_tier.min_annual_volume,
                    certified_technicians=to_tier.min_certified_technicians,
                    decided_by=decided_by,
                    created_at=when,
                )
            )

    for partner in partners.values():
        joined = datetime.datetime.combine(partner.joined_on, datetime.time(9), tzinfo=local)
        log(partner, TierChange.Kind.ADMISSION, None, entry, joined, "Migrated from the previous programme.", manager)
        if partner.tier == certified:
            upgraded = joined + datetime.timedelta(days=120)
            log(
                partner,
                TierChange.Kind.UPGRADE,
                entry,
                certified,
                upgraded,
                "Meets the criteria of Certified Partner.",
                None,
            )
        if partner.tier.nomination_only:
            log(
                partner,
                TierChange.Kind.NOMINATION,
                entry,
                partner.tier,
                NOMINATED_AT,
                partner.nomination_reason,
                manager,
            )
    TierChange.objects.bulk_create(changes)
    summary.add("tier changes", "created", len(changes))
    summary.add("tier changes", "unchanged", len(logged))


def _load_owners(summary: DemoSummary, password: _DemoPassword, specs, partners: dict[str, Partner]) -> None:
    for email, first_name, last_name, slug in OWNERS:
        owner = _load_user(
            summary,
            email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            language=USER_LANGUAGE[specs[slug]["territory"]],
            is_staff=False,
            is_superuser=False,
            is_active=True,
        )
        _load_login_email(summary, owner)
        values = {"partner": partners[slug], "role": Membership.Role.OWNER}
        _upsert(summary, "memberships", Membership, {"user": owner}, values)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _load_technicians(summary: DemoSummary, partners: dict[str, Partner], *, today: datetime.date) -> None:
    """Certified technicians: members who cannot sign in, with their certifications."""
    people = {}
    login_partner = {
        "slug": ACCREDITED_LOGIN_PARTNER,
        "territory": "ch-de",
        "technicians": [ACCREDITED_LOGIN_TECHNICIAN],
    }
    for data in [*CERTIFIED, ENTERPRISE, login_partner]:
        partner = partners[data["slug"]]
        for first_name, last_name, exam, number, expires_in in data["technicians"]:
            email = f"{_ascii(first_name)}.{_ascii(last_name)}@{data['slug']}.demo.example"
            if email not in people:
                people[email] = _load_user(
                    summary,
                    email,
                    password=None,
                    first_name=first_name,
                    last_name=last_name,
                    language=USER_LANGUAGE[data["territory"]],
                    is_active=True,
                )
                values = {"partner": partner, "role": Membership.Role.TECHNICAL}
                _upsert(summary, "memberships", Membership, {"user": people[email]}, values)
            expires_on = today + datetime.timedelta(days=expires_in)
            values = {
                "partner": partner,
                "holder": people[email],
                "exam": exam,
                "issued_on": expires_on - datetime.timedelta(days=730),
                "expires_on": expires_on,
            }
            _upsert(summary, "certifications", Certification, {"number": number}, values)


# Purchases -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Invoice:
    partner: Partner
    product: Product
    quantity: int
    amount_eur: Decimal
    invoice_date: datetime.date


def _volume_target(rng: random.Random, spec: dict, tiers: dict[str, Tier]) -> Decimal:
    """A 12-month volume inside the partner's tier, from the tier figures in the database."""
    accredited, certified, enterprise = (
        tiers[code].min_annual_volume for code in ["accredited", "certified", "enterprise"]
    )
    if spec["slug"] == ACCREDITED_LOGIN_PARTNER:
        return (certified * ACCREDITED_LOGIN_SHARE).quantize(Decimal("1"))
    if spec["tier"] == "enterprise":
        low, high = enterprise * Decimal("1.3"), enterprise * Decimal("1.6")
    elif spec["tier"] == "certified":
        low, high = certified * Decimal("1.4"), enterprise * Decimal("0.8")
    elif spec["active"]:
        low, high = certified * Decimal("0.3"), certified * Decimal("0.85")
    else:
        low, high = accredited * Decimal("1.3"), certified * Decimal("0.45")
    return Decimal(round(rng.uniform(float(low), float(max(low, high))), -1))


def _invoice_days(rng: random.Random, *, first: int, step: int) -> list[int]:
    """Days before today of a partner's invoices over two years, newest first."""
    days, day = [], first
    while day <= HISTORY_DAYS:
        if not WINDOW_EDGE[0] <= day <= WINDOW_EDGE[1]:
            days.append(day)
        day += step + rng.randint(-4, 4)
    return days


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """`parts` amounts in cents that add up to `total` exactly."""
    weights = [rng.randint(60, 140) for _ in range(parts)]
    amounts = [(total * weight / sum(weights)).quantize(Decimal("0.01")) for weight in weights[:-1]]
    return [*amounts, total - sum(amounts, Decimal(0))]


def _partner_invoices(partner: Partner, spec: dict, *, tiers, products, today: datetime.date) -> list[_Invoice]:
    rng = random.Random(f"{SEED}:purchases:{spec['slug']}")
    if spec["active"]:
        days = _invoice_days(rng, first=rng.randint(2, 40 if spec["tier"] == "accredited" else 20), step=30)
    else:  # last bought four to eleven months ago
        days = _invoice_days(rng, first=rng.randint(125, 330), step=rng.choice([30, 45, 60]))
    recent = [day for day in days if day < WINDOW_EDGE[0]]
    older = [day for day in days if day > WINDOW_EDGE[1]]
    volume = _volume_target(rng, spec, tiers)
    previous = Decimal(round(float(volume) * rng.uniform(0.7, 1.25), -1))
    amounts = _split(rng, volume, len(recent)) + _split(rng, previous, len(older))
    prices = {sku: Decimal(price) for sku, _name, _nfr, price in PRODUCTS}
    invoices = []
    for day, amount in zip(recent + older, amounts, strict=True):
        affordable = [sku for sku in PRODUCT_MIX[spec["tier"]] if prices[sku] <= amount] or ["AV-WKS"]
        sku = rng.choice(affordable)
        invoices.append(
            _Invoice(
                partner=partner,
                product=products[sku],
                quantity=max(1, int(amount / prices[sku])),
                amount_eur=amount,
                invoice_date=today - datetime.timedelta(days=day),
            )
        )
    return invoices


def _load_purchases(summary: DemoSummary, plan: dict[str, list[_Invoice]], *, distributors) -> None:
    """Bring the demo partners' purchases in line with two years of invoices, in bulk.

    Invoices are numbered per distributor and year in date order (AS-2026-000123), and
    matched to stored purchases by (distributor, reference).
    """
    prefixes = {data["code"]: data["prefix"] for data in DISTRIBUTORS}
    by_distributor = defaultdict(list)
    for invoices in plan.values():
        for invoice in invoices:
            by_distributor[invoice.partner.distributor_id].append(invoice)
    wanted = {}
    for distributor in distributors.values():
        numbers = Counter()
        for invoice in sorted(by_distributor[distributor.pk], key=lambda i: (i.invoice_date, i.partner.slug)):
            year = invoice.invoice_date.year
            numbers[year] += 1
            reference = f"{prefixes[distributor.code]}-{year}-{numbers[year]:06d}"
            wanted[(distributor.pk, reference)] = Purchase(
                distributor=distributor,
                reference=reference,
                partner=invoice.partner,
                product=invoice.product,
                quantity=invoice.quantity,
                amount_eur=invoice.amount_eur,
                invoice_date=invoice.invoice_date,
            )
    stored = {
        (purchase.distributor_id, purchase.reference): purchase
        for purchase in Purchase.objects.filter(partner__slug__in=list(plan))
    }
    fields = ["partner", "product", "quantity", "amount_eur", "invoice_date"]
    changed = []
    for key, purchase in wanted.items():
        if key in stored and _differing(stored[key], {name: getattr(purchase, name) for name in fields}):
            purchase.pk = stored[key].pk
            changed.append(purchase)
    new = [purchase for key, purchase in wanted.items() if key not in stored]
    stale = [purchase.pk for key, purchase in stored.items() if key not in wanted]
    Purchase.objects.filter(pk__in=stale).delete()
    Purchase.objects.bulk_update(changed, fields, batch_size=500)
    Purchase.objects.bulk_create(new, batch_size=500)
    summary.add("purchases", "created", len(new))
    summary.add("purchases", "updated", len(changed))
    summary.add("purchases", "unchanged", len(wanted) - len(new) - len(changed))
    summary.add("purchases", "removed", len(stale))
