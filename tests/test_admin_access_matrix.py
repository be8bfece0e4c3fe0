"""Every admin URL of every registered model, tried by nine kinds of visitor.

The URLs come from the admin site itself: its registry and each ModelAdmin's `get_urls()`, so a
model registered tomorrow is tried without editing this file (it only needs a factory in `objects`).
A visitor who is not staff is sent to the admin's sign-in page from every URL. A staff member gets
a page where their groups' permissions grant the action and the ModelAdmin agrees (the admin may
narrow what a group grants, e.g. a read-only log, never widen it); anywhere else they get 403,
and a POST they may not make is refused before it reads the form.
"""

import datetime
from collections.abc import Iterator
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils.http import urlencode
from django_tasks_db.models import DBTaskResult, get_date_max

from directory.models import ContactRequest
from library.models import Resource
from newsletter.models import Delivery, Issue
from nfr.models import Licence
from partners.models import (
    DistributorApplication,
    Invitation,
    Language,
    MarginBand,
    Membership,
    Nomination,
    Partner,
    Product,
    RecruitmentTarget,
    SalesImport,
    Service,
    Tier,
    TierChange,
)
from partners.roles import CHANNEL_MANAGER, PARTNER_DESK

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "applicant", "accredited", "certified", "enterprise", "staff", "desk", "manager", "superuser"]
OK, FORBIDDEN, NOT_FOUND = HTTPStatus.OK, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
LOGIN = "admin login"

# A ModelAdmin URL by the end of its name ("partners_partner_<kind>"): what a GET needs, and what
# a POST needs (tried only where it is refused: an allowed POST would change the object). None: not tried.
URL_KINDS = {
    "changelist": ("view", None),
    "add": ("add", "add"),
    "change": ("view", "change"),
    "history": ("view", None),
    "delete": ("delete", "delete"),
    "simple_history": ("view", "change"),  # one old version, and its "Revert" button
    "password_change": ("change", "change"),  # the user admin's password form
    "download": ("view", None),  # the library's file, as partners receive it
    "tier_review": ("view", "change"),
    "import": ("import", "import"),
    "process_import": (None, "import"),  # the confirmation step: POST only
    "export": ("export", "export"),
}
# The site's own pages: the permission each needs (None: any staff member).
SITE_URLS = {
    "index": None,
    "dashboard": "partners.view_partner",
    "password_change": None,
    "password_change_done": None,
    "jsi18n": None,
}
# Tried per app and per autocomplete field (site_probes), or not at all: signing in and out is for
# everyone, and view_on_site only redirects to the object's public page.
SITE_URLS_ELSEWHERE = {"app_list", "autocomplete", "login", "logout", "view_on_site"}

# simple_history's revert once saved a POSTed old version for anyone who could view it (the read-only
# partner desk could rewrite tiers, resources, issues); the matrix POSTs an empty form, these a full one.
REVERTS = ["partners_tier_simple_history", "library_resource_simple_history", "newsletter_issue_simple_history"]


@pytest.fixture
def visitors(make_partner, make_member, make_user) -> dict[str, object]:
    """An owner of a partner per tier (and of an applicant), and staff with no, desk, manager and all rights."""
    people = {"anonymous": None}
    for visitor, tier, status in [
        ("applicant", "accredited", Partner.Status.APPLIED),
        ("accredited", "accredited", Partner.Status.ACTIVE),
        ("certified", "certified", Partner.Status.ACTIVE),
        ("enterprise", "enterprise", Partner.Status.ACTIVE),
    ]:
        partner = make_partner(f"{visitor.title()} AG", tier=tier, status=status)
        people[visitor] = make_member(partner, role=Membership.Role.OWNER).user
    people["staff"] = make_user("staff-nothing@example.com", is_staff=True)
    for visitor, group in [("desk", PARTNER_DESK), ("manager", CHANNEL_MANAGER)]:
        people[visitor] = make_user(f"{visitor}@example.com", is_staff=True)
        people[visitor].groups.add(Group.objects.get(name=group))
    people["superuser"] = make_user("root@example.com", is_staff=True, is_superuser=True)
    return people


