"""The partner's licence pages: list, request, renew, CSV export; scoped to the person's own partner."""

import csv
import datetime
import io
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from nfr.models import Licence
from partners.models import Partner

pytestmark = pytest.mark.django_db

LIST = reverse("nfr:licence-list")
REQUEST = reverse("nfr:licence-request")
EXPORT = reverse("nfr:licence-export")


def renew_url(licence) -> str:
    return reverse("nfr:licence-renew", args=[licence.pk])


@pytest.fixture
def their_licence(make_partner, make_member, nfr_product, make_licence, today):
    """Another partner's licence, due for renewal."""
    other = make_partner("Rhône Informatique Sàrl")
    expires_on = today + datetime.timedelta(days=5)
    return make_licence(
        other,
        nfr_product,
        issued_on=expires_on - datetime.timedelta(days=365),
        expires_on=expires_on,
        requested_by=make_member(other).user,
        key="AVW-9999-THEI-RKEY",
    )


# Access --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LIST, REQUEST, EXPORT, "/extranet/licences/1/renew/"])
def test_anonymous_visitors_go_to_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("path", [LIST, REQUEST, EXPORT])
def test_staff_without_a_partner_are_refused(client, staff_user, path):
    client.force_login(staff_user)

    assert client.get(path).status_code == HTTPStatus.FORBIDDEN


def test_members_of_a_suspended_partner_are_refused(member_client, member):
    Partner.objects.filter(pk=member.partner.pk).update(status=Partner.Status.SUSPENDED)

    assert member_client.get(LIST).status_code == HTTPStatus.FORBIDDEN


def test_the_list_never_shows_another_partners_keys(member_client, member, their_licence, nfr_product, make_licence):
    mine = make_licence(member.partner, nfr_product)

    response = member_client.get(LIST)

    assert mine.key in response.text
    assert their_licence.key not in response.text
    assert "Rhône" not in response.text
    assert [row.record for row in response.context["table"].rows] == [mine]


def test_renewing_another_partners_licence_is_not_found(member_client, their_licence):
    response = member_client.post(renew_url(their_licence))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Licence.objects.count() == 1


def test_an_unknown_licence_id_is_not_found_alike(member_client):
    assert member_client.post("/extranet/licences/999999/renew/").status_code == HTTPStatus.NOT_FOUND


def test_issued_panel_ignores_another_partners_licence(member_client, their_licence):
    response = member_client.get(LIST, {"issued": their_licence.pk})

    assert response.context["issued"] is None
    assert their_licence.key not in response.text


# The list ----------------------------------------------------------------------------


def test_list_shows_the_allowance_and_the_columns(member_client, member, nfr_product, make_licence, today):
    make_licence(member.partner, nfr_product, requested_by=member.user, key="AVW-1234-ABCD-EFGH")

    response = member_client.get(LIST)

    assert response.status_code == HTTPStatus.OK
    assert f"1 of 2 licences used in {today.year}." in response.text
    assert "A new request is issued at once, with its key." in response.text
    text = re.sub(r"\s+", " ", response.text)
    for expected in ["Anti-Virus Workstation", "AVW-1234-ABCD-EFGH", "Issued", "Simone"]:
        assert expected in text
    assert reverse("nfr:licence-request") in response.text


def test_list_shows_expired_licences_as_expired_with_a_renew_button(
    member_client, member, nfr_product, make_licence, today
):
    expired = make_licence(
        member.partner,
        nfr_product,
        issued_on=today - datetime.timedelta(days=400),
        expires_on=today - datetime.timedelta(days=35),
    )
    young = make_licence(member.partner, nfr_product)

    response = member_client.get(LIST)

    assert '<span class="badge text-bg-secondary">Expired</span>' in response.text
    assert f'action="{renew_url(expired)}"' in response.text
    assert f'action="{renew_url(young)}"' not in response.text


def test_renew_button_hidden_once_renewed(member_client, member, nfr_product, make_licence, today):
    old = make_licence(member.partner, nfr_product, issued_on=today - datetime.timedelta(days=400), expires_on=today)
    make_licence(member.partner, nfr_product, renewal_of=old)

    response = member_client.get(LIST)

    assert f'action="{renew_url(old)}"' not in response.text


@pytest.mark.parametrize(
    ("status", "expected"), [("current", "current"), ("expired", "expired"), ("pending", "pending"), ("", "all")]
)
def test_list_filters_by_status(member_client, member, nfr_product, make_licence, today, status, expected):
    licences = {
        "current": make_licence(member.partner, nfr_product),
        "expired": make_licence(
            member.partner,
            nfr_product,
            issued_on=today - datetime.timedelta(days=400),
            expires_on=today - datetime.timedelta(days=35),
        ),
        "pending": make_licence(member.partner, nfr_product, issued_on=None),
    }

    response = member_client.get(LIST, {"status": status})

    shown = {row.record for row in response.context["table"].rows}
    assert shown == (set(licences.values()) if expected == "all" else {licences[expected]})


