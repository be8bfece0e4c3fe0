"""Becoming a partner: the public application, the applicant's status page, approval and rejection."""

import re
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from partners.models import Language, Membership, Partner, Service
from partners.services import partner_approve, partner_reject
from partners.views import apply as apply_views

PASSWORD = "a-sturdy-Passphrase-2005"


@pytest.fixture
def application(db) -> dict:
    """What a company sends when every field is right."""
    return {
        "name": "Bergblick Informatik AG",
        "uid": "CHE-123.456.788",
        "street": "Bahnhofstrasse 1",
        "postcode": "8001",
        "city": "Zürich",
        "region": "zh",
        "country": "CH",
        "website": "https://bergblick.example",
        "phone": "+41 44 000 00 00",
        "email": "info@bergblick.example",
        "languages": [Language.objects.get(code="de").pk],
        "services": [Service.objects.get(code="installation").pk],
        "description": "IT for small businesses.",
        "directory_consent": "on",
        "first_name": "Beat",
        "last_name": "Brunner",
        "applicant_email": "beat@bergblick.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "en",
    }


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    """POST an application and run what the service sends once its transaction commits."""

    def send(data: dict, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("partners:apply"), data, **extra)

    return send


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*/accounts/confirm-email/\S+/|/accounts/confirm-email/\S+/)", message.body)[
        1
    ]


def test_the_form_shows_company_and_account_fields(client, db):
    response = client.get(reverse("partners:apply"))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for name in ["name", "uid", "region", "languages", "services", "applicant_email", "password1", "password2"]:
        assert f'name="{name}"' in html
    assert 'class="d-none"' in html, "the honeypot is hidden from people"


def test_an_application_creates_an_applied_partner_with_its_owner(
    apply, application, tiers, make_territory, make_distributor
):
    zurich = make_territory("deutschschweiz", regions="ZH, BE")
    distributor = make_distributor(territories=[zurich], name="Alpsec")

    response = apply(application)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("partners:apply") + "?sent=1"
    partner = Partner.objects.get(name="Bergblick Informatik AG")
    assert partner.status == Partner.Status.APPLIED
    assert partner.tier == tiers["accredited"]
    assert partner.slug == "bergblick-informatik-ag"
    assert partner.region == "ZH"
    assert (partner.territory, partner.distributor) == (zurich, distributor)
    assert list(partner.languages.values_list("code", flat=True)) == ["de"]
    owner = User.objects.get(email="beat@bergblick.example")
    assert owner.check_password(PASSWORD)
    assert (owner.first_name, owner.last_name) == ("Beat", "Brunner")
    assert owner.membership.partner == partner
    assert owner.membership.role == Membership.Role.OWNER
    assert not EmailAddress.objects.get(user=owner).verified


def test_the_applicant_receives_the_verification_email_and_sees_check_your_email(client, apply, application):
    response = apply(application)

    assert [message.to for message in mail.outbox] == [["beat@bergblick.example"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    page = client.get(response["Location"])
    assert "Check your email" in page.content.decode()
    assert "beat@bergblick.example" in page.content.decode()


def test_the_verification_email_is_in_the_applicants_language(apply, application):
    apply(application | {"language": "fr"})

    assert "/fr/accounts/confirm-email/" in mail.outbox[0].body


def test_a_region_not_listed_falls_back_to_the_territory_of_the_whole_country(apply, application, make_territory):
    make_territory("romandie", regions="VD, GE")
    switzerland = make_territory("suisse")

    apply(application | {"region": "TI"})

    assert Partner.objects.get().territory == switzerland


def test_slugs_stay_unique(apply, application, make_partner):
    Partner.objects.filter(pk=make_partner().pk).update(slug="bergblick-informatik-ag")

    apply(application)

    assert Partner.objects.filter(status=Partner.Status.APPLIED).get().slug == "bergblick-informatik-ag-2"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"uid": "123.456.789"}, "uid", "Use the format CHE-123.456.788."),
        ({"city": ""}, "city", "This field is required."),
        ({"website": "not a url"}, "website", "Enter a valid URL."),
        ({"email": "info@"}, "email", "Enter a valid email address."),
        ({"country": "XX"}, "country", "Select a valid choice."),
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"applicant_email": "beat"}, "applicant_email", "Enter a valid email address."),
        ({"password2": "something-else-2005"}, "password2", "The two passwords differ."),
        ({"password1": "12345", "password2": "12345"}, "password1", "This password is too short."),
        ({"password1": "password123", "password2": "password123"}, "password1", "This password is too common."),
        ({"language": "xx"}, "language", "Select a valid choice."),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_input_is_named_at_its_field_and_nothing_is_written(apply, application, changes, field, message):
    response = apply(application | changes)

    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert re.search(rf'<[^>]+name="{field}"[^>]*aria-invalid="true"', html)
    assert not Partner.objects.exists()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_registered_uid_is_refused_clearly(apply, application, make_partner):
    make_partner(uid="CHE-123.456.788")

    response = apply(application)

    assert "is registered already" in response.context["form"].errors["uid"][0]