@pytest.fixture
def objects(
    make_partner, make_member, make_territory, make_distributor, make_purchase, product, tiers, today
) -> dict[type, object]:
    """One object of every model registered on the admin site, by the factory for its label."""
    partner = make_partner("Objekt AG")
    member = make_member(partner)
    territory = make_territory()
    distributor = make_distributor(territories=[territory])
    issue = Issue.objects.create(subject="News", body="Text.", min_tier=tiers["accredited"], status=Issue.Status.SENT)
    nfr_product = Product.objects.create(sku="NFR-1", name="NFR product", nfr_available=True)
    factories = {
        "auth.Group": lambda: Group.objects.create(name="Marketing"),
        "accounts.User": lambda: member.user,
        "account.EmailAddress": lambda: EmailAddress.objects.create(user=member.user, email=member.user.email),
        "mfa.Authenticator": lambda: Authenticator.objects.create(
            user=member.user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20}
        ),
        "django_tasks_database.DBTaskResult": lambda: DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}}, task_path="gone", backend_name="default", run_after=get_date_max()
        ),
        "partners.Partner": lambda: partner,
        "partners.Membership": lambda: member,
        "partners.Certification": lambda: partner.certifications.create(
            holder=member.user, exam="CSP", number="CERT-1", issued_on=today, expires_on=today + datetime.timedelta(9)
        ),
        "partners.Invitation": lambda: Invitation.objects.create(
            partner=partner, email="guest@example.com", invited_by=member.user
        ),
        "partners.Territory": lambda: territory,
        "partners.Distributor": lambda: distributor,
        "partners.DistributorApplication": lambda: DistributorApplication.objects.create(
            company="Applicant SA", contact_name="Eva", contact_email="eva@example.com"
        ),
        "partners.Language": lambda: Language.objects.create(code="xx", name="Test language"),
        "partners.Service": lambda: Service.objects.create(code="test-service", name="Test service"),
        # Not one of the data migration's tiers: those have no history yet.
        "partners.Tier": lambda: Tier.objects.create(code="test", name="Test tier", rank=100, nomination_only=True),
        "partners.MarginBand": lambda: MarginBand.objects.create(
            tier=tiers["certified"], min_volume=0, margin_percent=30, effective_from=today
        ),
        "partners.TierChange": lambda: TierChange.objects.create(
            partner=partner,
            kind=TierChange.Kind.ADMISSION,
            to_tier=tiers["accredited"],
            reason="Approved.",
            volume_12m=0,
            certified_technicians=0,
        ),
        "partners.Nomination": lambda: Nomination.objects.create(
            partner=partner, tier=tiers["enterprise"], reason="Strategic.", proposed_by=member.user
        ),
        "partners.Product": lambda: product,
        "partners.Purchase": lambda: make_purchase(partner, 1000, today, distributor=distributor),
        "partners.SalesImport": lambda: SalesImport.objects.create(distributor=distributor, file_name="report.csv"),
        "partners.RecruitmentTarget": lambda: RecruitmentTarget.objects.create(
            territory=territory, starts_on=today, ends_on=today + datetime.timedelta(90), more_active_min=2
        ),
        "library.Resource": lambda: resource_make(tiers["accredited"]),
        "newsletter.Issue": lambda: issue,
        "newsletter.Delivery": lambda: Delivery.objects.create(issue=issue, user=member.user),
        "nfr.Licence": lambda: Licence.objects.create(
            partner=partner, product=nfr_product, requested_by=member.user, purpose="Lab"
        ),
        "directory.ContactRequest": lambda: ContactRequest.objects.create(
            partner=partner, name="Visitor", email="visitor@example.com", message="Call me.", language="de"
        ),
    }
    missing = [model._meta.label for model in admin.site._registry if model._meta.label not in factories]
    if missing:
        pytest.fail(
            f"No factory for {', '.join(missing)}: add one to the factories in objects() so its admin URLs are tried."
        )
    return {model: factories[model._meta.label]() for model in admin.site._registry}


def resource_make(tier) -> Resource:
    resource = Resource(title="Guide", category=Resource.Category.STARTER_KIT, min_tier=tier, published=True)
    resource.original_filename, resource.size, resource.content_type = "guide.pdf", 5, "application/pdf"
    resource.file.save("guide.pdf", ContentFile(b"%PDF-"), save=False)
    resource.save()
    return resource


def may(user, model_admin, need: str, obj=None) -> bool:
    """Whether the user's permissions grant `need` on the model and the ModelAdmin agrees."""
    request = RequestFactory().get("/")
    request.user = user
    opts = model_admin.opts

    def granted(action: str) -> bool:
        return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")

    match need:
        case "view":
            return (granted("view") or granted("change")) and model_admin.has_view_permission(request, obj)
        case "add":
            return granted("add") and model_admin.has_add_permission(request)
        case "change":
            return granted("change") and model_admin.has_change_permission(request, obj)
        case "delete":
            return granted("delete") and model_admin.has_delete_permission(request, obj)
        case "import":
            return granted("add") and granted("change") and model_admin.has_import_permission(request)
        case "export":
            return granted("view") and model_admin.has_export_permission(request)
    raise ValueError(need)


def url_kind(pattern: URLPattern) -> str | None:
    # Longest first: "..._simple_history" before "..._history", "..._password_change" before "..._change".
    return next((kind for kind in sorted(URL_KINDS, key=len, reverse=True) if pattern.name.endswith(f"_{kind}")), None)


def url_args(pattern: URLPattern, obj) -> list:
    groups = pattern.pattern.regex.groups
    if groups == 0:
        return []
    if groups == 1:
        return [obj.pk]
    if groups == 2 and pattern.name.endswith("_simple_history"):
        history = getattr(obj, obj._meta.simple_history_manager_attribute)
        return [obj.pk, history.first().history_id]
    pytest.fail(f"Cannot build {pattern.name} ({pattern.pattern}): teach url_args() its arguments.")