def test_list_filters_by_product(member_client, member, nfr_product, make_product, make_licence):
    suite = make_product("Internet Security Suite")
    make_licence(member.partner, nfr_product)
    wanted = make_licence(member.partner, suite)

    response = member_client.get(LIST, {"product": suite.pk})

    assert [row.record for row in response.context["table"].rows] == [wanted]


def test_list_sorts_by_product(member_client, member, nfr_product, make_product, make_licence):
    suite = make_product("Internet Security Suite")
    make_licence(member.partner, suite)
    make_licence(member.partner, nfr_product)

    ascending = member_client.get(LIST, {"sort": "product"})
    descending = member_client.get(LIST, {"sort": "-product"})

    assert [row.record.product.name for row in ascending.context["table"].rows] == [
        "Anti-Virus Workstation",
        "Internet Security Suite",
    ]
    assert [row.record.product.name for row in descending.context["table"].rows][0] == "Internet Security Suite"


def test_list_is_paginated(member_client, member, nfr_product, make_licence):
    for _ in range(30):
        make_licence(member.partner, nfr_product, issued_on=None)

    first = member_client.get(LIST)
    second = member_client.get(LIST, {"page": 2})

    assert len(first.context["table"].page.object_list) == 25
    assert len(second.context["table"].page.object_list) == 5


@pytest.mark.parametrize("rows", [2, 40])
def test_list_queries_do_not_grow_with_licences(
    member_client, member, nfr_product, make_product, make_licence, django_assert_max_num_queries, rows, today
):
    for number in range(rows):
        product = nfr_product if number % 2 else make_product()
        make_licence(
            member.partner,
            product,
            requested_by=member.user,
            issued_on=today - datetime.timedelta(days=350),
        )
    # Session, user, membership (and the site's per-request membership check): 4; allowance, product
    # choices, count, page of licences: 4; session save with its savepoint: 3.
    with django_assert_max_num_queries(11):
        response = member_client.get(LIST)
    assert response.status_code == HTTPStatus.OK


# Requesting --------------------------------------------------------------------------


def test_request_page_says_the_licence_is_issued_at_once(member_client, today):
    response = member_client.get(REQUEST)

    assert f"0 of 2 licences used in {today.year}." in response.text
    assert "A new request is issued at once, with its key." in response.text


def test_request_page_says_the_request_goes_to_approval(member_client, member, nfr_product, make_licence, today):
    make_licence(member.partner, nfr_product)
    make_licence(member.partner, nfr_product)

    response = member_client.get(REQUEST)

    assert f"2 of 2 licences used in {today.year}." in response.text
    assert "A new request goes to a channel manager for approval." in response.text


def test_request_form_offers_only_active_nfr_products(member_client, nfr_product, make_product):
    make_product("Mail Gateway", nfr_available=False)
    make_product("Old Suite", is_active=False)

    response = member_client.get(REQUEST)

    assert list(response.context["form"].fields["product"].queryset) == [nfr_product]


def test_request_issues_and_shows_the_key(member_client, member, nfr_product):
    response = member_client.post(REQUEST, {"product": nfr_product.pk, "purpose": "Showroom PC"}, follow=True)

    licence = Licence.objects.get()
    assert (licence.status, licence.requested_by, licence.partner) == (
        Licence.Status.ISSUED,
        member.user,
        member.partner,
    )
    assert response.redirect_chain == [(f"{LIST}?issued={licence.pk}", HTTPStatus.FOUND)]
    assert response.context["issued"] == licence
    assert f'<code id="new-licence-key" class="fs-4 user-select-all text-break">{licence.key}</code>' in response.text
    assert "Your NFR licence for Anti-Virus Workstation is issued." in response.text


def test_request_beyond_the_allowance_waits_for_approval(member_client, member, nfr_product, make_licence):
    make_licence(member.partner, nfr_product)
    make_licence(member.partner, nfr_product)

    response = member_client.post(REQUEST, {"product": nfr_product.pk, "purpose": "Third lab PC"}, follow=True)

    assert Licence.objects.pending().get().purpose == "Third lab PC"
    assert response.redirect_chain == [(LIST, HTTPStatus.FOUND)]
    assert "awaits a channel manager&#x27;s approval" in response.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"purpose": "Lab"}, "product", "Choose the product you need a licence for."),
        ({"product": "not-nfr", "purpose": "Lab"}, "product", "This product is not offered as an NFR licence"),
        ({"product": "nfr"}, "purpose", "Say what the licence is for."),
        ({"product": "nfr", "purpose": "   "}, "purpose", "Say what the licence is for."),
    ],
)
def test_request_form_names_what_is_wrong(member_client, nfr_product, make_product, data, field, message):
    not_nfr = make_product("Mail Gateway", nfr_available=False)
    data = {**data}
    if "product" in data:
        data["product"] = {"nfr": nfr_product, "not-nfr": not_nfr}[data["product"]].pk

    response = member_client.post(REQUEST, data)

    assert response.status_code == HTTPStatus.OK
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.text
    assert not Licence.objects.exists()


