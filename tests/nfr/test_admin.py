"""Channel managers decide on licence requests in admin: approve, reject with a reason, read the history."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nfr.models import Licence

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:nfr_licence_changelist")


@pytest.fixture
def staff_client(client, staff_user, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = False  # the MFA gate has its own tests
    client.force_login(staff_user)
    return client


@pytest.fixture
def waiting(member, nfr_product, make_licence):
    """Two issued licences use the Accredited allowance; the third request waits."""
    make_licence(member.partner, nfr_product, requested_by=member.user)
    make_licence(member.partner, nfr_product, requested_by=member.user)
    return make_licence(member.partner, nfr_product, issued_on=None, requested_by=member.user, purpose="Lab three")


def run_action(client, action: str, licences, **extra):
    data = {"action": action, "_selected_action": [licence.pk for licence in licences], **extra}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_changelist_shows_the_waiting_requests_first_with_their_count(staff_client, waiting):
    response = staff_client.get(CHANGELIST)

    assert response.status_code == HTTPStatus.OK
    assert "Awaiting approval (1)" in response.text
    assert response.context["cl"].result_list[0] == waiting


@pytest.mark.parametrize(
    ("decision", "expected"), [("pending", {"waiting"}), ("current", {"issued"}), ("expired", {"old"})]
)
def test_status_filter(staff_client, member, nfr_product, make_licence, today, decision, expected):
    licences = {
        "waiting": make_licence(member.partner, nfr_product, issued_on=None),
        "issued": make_licence(member.partner, nfr_product),
        "old": make_licence(
            member.partner,
            nfr_product,
            issued_on=today - datetime.timedelta(days=500),
            expires_on=today - datetime.timedelta(days=135),
        ),
    }

    response = staff_client.get(CHANGELIST, {"decision": decision})

    assert set(response.context["cl"].result_list) == {licences[name] for name in expected}


def test_year_filter(staff_client, member, nfr_product, make_licence, today):
    last_year = today.replace(year=today.year - 1, month=6, day=1)
    old = make_licence(member.partner, nfr_product, issued_on=last_year)
    make_licence(member.partner, nfr_product)

    response = staff_client.get(CHANGELIST, {"year": str(last_year.year)})

    assert list(response.context["cl"].result_list) == [old]


def test_tier_filter_and_search_by_key(staff_client, member, make_partner, nfr_product, make_licence, tiers):
    mine = make_licence(member.partner, nfr_product, key="AVW-1111-FIND-MEEE")
    theirs = make_licence(make_partner(tier="certified"), nfr_product)

    by_tier = staff_client.get(CHANGELIST, {"partner__tier__id__exact": tiers["certified"].pk})
    by_key = staff_client.get(CHANGELIST, {"q": "FIND-MEEE"})
    by_partner = staff_client.get(CHANGELIST, {"q": "Limmat"})

    assert list(by_tier.context["cl"].result_list) == [theirs]
    assert list(by_key.context["cl"].result_list) == [mine]
    assert list(by_partner.context["cl"].result_list) == [mine]


def test_approve_issues_beyond_the_allowance_and_emails(
    staff_client, staff_user, waiting, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(staff_client, "approve", [waiting])

    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by) == (Licence.Status.ISSUED, staff_user)
    assert waiting.key
    assert "Approved and issued: Anti-Virus Workstation (Limmat Informatik GmbH)." in messages_of(response)
    assert [email.to for email in mailoutbox] == [[member.user.email]]


def test_approving_a_decided_licence_is_a_message_not_an_error_page(staff_client, waiting, mailoutbox):
    issued = Licence.objects.issued().first()

    response = run_action(staff_client, "approve", [issued, waiting])

    assert response.status_code == HTTPStatus.OK
    assert (
        "The request of Limmat Informatik GmbH for Anti-Virus Workstation is not awaiting approval; it is issued."
        in messages_of(response)
    )
    assert "Approved and issued: Anti-Virus Workstation (Limmat Informatik GmbH)." in messages_of(response)


def test_reject_asks_for_a_reason_first(staff_client, waiting, mailoutbox):
    page = run_action(staff_client, "reject", [waiting])

    assert page.templates[0].name == "admin/nfr/licence/action_reason.html"
    assert "Lab three" in page.text

    response = run_action(staff_client, "reject", [waiting], apply="1", reason="  ")

    assert response.context["form"].errors == {"reason": ["This field is required."]}
    waiting.refresh_from_db()
    assert waiting.status == Licence.Status.PENDING
    assert not mailoutbox


def test_reject_with_a_reason_emails_it(
    staff_client, staff_user, waiting, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(staff_client, "reject", [waiting], apply="1", reason="Use the demo cloud instead.")

    assert response.redirect_chain[-1][0].endswith(CHANGELIST)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.rejection_reason, waiting.decided_by) == (
        Licence.Status.REJECTED,
        "Use the demo cloud instead.",
        staff_user,
    )
    assert "Rejected: Anti-Virus Workstation (Limmat Informatik GmbH)." in messages_of(response)
    (email,) = mailoutbox
    assert "Use the demo cloud instead." in email.body


def test_actions_run_from_the_change_form(staff_client, waiting):
    change_url = reverse("admin:nfr_licence_change", args=[waiting.pk])

    page = staff_client.get(change_url)
    assert page.status_code == HTTPStatus.OK
    staff_client.post(change_url, {"CHANGE_FORM-action": "approve", "_selected_action": [waiting.pk], "index": "0"})

    waiting.refresh_from_db()
    assert waiting.status == Licence.Status.ISSUED


def test_history_records_the_decision(staff_client, staff_user, waiting):
    run_action(staff_client, "approve", [waiting])

    response = staff_client.get(reverse("admin:nfr_licence_history", args=[waiting.pk]))

    assert response.status_code == HTTPStatus.OK
    latest = waiting.history.first()
    assert (latest.history_user, latest.history_change_reason, latest.status) == (staff_user, "approved", "issued")


def test_licences_are_not_added_by_hand(staff_client):
    assert staff_client.get(reverse("admin:nfr_licence_add")).status_code == HTTPStatus.FORBIDDEN


def test_changelist_queries_do_not_grow_with_licences(
    staff_client, make_partner, nfr_product, make_product, make_licence
):
    def add(count: int):
        for _ in range(count):
            partner = make_partner()
            make_licence(partner, make_product())
            make_licence(partner, nfr_product, issued_on=None)

    add(1)
    staff_client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(CHANGELIST)
    add(10)
    with CaptureQueriesContext(connection) as many:
        assert staff_client.get(CHANGELIST).status_code == HTTPStatus.OK
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
