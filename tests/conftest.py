"""Factories shared by the whole suite, as plain fixtures that return a builder."""

import datetime
import itertools
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone, translation

from accounts.models import User
from partners.models import Certification, Distributor, Membership, Partner, Product, Purchase, Territory, Tier

_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests speak plain HTTP to the test server; production keeps HTTPS-only cookies."""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_NAME = "sessionid"
    settings.CSRF_COOKIE_NAME = "csrftoken"


@pytest.fixture(autouse=True)
def _static_without_manifest(settings, tmp_path):
    """Render {% static %} from the sources: production's hashed names need collectstatic."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def _staff_sign_in_with_a_password(settings):
    """The staff MFA gate is on outside DEBUG; tests/accounts turns it on where it is tested."""
    settings.EXTRANET_REQUIRE_STAFF_MFA = False


@pytest.fixture(autouse=True)
def _language_restored():
    """A request to a /de/ page leaves German active in the thread; the next test must not inherit it."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path):
    settings.EXTRANET_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = settings.STORAGES | {
        "import_export": {**settings.STORAGES["import_export"], "OPTIONS": {"location": tmp_path / "import-uploads"}}
    }


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


def programme_defaults_ensure() -> None:
    """The tiers, bands, languages and services of the data migration, if a flush removed them.

    Transactional tests (the live server's, the concurrency tests) empty every table afterwards.
    """
    if not Tier.objects.exists():
        import_module("partners.migrations.0002_programme_defaults").create_defaults(django_apps, None)


@pytest.fixture
def tiers(db) -> dict[str, Tier]:
    """The three tiers the data migration creates, by code."""
    programme_defaults_ensure()
    return {tier.code: tier for tier in Tier.objects.all()}


@pytest.fixture
def make_user(db):
    def make(email: str | None = None, password: str = "correct-horse-battery", **fields) -> User:
        email = email or f"person{next(_sequence)}@example.com"
        return User.objects.create_user(email=email, password=password, **fields)

    return make


@pytest.fixture
def staff_user(make_user) -> User:
    return make_user("staff@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def make_territory(db):
    def make(code: str | None = None, country: str = "CH", regions: str = "", **fields) -> Territory:
        code = code or f"territory-{next(_sequence)}"
        return Territory.objects.create(code=code, name=fields.pop("name", code), country=country, regions=regions)

    return make


@pytest.fixture
def make_distributor(db):
    def make(code: str | None = None, territories=(), **fields) -> Distributor:
        code = code or f"dist-{next(_sequence)}"
        distributor = Distributor.objects.create(code=code, name=fields.pop("name", code.title()), **fields)
        distributor.territories.set(territories)
        return distributor

    return make


@pytest.fixture
def make_partner(db, tiers):
    def make(name: str | None = None, tier: str = "accredited", **fields) -> Partner:
        number = next(_sequence)
        name = name or f"Partner {number}"
        fields.setdefault("status", Partner.Status.ACTIVE)
        return Partner.objects.create(name=name, slug=f"partner-{number}", tier=tiers[tier], **fields)

    return make


@pytest.fixture
def product(db) -> Product:
    return Product.objects.get_or_create(sku="KAV-WS", defaults={"name": "Anti-Virus Workstation"})[0]


@pytest.fixture
def make_purchase(db, product, make_distributor):
    default_distributor = []

    def make(partner: Partner, amount, invoice_date: datetime.date, distributor: Distributor | None = None):
        if distributor is None:
            if not default_distributor:
                default_distributor.append(make_distributor())
            distributor = default_distributor[0]
        return Purchase.objects.create(
            partner=partner,
            distributor=distributor,
            product=product,
            quantity=1,
            amount_eur=Decimal(amount),
            invoice_date=invoice_date,
            reference=f"INV-{next(_sequence)}",
        )

    return make


@pytest.fixture
def make_member(make_user):
    def make(partner: Partner, role: str = Membership.Role.TECHNICAL, **user_fields) -> Membership:
        return Membership.objects.create(user=make_user(**user_fields), partner=partner, role=role)

    return make


@pytest.fixture
def make_certified_technician(make_member, today):
    def make(partner: Partner, expires_on: datetime.date | None = None) -> Certification:
        member = make_member(partner)
        return Certification.objects.create(
            partner=partner,
            holder=member.user,
            exam="Certified Security Professional",
            number=f"CERT-{next(_sequence)}",
            issued_on=today - datetime.timedelta(days=300),
            expires_on=expires_on or today + datetime.timedelta(days=400),
        )

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher costs ~0.3 s per password; tests create hundreds of people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