def test_service_refusal_shows_in_the_form(member_client, nfr_product, make_product, monkeypatch):
    """A refusal the form cannot see (the key format is exhausted) is shown, and nothing is written."""
    tiny = make_product("Tiny", licence_key_format="T-#")
    monkeypatch.setattr("nfr.keys.ATTEMPTS", 0)

    response = member_client.post(REQUEST, {"product": tiny.pk, "purpose": "Lab"})

    assert response.status_code == HTTPStatus.OK
    assert "No unused licence key left in the format T-#" in response.text
    assert not Licence.objects.exists()


# Renewing ----------------------------------------------------------------------------


def test_renew_issues_a_new_licence(member_client, member, nfr_product, make_licence, today):
    old = make_licence(member.partner, nfr_product, issued_on=today - datetime.timedelta(days=400), expires_on=today)

    response = member_client.post(renew_url(old), follow=True)

    renewal = Licence.objects.get(renewal_of=old)
    assert renewal.status == Licence.Status.ISSUED
    assert response.redirect_chain == [(f"{LIST}?issued={renewal.pk}", HTTPStatus.FOUND)]
    assert renewal.key in response.text


def test_renew_too_early_is_explained(member_client, member, nfr_product, make_licence):
    young = make_licence(member.partner, nfr_product)

    response = member_client.post(renew_url(young), follow=True)

    assert "can be renewed from" in response.text
    assert Licence.objects.count() == 1


def test_renew_needs_post(member_client, member, nfr_product, make_licence):
    licence = make_licence(member.partner, nfr_product)

    assert member_client.get(renew_url(licence)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# CSV export --------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_lists_the_partners_licences_as_an_attachment(
    member_client, member, nfr_product, make_licence, their_licence, today
):
    licence = make_licence(member.partner, nfr_product, requested_by=member.user, key="AVW-1234-ABCD-EFGH")
    make_licence(member.partner, nfr_product, issued_on=None, requested_by=member.user)

    response = member_client.get(EXPORT)

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="nfr-licences-{member.partner.slug}.csv"'
    rows = read_csv(response)
    assert rows[0] == ["Product", "Licence key", "Issued", "Expires", "Status", "Requested by"]
    assert sorted(rows[1:]) == [
        ["Anti-Virus Workstation", "", "", "", "Awaiting approval", "Simone"],
        [
            "Anti-Virus Workstation",
            "AVW-1234-ABCD-EFGH",
            licence.issued_on.isoformat(),
            licence.expires_on.isoformat(),
            "Issued",
            "Simone",
        ],
    ]
    assert their_licence.key not in response.content.decode()


def test_export_follows_the_lists_filters(member_client, member, nfr_product, make_licence):
    make_licence(member.partner, nfr_product)
    make_licence(member.partner, nfr_product, issued_on=None)

    rows = read_csv(member_client.get(EXPORT, {"status": "pending"}))

    assert [row[4] for row in rows[1:]] == ["Awaiting approval"]


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\tTab", "\rReturn"])
def test_export_defuses_spreadsheet_formulas(member_client, member, make_product, make_licence, make_user, dangerous):
    product = make_product(dangerous)
    make_licence(member.partner, product, requested_by=make_user(first_name=dangerous, last_name=""))

    rows = read_csv(member_client.get(EXPORT))

    assert rows[1][0] == "'" + dangerous
    # A person's full name is stripped of surrounding whitespace anyway.
    assert rows[1][5] == ("'" + dangerous if dangerous == dangerous.strip() else dangerous.strip())


def test_export_leaves_harmless_cells_alone(member_client, member, make_product, make_licence):
    make_licence(member.partner, make_product("Zürich Suite 2005 = best"))

    rows = read_csv(member_client.get(EXPORT))

    assert rows[1][0] == "Zürich Suite 2005 = best"


@pytest.mark.parametrize("rows", [2, 40])
def test_export_queries_do_not_grow_with_licences(
    member_client, member, nfr_product, make_product, make_licence, django_assert_max_num_queries, rows
):
    for number in range(rows):
        make_licence(member.partner, nfr_product if number % 2 else make_product(), requested_by=member.user)
    # Session, user, membership (and the site's per-request membership check): 4; licences: 1;
    # session save with its savepoint: 3.
    with django_assert_max_num_queries(8):
        response = member_client.get(EXPORT)
    assert len(read_csv(response)) == rows + 1


def test_export_follows_the_lists_sort_order(member_client, member, nfr_product, make_product, make_licence):
    make_licence(member.partner, make_product("Internet Security Suite"))
    make_licence(member.partner, nfr_product)

    rows = read_csv(member_client.get(EXPORT, {"sort": "-product"}))

    assert [row[0] for row in rows[1:]] == ["Internet Security Suite", "Anti-Virus Workstation"]


def test_export_with_an_unknown_product_filter_exports_nothing(member_client, member, nfr_product, make_licence):
    make_licence(member.partner, nfr_product)

    rows = read_csv(member_client.get(EXPORT, {"product": "999999"}))

    assert rows == [["Product", "Licence key", "Issued", "Expires", "Status", "Requested by"]]
