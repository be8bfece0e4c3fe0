"""Channel managers export contact requests from admin; the file is safe to open in a spreadsheet."""

import csv
import io
from http import HTTPStatus

import pytest
from django.urls import reverse

from directory.models import ContactRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests_of_two_partners(make_partner):
    certified = make_partner("Rigi Security AG", tier="certified")
    enterprise = make_partner("Aaregarde Security AG", tier="enterprise")
    ContactRequest.objects.create(
        partner=certified, name="Anna", email="anna@example.com", message='=HYPERLINK("http://evil")', language="de"
    )
    ContactRequest.objects.create(
        partner=enterprise,
        name="Ben",
        email="ben@example.com",
        message="900 seats next year",
        language="en",
        handled=True,
    )


def export(client, **query) -> list[dict]:
    url = reverse("admin:directory_contactrequest_export")
    page = client.get(url, query)
    assert page.status_code == HTTPStatus.OK
    assert b"onchange=" not in page.content  # the CSP would block it: the plain export form has none
    response = client.post(
        url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""), {"format": "0", "resource": "0"}
    )
    assert response.status_code == HTTPStatus.OK, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_holds_the_requests_the_list_shows(admin_client, requests_of_two_partners):
    rows = export(admin_client, status="all")

    assert list(rows[0]) == [
        "received",
        "partner",
        "partner level",
        "name",
        "email address",
        "company",
        "language",
        "message",
        "handled",
    ]
    assert sorted(row["partner"] for row in rows) == ["Aaregarde Security AG", "Rigi Security AG"]
    assert {row["partner level"] for row in rows} == {"Certified Partner", "Enterprise Solution Partner"}
    assert {(row["language"], row["handled"]) for row in rows} == {("German", "no"), ("English", "yes")}
    assert all(row["received"].endswith(("CET", "CEST")) for row in rows)


def test_export_escapes_what_a_spreadsheet_would_run(admin_client, requests_of_two_partners):
    url = reverse("admin:directory_contactrequest_export") + "?status=all"
    response = admin_client.post(url, {"format": "0", "resource": "0"})

    messages = [row["message"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))]
    assert "900 seats next year" in messages
    assert not [message for message in messages if message.startswith("=")]


def test_export_follows_the_list_filter(admin_client, requests_of_two_partners):
    rows = export(admin_client)  # open requests only, as the list shows by default

    assert [row["name"] for row in rows] == ["Anna"]


def test_staff_without_view_permission_cannot_export(client, make_user, requests_of_two_partners):
    client.force_login(make_user("clerk@example.com", is_staff=True))

    response = client.get(reverse("admin:directory_contactrequest_export"))

    assert response.status_code == HTTPStatus.FORBIDDEN