def model_probes(user, objects) -> Iterator[tuple[str, str, str, object]]:
    """(URL name, method, URL, expected answer) for every named URL of every ModelAdmin."""
    staff = user is not None and user.is_staff
    for model, model_admin in admin.site._registry.items():
        obj = objects[model]
        for pattern in model_admin.get_urls():
            if pattern.name is None:  # Django's old "<id>/" URL, a redirect to the change page
                continue
            kind = url_kind(pattern)
            if kind is None:
                pytest.fail(f"Admin URL {pattern.name} ({pattern.pattern}) is not in URL_KINDS: say what it needs.")
            url = reverse(f"admin:{pattern.name}", args=url_args(pattern, obj))
            get_needs, post_needs = URL_KINDS[kind]
            if get_needs is not None:
                yield pattern.name, "get", url, answer_for(user, staff and may(user, model_admin, get_needs, obj))
            if post_needs is not None and not (staff and may(user, model_admin, post_needs, obj)):
                yield pattern.name, "post", url, answer_for(user, False)


def site_probes(user) -> Iterator[tuple[str, str, str, object]]:
    """The site's own pages, each app's index, and the autocomplete of every autocomplete field."""
    names = {pattern.name for pattern in admin.site.get_urls() if isinstance(pattern, URLPattern)}
    unknown = names - SITE_URLS.keys() - SITE_URLS_ELSEWHERE - {None}
    if unknown:
        pytest.fail(f"Admin site URLs {sorted(unknown)} are in neither SITE_URLS nor SITE_URLS_ELSEWHERE.")
    staff = user is not None and user.is_staff
    for name, permission in SITE_URLS.items():
        allowed = staff and (permission is None or user.has_perm(permission))
        yield name, "get", reverse(f"admin:{name}"), answer_for(user, allowed)

    request = RequestFactory().get("/")
    request.user = user
    for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
        url = reverse("admin:app_list", kwargs={"app_label": app_label})
        in_app = [ma for model, ma in admin.site._registry.items() if model._meta.app_label == app_label]
        listed = (
            staff
            and user.has_module_perms(app_label)
            and any(any(ma.get_model_perms(request).values()) for ma in in_app)
        )
        yield "app_list", "get", url, answer_for(user, listed, refused=NOT_FOUND)

    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            remote_admin = admin.site._registry[model._meta.get_field(field_name).related_model]
            query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name}
            url = f"{reverse('admin:autocomplete')}?{urlencode(query)}"
            yield "autocomplete", "get", url, answer_for(user, staff and may(user, remote_admin, "view"))


def answer_for(user, allowed: bool, refused=FORBIDDEN) -> object:
    if user is None or not user.is_staff:
        return LOGIN
    return OK if allowed else refused


def answer(response, url: str) -> object:
    location = response.get("Location")
    if location == redirect_to_login(url, reverse("admin:login")).url:
        return LOGIN  # exactly what Django's admin_view answers a visitor who is not staff
    return f"{response.status_code} {location}" if location else response.status_code


def probes(user, objects) -> list[tuple[str, str, str, object]]:
    # Every GET before any POST: a POST wrongly let through must not change what the GETs see.
    return sorted([*site_probes(user), *model_probes(user, objects)], key=lambda probe: probe[1])


def signed_in(client, user):
    client.raise_request_exception = False  # a crash is one more wrong answer in the list
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("visitor", VISITORS)
def test_admin_urls(client, visitors, objects, visitor):
    user = visitors[visitor]
    client = signed_in(client, user)
    tried = list(probes(user, objects))

    mismatches = []
    for name, method, url, expected in tried:
        got = answer(getattr(client, method)(url), url)
        if got != expected:
            mismatches.append(f"{method.upper()} {url} ({name}) as {visitor}: expected {expected}, got {got}")
    assert not mismatches, f"{len(mismatches)} of {len(tried)} admin URLs answer wrongly:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("name", REVERTS)
def test_the_desk_cannot_revert_an_old_version(client, visitors, objects, name):
    """A POST of the version's form as shown: a wrong answer would be a save."""
    user = visitors["desk"]
    client = signed_in(client, user)
    url, expected = next((url, expected) for n, m, url, expected in probes(user, objects) if (n, m) == (name, "post"))

    assert expected == FORBIDDEN
    assert answer(client.post(url, form_values(client.get(url))), url) == FORBIDDEN


def form_values(page) -> dict:
    """What a browser would send back from an admin form's fields, files left out."""
    form = page.context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    return {
        name: [str(item) for item in value] if isinstance(value, list | tuple) else value
        for name, value in values.items()
        if value is not None and value is not False and value != "" and not isinstance(value, FieldFile)
    }


@pytest.mark.parametrize("visitor", ["anonymous", "applicant", "accredited"])
def test_admin_sign_in_page_for_non_staff(client, visitors, visitor):
    """Where the admin sends them: a member is refused, an anonymous visitor goes to the site's sign-in."""
    client = signed_in(client, visitors[visitor])

    response = client.get(reverse("admin:login"))

    if visitor == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    else:
        assert response.status_code == FORBIDDEN
