"""The channel managers' admin: every page renders, lists cost a fixed number of queries,
actions and forms go through the services."""

import datetime
import itertools
from decimal import Decimal
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult, get_date_max
from simple_history.admin import SimpleHistoryAdmin

from directory.models import ContactRequest
from library.models import Resource
from newsletter.models import Delivery, Issue
from nfr.models import Licence
from partners.models import (
    Certification,
    Distributor,
    DistributorApplication,
    Invitation,
    Language,
    MarginBand,
    Nomination,
    Partner,
    Product,
    Purchase,
    RecruitmentTarget,
    SalesImport,
    Service,
    Territory,
    Tier,
    TierChange,
)

_numbers = itertools.count(1)
REGISTERED = list(admin.site._registry)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def form_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, inlines included."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value
    return data


@pytest.fixture
def add_unit(
    make_user, make_territory, make_distributor, make_partner, make_member, make_purchase, staff_user, today, tiers
):
    """Add one object of every registered model, the partner with its people, purchases and log."""

    def add(*, purchase_days_ago: int = 10):
        n = next(_numbers)
        user = make_user()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00" * 20})
        Group.objects.create(name=f"group-{n}")
        territory = make_territory(regions=f"R{chr(65 + n % 26)}{chr(65 + n // 26 % 26)}")
        territory.languages.set(Language.objects.all()[:2])
        distributor = make_distributor(territories=[territory])
        tier_code = ["accredited", "certified", "enterprise"][n % 3]
        partner = make_partner(
            tier=tier_code,
            territory=territory,
            distributor=distributor,
            account_manager=staff_user,
            city="Zürich",
            proposed_tier=tiers["accredited"] if tier_code == "certified" else None,
            proposed_on=today if tier_code == "certified" else None,
        )
        member = make_member(partner)
        Certification.objects.create(
            partner=partner,
            holder=member.user,
            exam="Certified Security Professional",
            number=f"CERT-A{n}",
            issued_on=today - datetime.timedelta(days=100),
            expires_on=today + datetime.timedelta(days=30 * (n % 4)),
        )
        make_purchase(partner, 1000 * n, today - datetime.timedelta(days=purchase_days_ago))
        TierChange.objects.create(
            partner=partner,
            kind=TierChange.Kind.ADMISSION,
            to_tier=tiers["accredited"],
            reason="Application approved.",
            volume_12m=0,
            certified_technicians=0,
            decided_by=staff_user,
        )
        Nomination.objects.create(partner=partner, tier=tiers["enterprise"], reason="Strategic.", proposed_by=user)
        SalesImport.objects.create(distributor=distributor, file_name=f"report-{n}.csv", rows=1, created=1)
        application = DistributorApplication.objects.create(
            company=f"Applicant {n}", contact_name="Eva Muster", contact_email=f"eva{n}@example.com"
        )
        application.territories.set([territory])
        RecruitmentTarget.objects.create(
            territory=territory,
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=60),
            more_active_min=2,
        )
        Product.objects.create(sku=f"SKU-{n}", name=f"Product {n}")
        nfr_product = Product.objects.create(sku=f"NFR-{n}", name=f"NFR product {n}", nfr_available=True)
        Licence.objects.create(partner=partner, product=nfr_product, requested_by=member.user, purpose="Test lab")
        Invitation.objects.create(partner=partner, email=f"guest{n}@example.com", invited_by=member.user)
        ContactRequest.objects.create(
            partner=partner,
            name=f"Visitor {n}",
            email=f"visitor{n}@example.com",
            message="Please call me.",
            language="de",
        )
        resource = Resource(
            title=f"Resource {n}",
            category=Resource.Category.STARTER_KIT,
            min_tier=tiers["accredited"],
            published=True,
            original_filename="guide.pdf",
            size=5,
            content_type="application/pdf",
        )
        resource.file.save("guide.pdf", ContentFile(b"%PDF-"), save=False)
        resource.save()
        issue = Issue.objects.create(
            subject=f"Issue {n}", body="Text.", min_tier=tiers["accredited"], status=Issue.Status.SENT
        )
        Delivery.objects.create(issue=issue, user=member.user, status=Delivery.Status.SENT)
        Language.objects.create(code=f"l{n}", name=f"Language {n}")
        Service.objects.create(code=f"service-{n}", name=f"Service {n}")
        tier = Tier.objects.create(code=f"tier-{n}", name=f"Tier {n}", rank=100 + n, nomination_only=True)
        MarginBand.objects.create(tier=tier, min_volume=0, margin_percent=40, effective_from=today)
        # A path that no longer imports: the admin shows such results too.
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="tests.partners.test_admin.gone",
            backend_name="default",
            run_after=get_date_max(),
        )
        return partner

    return add


