"""Every extranet page and object URL, tried by seven kinds of visitor.

An object belongs to the Accredited partner (its member, invitation and licence) or is gated
by tier (library files, a Certified-only newsletter); every other visitor must get 404 for
it, exactly as for an id that does not exist.
"""

import datetime
import time
from http import HTTPStatus

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from library.models import Resource
from newsletter.models import Issue
from nfr.models import Licence
from partners.models import Invitation, Membership, Partner, Product

VISITORS = ["anonymous", "applicant", "accredited", "certified", "enterprise", "other", "staff"]
MEMBERS = ["accredited", "certified", "enterprise", "other"]

OK, NOT_FOUND, FORBIDDEN = HTTPStatus.OK, HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN
LOGIN, APPLICATION, DASHBOARD, DONE = "login", "application", "dashboard", "done"


def expected_for_page(visitor: str) -> object:
    return {"anonymous": LOGIN, "applicant": APPLICATION, "staff": FORBIDDEN}.get(visitor, OK)


def expected_for_object(visitor: str, allowed: set[str], success=OK) -> object:
    if visitor in {"anonymous", "applicant", "staff"}:
        return expected_for_page(visitor)
    return success if visitor in allowed else NOT_FOUND


PAGES = [
    ("partners:dashboard", {}),
    ("partners:team", {}),
    ("partners:team-invite", {}),
    ("partners:settings", {}),
    ("library:resource-list", {}),
    ("newsletter:issue-list", {}),
    ("nfr:licence-list", {}),
    ("nfr:licence-request", {}),
    ("nfr:licence-export", {}),
]

# (name, object key, method, visitors allowed, answer when allowed)
OBJECTS = [
    ("library:resource-download", "starter_kit", "get", set(MEMBERS), OK),
    ("library:resource-download", "price_list", "get", {"certified", "enterprise"}, OK),
    ("library:resource-download", "project", "get", {"enterprise"}, OK),
    ("newsletter:issue-detail", "certified_issue", "get", {"certified", "enterprise"}, OK),
    ("nfr:licence-renew", "licence", "post", {"accredited"}, DONE),
    ("partners:member-remove", "colleague", "post", {"accredited"}, DONE),
    ("partners:invitation-resend", "invitation", "post", {"accredited"}, DONE),
    ("partners:invitation-cancel", "invitation", "post", {"accredited"}, DONE),
]


@pytest.fixture
def world(make_partner, make_member, make_user, tiers, today):
    """One partner per kind of visitor, and the objects the Accredited partner owns."""
    people = {"staff": make_user("staff-desk@example.com", is_staff=True), "anonymous": None}
    partners = {}
    for visitor, tier, status in [
        ("applicant", "accredited", Partner.Status.APPLIED),
        ("accredited", "accredited", Partner.Status.ACTIVE),
        ("certified", "certified", Partner.Status.ACTIVE),
        ("enterprise", "enterprise", Partner.Status.ACTIVE),
        ("other", "accredited", Partner.Status.ACTIVE),
    ]:
        partners[visitor] = make_partner(f"{visitor.title()} AG", tier=tier, status=status)
        people[visitor] = make_member(partners[visitor], role=Membership.Role.OWNER).user

    owner = people["accredited"]
    objects = {"colleague": make_member(partners["accredited"], role=Membership.Role.SALES)}
    for key, category, tier in [
        ("starter_kit", Resource.Category.STARTER_KIT, "accredited"),
        ("price_list", Resource.Category.PRICE_LIST, "certified"),
        ("project", Resource.Category.PROJECT_MATERIAL, "enterprise"),
    ]:
        resource = Resource(
            title=key,
            category=category,
            min_tier=tiers[tier],
            published=True,
            original_filename=f"{key}.pdf",
            size=8,
            content_type="application/pdf",
        )
        resource.file.save(f"{key}.pdf", ContentFile(b"%PDF-1.4"), save=False)
        resource.save()
        objects[key] = resource
    objects["certified_issue"] = Issue.objects.create(
        subject="Certified news",
        body="Text.",
        min_tier=tiers["certified"],
        status=Issue.Status.SENT,
        publish_on=today,
        sent_at=timezone.now(),
    )
    product = Product.objects.create(sku="NFR-AV", name="Anti-Virus NFR", nfr_available=True)
    objects["licence"] = Licence.objects.create(
        partner=partners["accredited"],
        product=product,
        requested_by=owner,
        purpose="Demo lab",
        status=Licence.Status.ISSUED,
        key="AAAA-BBBB",
        issued_on=today - datetime.timedelta(days=350),
        expires_on=today + datetime.timedelta(days=15),
    )
    objects["invitation"] = Invitation.objects.create(
        partner=partners["accredited"], email="new.colleague@example.com", invited_by=owner
    )
    return people, objects


def sign_in(client, user) -> None:
    if user is None:
        return
    client.force_login(user)
    # As if the password had just been typed again: owners' actions ask for it.
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def check(response, expected) -> None:
    location = response.get("Location", "")
    match expected:
        case "login":
            assert response.status_code == HTTPStatus.FOUND
            assert location.startswith(reverse("account_login") + "?next=")
        case "application":
            assert (response.status_code, location) == (HTTPStatus.FOUND, reverse("partners:application-status"))
        case "dashboard":
            assert (response.status_code, location) == (HTTPStatus.FOUND, reverse("partners:dashboard"))
        case "done":  # the owner's action ran and sent them back to a page of their own
            assert response.status_code == HTTPStatus.FOUND
            assert location.startswith("/extranet/")
        case _:
            assert response.status_code == expected, f"{response.status_code} instead of {expected}"


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_extranet_pages(client, world, visitor, name, kwargs):
    people, _objects = world
    sign_in(client, people[visitor])

    check(client.get(reverse(name, kwargs=kwargs)), expected_for_page(visitor))


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_application_status_page(client, world, visitor):
    people, _objects = world
    sign_in(client, people[visitor])
    expected = {"anonymous": LOGIN, "applicant": OK, "staff": FORBIDDEN}.get(visitor, DASHBOARD)

    check(client.get(reverse("partners:application-status")), expected)


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(
    ("name", "key", "method", "allowed", "success"), OBJECTS, ids=[f"{name}-{key}" for name, key, *_ in OBJECTS]
)
def test_extranet_objects(client, world, visitor, name, key, method, allowed, success):
    people, objects = world
    sign_in(client, people[visitor])
    url = reverse(name, kwargs={"pk": objects[key].pk})

    check(getattr(client, method)(url), expected_for_object(visitor, allowed, success))


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", MEMBERS)
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("library:resource-download", "get"),
        ("newsletter:issue-detail", "get"),
        ("nfr:licence-renew", "post"),
        ("partners:member-remove", "post"),
        ("partners:invitation-resend", "post"),
    ],
)
def test_unknown_ids_answer_like_other_partners_objects(client, world, visitor, name, method):
    people, _objects = world
    sign_in(client, people[visitor])

    check(getattr(client, method)(reverse(name, kwargs={"pk": 999_999})), NOT_FOUND)


@pytest.mark.django_db
def test_licence_keys_appear_only_to_the_owning_partner(client, world):
    people, objects = world
    for visitor in MEMBERS:
        sign_in(client, people[visitor])
        for url in (reverse("nfr:licence-list"), reverse("nfr:licence-export")):
            body = client.get(url).content.decode()
            assert (objects["licence"].key in body) == (visitor == "accredited"), (visitor, url)