def test_a_known_address_gets_the_same_answer_and_its_holder_an_email(client, apply, application, make_user):
    holder = make_user("Beat@Bergblick.example", language="de")
    fresh = apply(application | {"applicant_email": "new@bergblick.example", "uid": ""})
    Partner.objects.all().delete()
    User.objects.exclude(pk=holder.pk).delete()
    mail.outbox.clear()

    response = apply(application | {"applicant_email": "beat@bergblick.example"})

    # Same redirect and the same page as for an unknown address: nothing tells them apart.
    assert response.status_code == fresh.status_code == HTTPStatus.FOUND
    assert response["Location"] == fresh["Location"]
    assert "Check your email" in client.get(response["Location"]).content.decode()
    assert not Partner.objects.exists()
    assert User.objects.get() == holder
    assert [message.to for message in mail.outbox] == [[holder.email]]
    assert "/de/accounts/password/reset/" in mail.outbox[0].body


def test_a_filled_honeypot_looks_like_success_and_writes_nothing(apply, application):
    response = apply(application | {"homepage_url": "http://spam.example"})

    assert response["Location"] == reverse("partners:apply") + "?sent=1"
    assert not Partner.objects.exists()
    assert mail.outbox == []


def test_applications_are_rate_limited_per_address(apply, application, monkeypatch):
    monkeypatch.setattr(apply_views, "APPLY_LIMIT", 2)
    for number in range(2):
        data = application | {"applicant_email": f"person{number}@bergblick.example", "uid": ""}
        assert apply(data, REMOTE_ADDR="192.0.2.1").status_code == HTTPStatus.FOUND

    refused = apply(application | {"uid": ""}, REMOTE_ADDR="192.0.2.1")
    elsewhere = apply(application | {"uid": ""}, REMOTE_ADDR="192.0.2.2")

    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many applications" in refused.content.decode()
    assert refused["Retry-After"] == "3600"
    assert elsewhere.status_code == HTTPStatus.FOUND
    assert Partner.objects.count() == 3


def test_form_errors_do_not_use_up_the_rate_limit(apply, application, monkeypatch):
    monkeypatch.setattr(apply_views, "APPLY_LIMIT", 1)
    for _attempt in range(3):
        assert apply(application | {"password2": "typo"}).status_code == HTTPStatus.OK

    assert apply(application).status_code == HTTPStatus.FOUND


# After the application --------------------------------------------------------------


@pytest.fixture
def applicant(make_partner, make_member):
    partner = make_partner("Bergblick Informatik AG", status=Partner.Status.APPLIED)
    return make_member(partner, role=Membership.Role.OWNER, email="beat@bergblick.example").user