# Every page renders -----------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_page_renders(model, staff_client, add_unit):
    add_unit()
    model_admin = admin.site._registry[model]
    obj = model._default_manager.first()
    assert obj is not None, f"add_unit() must create a {model._meta.label} so its change form is tested"

    changelist = staff_client.get(url(model, "changelist"))
    assert changelist.status_code == HTTPStatus.OK
    assert staff_client.get(url(model, "change", obj.pk)).status_code == HTTPStatus.OK
    request = changelist.wsgi_request
    expected = HTTPStatus.OK if model_admin.has_add_permission(request) else HTTPStatus.FORBIDDEN
    assert staff_client.get(url(model, "add")).status_code == expected
    expected = HTTPStatus.OK if model_admin.has_delete_permission(request, obj) else HTTPStatus.FORBIDDEN
    assert staff_client.get(url(model, "delete", obj.pk)).status_code == expected
    if isinstance(model_admin, SimpleHistoryAdmin):
        assert staff_client.get(url(model, "history", obj.pk)).status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelists_cost_the_same_queries_for_more_rows(model, staff_client, add_unit):
    add_unit()
    staff_client.get(url(model, "changelist"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url(model, "changelist")).status_code == HTTPStatus.OK
    for _ in range(6):
        add_unit()
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(url(model, "changelist")).status_code == HTTPStatus.OK
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


@pytest.mark.parametrize("partners", [10, 100])
def test_partner_changelist_queries_do_not_grow_with_partners(
    partners, staff_client, add_unit, django_assert_max_num_queries
):
    for _ in range(partners):
        add_unit()
    # Session and user (2), programme (2), four filters' choices (4), two counts, the page, session save (3).
    with django_assert_max_num_queries(14):
        response = staff_client.get(url(Partner, "changelist"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == partners


def test_site_header(staff_client):
    assert "Partner programme administration" in staff_client.get(reverse("admin:index")).text


# The partner list and form ----------------------------------------------------------


def test_partner_list_shows_metrics_margin_and_gap(staff_client, make_partner, make_purchase, today):
    partner = make_partner("Alpenblick Informatik AG")
    make_purchase(partner, 6000, today - datetime.timedelta(days=20))

    response = staff_client.get(url(Partner, "changelist"))

    row = next(line for line in response.text.splitlines() if "Alpenblick" in line)
    assert "6,000" in row
    assert "20 %" in row
    assert "Certified Partner: EUR 4,000 more purchase volume, 1 certified technician" in row


def test_needs_review_filter(staff_client, make_partner, make_purchase, make_certified_technician, today):
    def with_metrics(partner):
        make_purchase(partner, 12000, today - datetime.timedelta(days=5))
        make_certified_technician(partner)
        return partner

    with_metrics(make_partner("Qualifies AG"))
    with_metrics(make_partner("Nominated Fit AG", tier="enterprise"))
    make_partner("Nominated Idle AG", tier="enterprise")
    make_partner("Short AG", tier="certified")
    make_partner("Idle AG")
    make_partner("Applicant AG", status=Partner.Status.APPLIED)

    def names(review: str) -> set[str]:
        response = staff_client.get(url(Partner, "changelist"), {"review": review})
        return {partner.name for partner in response.context["cl"].result_list}

    assert names("upgrade") == {"Qualifies AG"}
    assert names("shortfall") == {"Nominated Idle AG", "Short AG", "Idle AG"}
    assert names("application") == {"Applicant AG"}


def test_proposed_downgrade_filter(staff_client, make_partner, tiers, today):
    proposed = make_partner(tier="certified", proposed_tier=tiers["accredited"], proposed_on=today)
    make_partner()

    response = staff_client.get(url(Partner, "changelist"), {"downgrade": "yes"})

    assert list(response.context["cl"].result_list) == [proposed]


def test_tier_is_read_only_on_change_and_chosen_on_add(staff_client, make_partner, tiers):
    partner = make_partner()
    page = staff_client.get(url(Partner, "change", partner.pk))
    assert "tier" not in page.context["adminform"].form.fields
    assert "Evaluation" in page.text

    data = form_data(page) | {"tier": tiers["enterprise"].pk, "name": "Renamed AG"}
    response = staff_client.post(url(Partner, "change", partner.pk), data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert (partner.name, partner.tier) == ("Renamed AG", tiers["accredited"])
    assert "tier" in staff_client.get(url(Partner, "add")).context["adminform"].form.fields


def test_status_choices_keep_admission_in_the_action(staff_client, make_partner):
    applicant = make_partner(status=Partner.Status.APPLIED)
    member = make_partner()

    def choices(partner) -> list[str]:
        page = staff_client.get(url(Partner, "change", partner.pk))
        return [value for value, _label in page.context["adminform"].form.fields["status"].choices]

    assert choices(applicant) == ["applied", "ended"]
    assert choices(member) == ["active", "suspended", "ended"]


def test_add_partner_with_a_member(staff_client, make_user, tiers):
    person = make_user()
    data = {
        "name": "Frisch AG",
        "slug": "frisch-ag",
        "status": "applied",
        "tier": tiers["accredited"].pk,
        "country": "CH",
        "directory_consent": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": person.pk,
        "memberships-0-role": "owner",
    }

    response = staff_client.post(url(Partner, "add"), data)

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    partner = Partner.objects.get(slug="frisch-ag")
    assert [m.user for m in partner.memberships.all()] == [person]


def test_partner_autocomplete_for_purchases(staff_client, make_partner):
    make_partner("Alpenblick Informatik AG")
    make_partner("Bergsicht GmbH")

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partners", "model_name": "purchase", "field_name": "partner", "term": "alpen"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Alpenblick Informatik AG"]


def test_certification_holders_are_the_partners_people(staff_client, make_partner, make_member, make_user, today):
    partner = make_partner()
    member = make_member(partner)
    former = make_member(make_partner())  # moved on, its certification stays on record here
    Certification.objects.create(
        partner=partner,
        holder=former.user,
        exam="Certified Security Professional",
        number="CERT-FORMER",
        issued_on=today - datetime.timedelta(days=400),
        expires_on=today + datetime.timedelta(days=10),
    )
    make_member(make_partner())
    make_user()

    page = staff_client.get(url(Partner, "change", partner.pk))

    formset = next(f.formset for f in page.context["inline_admin_formsets"] if f.formset.model is Certification)
    assert set(formset.form.base_fields["holder"].queryset) == {member.user, former.user}
    assert staff_client.post(url(Partner, "change", partner.pk), form_data(page)).status_code == HTTPStatus.FOUND


def test_recent_purchases_inline_and_link(staff_client, make_partner, make_purchase, today):
    partner = make_partner()
    recent = make_purchase(partner, 100, today - datetime.timedelta(days=10))
    make_purchase(partner, 100, today - datetime.timedelta(days=200))
    make_purchase(make_partner(), 100, today)

    page = staff_client.get(url(Partner, "change", partner.pk))

    inline = next(f for f in page.context["inline_admin_formsets"] if f.formset.model.__name__ == "Purchase")
    assert [form.instance for form in inline.formset.forms] == [recent]
    link = f"{url(Purchase, 'changelist')}?partner={partner.pk}"
    assert link in page.text
    assert staff_client.get(link).context["cl"].result_count == 2


def test_partner_history_can_be_read_not_reverted(staff_client, make_partner):
    partner = make_partner()
    version = partner.history.first()
    history_form = reverse("admin:partners_partner_simple_history", args=[partner.pk, version.history_id])

    assert staff_client.get(url(Partner, "history", partner.pk)).status_code == HTTPStatus.OK
    assert staff_client.get(history_form).status_code == HTTPStatus.OK
    assert staff_client.post(history_form, {"name": "Reverted"}).status_code == HTTPStatus.FORBIDDEN


# Actions ----------------------------------------------------------------------------


def run_action(client, action: str, partners, **extra):
    data = {"action": action, "_selected_action": [partner.pk for partner in partners], **extra}
    return client.post(url(Partner, "changelist"), data, follow=True)


def test_approve_application(staff_client, staff_user, make_partner, tiers):
    applicant = make_partner("Neu AG", tier="certified", status=Partner.Status.APPLIED)

    response = run_action(staff_client, "approve_application", [applicant])

    applicant.refresh_from_db()
    assert (applicant.status, applicant.tier) == (Partner.Status.ACTIVE, tiers["accredited"])
    change = TierChange.objects.get(partner=applicant)
    assert (change.kind, change.decided_by) == (TierChange.Kind.ADMISSION, staff_user)
    assert "Approved: Neu AG." in messages_of(response)


def test_approve_refusal_is_a_message_not_an_error_page(staff_client, make_partner):
    applicant = make_partner("Neu AG", status=Partner.Status.APPLIED)
    member = make_partner("Dabei AG")

    response = run_action(staff_client, "approve_application", [applicant, member])

    assert response.status_code == HTTPStatus.OK
    assert "Dabei AG is not an open application." in messages_of(response)
    assert "Approved: Neu AG." in messages_of(response)
    assert not TierChange.objects.filter(partner=member).exists()


def test_nominate_needs_a_reason(staff_client, make_partner, tiers):
    partner = make_partner(tier="certified")

    page = run_action(staff_client, "nominate", [partner])
    assert page.templates[0].name == "admin/partners/partner/action_reason.html"
    assert "Nominate as Enterprise Solution Partner" in page.text

    response = run_action(staff_client, "nominate", [partner], apply="1", reason="  ")

    assert response.context["form"].errors == {"reason": ["This field is required."]}
    partner.refresh_from_db()
    assert partner.tier == tiers["certified"]
    assert not TierChange.objects.exists()


def test_nominate_with_reason_proposes(staff_client, staff_user, make_partner, tiers):
    """Four eyes: the action proposes; a second staff member confirms (tests/partners/test_nominations.py)."""
    partner = make_partner("Gross AG", tier="certified")

    response = run_action(staff_client, "nominate", [partner], apply="1", reason="Runs our largest customer projects.")

    assert response.redirect_chain[-1][0].endswith(url(Partner, "changelist"))
    partner.refresh_from_db()
    assert partner.tier == tiers["certified"]
    assert not TierChange.objects.exists()
    nomination = Nomination.objects.get(partner=partner)
    assert (nomination.kind, nomination.tier, nomination.proposed_by, nomination.reason) == (
        Nomination.Kind.GRANT,
        tiers["enterprise"],
        staff_user,
        "Runs our largest customer projects.",
    )
    assert "Nomination proposed, waiting for a second staff member to confirm it: Gross AG." in messages_of(response)


def test_revoke_nomination_proposes(staff_client, make_partner, tiers):
    partner = make_partner(tier="enterprise", nomination_reason="Once big.")

    run_action(staff_client, "revoke_nomination", [partner], apply="1", reason="No longer fits.")

    partner.refresh_from_db()
    assert partner.tier == tiers["enterprise"]
    nomination = Nomination.objects.get(partner=partner)
    assert (nomination.kind, nomination.tier, nomination.status) == (
        Nomination.Kind.REVOKE,
        tiers["enterprise"],
        Nomination.Status.PENDING,
    )


def test_apply_proposed_downgrade(staff_client, make_partner, tiers, today):
    partner = make_partner(tier="certified", proposed_tier=tiers["accredited"], proposed_on=today)

    run_action(staff_client, "apply_downgrade", [partner])

    partner.refresh_from_db()
    assert (partner.tier, partner.proposed_tier) == (tiers["accredited"], None)
    assert TierChange.objects.get(partner=partner).kind == TierChange.Kind.DOWNGRADE


def test_reject_proposed_downgrade(staff_client, make_partner, tiers, today):
    partner = make_partner(tier="certified", proposed_tier=tiers["accredited"], proposed_on=today)
    without_proposal = make_partner("Ohne AG")

    response = run_action(
        staff_client, "reject_downgrade", [partner, without_proposal], apply="1", reason="Big order next month."
    )

    partner.refresh_from_db()
    assert (partner.tier, partner.proposed_tier) == (tiers["certified"], None)
    assert "Big order next month." in partner.history.first().history_change_reason
    assert not TierChange.objects.exists()
    assert "Ohne AG has no proposed downgrade." in messages_of(response)


def test_evaluate_now_upgrades_a_qualifying_partner(
    staff_client, make_partner, make_purchase, make_certified_technician, tiers, today
):
    partner = make_partner("Aufsteiger AG")
    make_purchase(partner, 12000, today - datetime.timedelta(days=30))
    make_certified_technician(partner)
    idle = make_partner("Ruhig AG", status=Partner.Status.SUSPENDED)

    response = run_action(staff_client, "evaluate_now", [partner, idle])

    partner.refresh_from_db()
    assert partner.tier == tiers["certified"]
    assert TierChange.objects.get(partner=partner).kind == TierChange.Kind.UPGRADE
    assert "Upgraded: Aufsteiger AG (Accredited Reseller → Certified Partner)." in messages_of(response)
    assert "Not evaluated, not active: Ruhig AG." in messages_of(response)


def test_evaluate_now_after_a_search_across_members(staff_client, make_partner, make_member, make_purchase, today):
    partner = make_partner("Gesucht AG")
    make_member(partner, email="anna@gesucht.example")
    make_member(partner, email="ben@gesucht.example")
    make_purchase(partner, 12000, today - datetime.timedelta(days=30))

    response = staff_client.post(
        url(Partner, "changelist") + "?q=gesucht.example",
        {"action": "evaluate_now", "select_across": "1", "_selected_action": [partner.pk]},
        follow=True,
    )

    assert "Evaluated 1 partner." in messages_of(response)


def test_actions_run_from_the_change_form(staff_client, make_partner, tiers):
    applicant = make_partner("Formular AG", status=Partner.Status.APPLIED)
    change_url = url(Partner, "change", applicant.pk)

    response = staff_client.post(
        change_url,
        {"CHANGE_FORM-action": "approve_application", "_selected_action": [applicant.pk], "index": "0"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(change_url)
    applicant.refresh_from_db()
    assert applicant.status == Partner.Status.ACTIVE

    nominate = {"CHANGE_FORM-action": "nominate", "_selected_action": [applicant.pk], "index": "0"}
    page = staff_client.post(change_url, nominate)
    assert 'name="CHANGE_FORM-action" value="nominate"' in page.text
    staff_client.post(change_url, {**nominate, "apply": "1", "reason": "Strategic."})
    assert Nomination.objects.get(partner=applicant).status == Nomination.Status.PENDING


# Distributors and territories --------------------------------------------------------


def distributor_data(name: str, territories, *, active: bool = True) -> dict:
    data = {"code": name.lower().replace(" ", "-"), "name": name, "territories": [t.pk for t in territories]}
    return data | {"is_active": "on"} if active else data


@pytest.fixture
def german_switzerland(make_territory):
    return make_territory("deutschschweiz", regions="ZH, BE, LU", name="German-speaking Switzerland")


def test_overlapping_distributor_is_refused(staff_client, make_distributor, make_territory, german_switzerland):
    make_distributor(name="Alpha Distribution", territories=[german_switzerland])
    zurich = make_territory("zurich", regions="ZH", name="Zürich")

    response = staff_client.post(url(Distributor, "add"), distributor_data("Beta Distribution", [zurich]))

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors["territories"]
    assert errors == ["Zürich is already served by Alpha Distribution (German-speaking Switzerland)."]
    assert not Distributor.objects.filter(name="Beta Distribution").exists()


def test_inactive_distributor_may_overlap(staff_client, make_distributor, german_switzerland):
    make_distributor(name="Alpha Distribution", territories=[german_switzerland])

    response = staff_client.post(
        url(Distributor, "add"), distributor_data("Dormant Distribution", [german_switzerland], active=False)
    )

    assert response.status_code == HTTPStatus.FOUND
    assert list(Distributor.objects.get(name="Dormant Distribution").territories.all()) == [german_switzerland]


def test_distributor_saved_once_through_the_service(
    staff_client, staff_user, make_distributor, make_territory, german_switzerland
):
    make_distributor(name="Alpha Distribution", territories=[german_switzerland])
    romandie = make_territory("romandie", regions="GE, VD", name="Romandie")

    response = staff_client.post(url(Distributor, "add"), distributor_data("Gamma Distribution", [romandie]))

    assert response.status_code == HTTPStatus.FOUND
    distributor = Distributor.objects.get(name="Gamma Distribution")
    assert list(distributor.territories.all()) == [romandie]
    assert distributor.history.filter(history_type="+").count() == 1
    assert {record.history_user for record in distributor.history.all()} == {staff_user}


def test_territory_regions_are_letters(staff_client):
    data = {"code": "ost", "name": "Ost", "country": "CH"}

    refused = staff_client.post(url(Territory, "add"), data | {"regions": "SG; TG, 4"})
    assert "Not valid: SG; TG, 4." in refused.context["adminform"].form.errors["regions"][0]

    assert staff_client.post(url(Territory, "add"), data | {"regions": "sg, tg,SG"}).status_code == HTTPStatus.FOUND
    assert Territory.objects.get(code="ost").regions == "SG, TG"


def test_territory_change_cannot_make_distributors_overlap(staff_client, make_distributor, make_territory):
    zurich = make_territory("zurich", regions="ZH", name="Zürich")
    geneva = make_territory("geneva", regions="GE", name="Genève")
    make_distributor(name="Alpha Distribution", territories=[zurich])
    make_distributor(name="Beta Distribution", territories=[geneva])
    page = staff_client.get(url(Territory, "change", geneva.pk))

    response = staff_client.post(url(Territory, "change", geneva.pk), form_data(page) | {"regions": "GE, ZH"})

    assert response.status_code == HTTPStatus.OK
    assert "Alpha Distribution (Zürich)" in str(response.context["adminform"].form.non_field_errors())
    geneva.refresh_from_db()
    assert geneva.regions == "GE"


# Tiers ------------------------------------------------------------------------------


def test_tier_must_not_require_less_than_a_lower_tier(staff_client, tiers):
    certified = tiers["certified"]
    page = staff_client.get(url(Tier, "change", certified.pk))

    response = staff_client.post(
        url(Tier, "change", certified.pk),
        form_data(page) | {"min_annual_volume": "500", "min_certified_technicians": "1"},
    )

    assert response.status_code == HTTPStatus.OK
    errors = response.context["adminform"].form.errors
    assert errors["min_annual_volume"] == [
        "Must be at least EUR 1,000: Accredited Reseller (rank 1) ranks lower and requires that much."
    ]
    certified.refresh_from_db()
    assert certified.min_annual_volume == Decimal("10000")


def test_tier_change_with_margin_bands_saves(staff_client, tiers):
    certified = tiers["certified"]
    page = staff_client.get(url(Tier, "change", certified.pk))

    response = staff_client.post(url(Tier, "change", certified.pk), form_data(page) | {"min_annual_volume": "12000"})

    assert response.status_code == HTTPStatus.FOUND
    certified.refresh_from_db()
    assert certified.min_annual_volume == Decimal("12000")


def test_margin_bands_are_added_not_edited(staff_client, tiers, today):
    certified = tiers["certified"]
    page = staff_client.get(url(Tier, "change", certified.pk))
    data = form_data(page)
    existing = certified.margin_bands.count()
    data |= {
        "margin_bands-0-margin_percent": "99",
        f"margin_bands-{existing}-min_volume": "0",
        f"margin_bands-{existing}-margin_percent": "25",
        f"margin_bands-{existing}-effective_from": today.isoformat(),
        "margin_bands-TOTAL_FORMS": str(existing + 1),
    }

    response = staff_client.post(url(Tier, "change", certified.pk), data)

    assert response.status_code == HTTPStatus.FOUND
    assert sorted(certified.margin_bands.values_list("margin_percent", flat=True)) == [24, 25, 27]


def test_nomination_tier_is_not_compared(staff_client, tiers):
    enterprise = tiers["enterprise"]
    page = staff_client.get(url(Tier, "change", enterprise.pk))

    response = staff_client.post(url(Tier, "change", enterprise.pk), form_data(page) | {"min_annual_volume": "0"})

    assert response.status_code == HTTPStatus.FOUND


# Read-only log and certifications ---------------------------------------------------


def test_tier_change_log_is_read_only(staff_client, add_unit):
    change = TierChange.objects.get(partner=add_unit())

    assert staff_client.get(url(TierChange, "add")).status_code == HTTPStatus.FORBIDDEN
    assert staff_client.get(url(TierChange, "change", change.pk)).status_code == HTTPStatus.OK
    assert staff_client.post(url(TierChange, "change", change.pk), {"reason": "x"}).status_code == HTTPStatus.FORBIDDEN
    assert staff_client.post(url(TierChange, "delete", change.pk), {"post": "yes"}).status_code == HTTPStatus.FORBIDDEN


def test_certification_validity_filter(staff_client, make_partner, make_certified_technician, today):
    partner = make_partner()
    expired = make_certified_technician(partner, expires_on=today - datetime.timedelta(days=1))
    expiring = make_certified_technician(partner, expires_on=today + datetime.timedelta(days=30))
    later = make_certified_technician(partner, expires_on=today + datetime.timedelta(days=300))

    def listed(validity: str) -> set[Certification]:
        return set(staff_client.get(url(Certification, "changelist"), {"validity": validity}).context["cl"].result_list)

    assert listed("expired") == {expired}
    assert listed("expiring") == {expiring}
    assert listed("current") == {expiring, later}