def test_a_verified_applicant_signs_in_and_sees_only_the_status_page(client, apply, application):
    apply(application)
    confirm = confirmation_link(mail.outbox[0])
    client.post(confirm)
    assert EmailAddress.objects.get(email="beat@bergblick.example").verified
    client.post(reverse("account_login"), {"login": "beat@bergblick.example", "password": PASSWORD})

    for name in ["partners:dashboard", "partners:team", "partners:settings"]:
        response = client.get(reverse(name))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == reverse("partners:application-status")
    status = client.get(reverse("partners:application-status"))
    assert status.status_code == HTTPStatus.OK
    assert "Application under review" in status.content.decode()
    assert 'aria-label="Extranet"' not in status.content.decode(), "no extranet navigation for applicants"


def test_a_rejected_applicant_sees_the_reason(client, applicant, staff_user):
    partner_reject(partner=applicant.membership.partner, reason="No IT business found.", actor=staff_user)
    client.force_login(applicant)

    html = client.get(reverse("partners:application-status")).content.decode()

    assert "Application not accepted" in html
    assert "No IT business found." in html


def test_the_status_page_sends_others_where_they_belong(client, make_partner, make_member, make_user):
    assert client.get(reverse("partners:application-status"))["Location"].startswith(reverse("account_login"))
    client.force_login(make_member(make_partner()).user)
    assert client.get(reverse("partners:application-status"))["Location"] == reverse("partners:dashboard")
    client.force_login(make_user())
    assert client.get(reverse("partners:application-status")).status_code == HTTPStatus.FORBIDDEN


def test_approval_welcomes_the_owner_in_their_language(applicant, staff_user, django_capture_on_commit_callbacks):
    applicant.language = "de"
    applicant.save()

    with django_capture_on_commit_callbacks(execute=True):
        partner_approve(partner=applicant.membership.partner, actor=staff_user)

    [message] = mail.outbox
    assert message.to == ["beat@bergblick.example"]
    assert "Accredited Reseller" in message.body
    assert "/de/accounts/login/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_rejection_needs_a_reason_and_emails_it(applicant, staff_user, django_capture_on_commit_callbacks):
    partner = applicant.membership.partner
    with pytest.raises(ValidationError, match="needs a reason"):
        partner_reject(partner=partner, reason="  ", actor=staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        partner_reject(partner=partner, reason="Not an IT reseller.", actor=staff_user)

    partner.refresh_from_db()
    assert (partner.status, partner.rejection_reason) == (Partner.Status.REJECTED, "Not an IT reseller.")
    assert partner.history.first().history_user == staff_user
    [message] = mail.outbox
    assert "Not an IT reseller." in message.body
    with pytest.raises(ValidationError, match="not an open application"):
        partner_reject(partner=partner, reason="Again.", actor=staff_user)


# The channel manager's admin ----------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user, settings):
    # Signing in with a second factor is the accounts app's subject, not this one's.
    settings.EXTRANET_REQUIRE_STAFF_MFA = False
    client.force_login(staff_user)
    return client


def test_admin_rejects_with_a_reason_form(staff_client, applicant, django_capture_on_commit_callbacks):
    client = staff_client
    partner = applicant.membership.partner
    url = reverse("admin:partners_partner_changelist")
    data = {"action": "reject_application", "_selected_action": [partner.pk]}

    asks = client.post(url, data)
    assert "Reject application" in asks.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data | {"apply": "1", "reason": "Outside our region."})

    partner.refresh_from_db()
    assert partner.status == Partner.Status.REJECTED
    assert "Outside our region." in mail.outbox[0].body


def test_admin_approval_emails_the_owner(staff_client, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:partners_partner_changelist"),
            {"action": "approve_application", "_selected_action": [applicant.membership.partner.pk]},
        )

    assert Partner.objects.get().status == Partner.Status.ACTIVE
    assert [message.to for message in mail.outbox] == [["beat@bergblick.example"]]


@pytest.mark.parametrize("status", [Partner.Status.APPLIED, Partner.Status.REJECTED])
def test_the_admin_form_cannot_make_an_applicant_active(staff_client, make_partner, status):
    partner = make_partner(status=status)

    form = staff_client.get(reverse("admin:partners_partner_change", args=[partner.pk])).context["adminform"].form

    choices = [value for value, _label in form.fields["status"].choices]
    assert Partner.Status.ACTIVE not in choices
    assert status in choices
