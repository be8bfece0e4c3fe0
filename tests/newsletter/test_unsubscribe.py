"""One-click unsubscribe: no login, a signed link, and nobody can unsubscribe somebody else."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from newsletter.access import unsubscribe_token
from newsletter.models import Issue
from newsletter.services import issue_deliver


@pytest.fixture
def member(make_partner, make_member):
    return make_member(make_partner(), email="reader@partner.example")


def unsubscribe_url(membership) -> str:
    return reverse("newsletter:unsubscribe", kwargs={"token": unsubscribe_token(membership)})


def test_the_link_asks_first_without_a_login(client, member):
    response = client.get(unsubscribe_url(member))

    assert response.status_code == HTTPStatus.OK
    assert "reader@partner.example" in response.content.decode()
    member.refresh_from_db()
    assert member.receives_newsletter  # a link scanner following the link unsubscribes nobody


def test_one_click_unsubscribes_without_a_login_or_csrf_token(member):
    # RFC 8058: the mail provider posts "List-Unsubscribe=One-Click", with no cookie and no CSRF token.
    client = Client(enforce_csrf_checks=True)

    response = client.post(unsubscribe_url(member), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == HTTPStatus.OK
    assert "no longer receives" in response.content.decode()
    member.refresh_from_db()
    assert not member.receives_newsletter


def test_an_unsubscribed_member_gets_no_more_issues(client, member, make_issue, mailoutbox):
    client.post(unsubscribe_url(member))

    issue_deliver(issue_id=make_issue(status=Issue.Status.SCHEDULED).pk)

    assert mailoutbox == []


def test_the_link_from_the_email_works(client, member, make_issue, mailoutbox, settings):
    settings.EXTRANET_BASE_URL = "http://testserver"
    issue_deliver(issue_id=make_issue(status=Issue.Status.SCHEDULED).pk)
    link = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")

    client.post(link.removeprefix("http://testserver"))

    member.refresh_from_db()
    assert not member.receives_newsletter


def test_a_second_visit_says_so(client, member):
    client.post(unsubscribe_url(member))

    response = client.get(unsubscribe_url(member))

    assert "does not receive" in response.content.decode()
    assert b'<button type="submit"' not in response.content


@pytest.mark.parametrize("tamper", ["swap_member", "change_signature", "garbage"])
def test_altered_links_are_refused(client, member, make_member, tamper):
    other = make_member(member.partner, email="other@partner.example")
    token = unsubscribe_token(member)
    forged = {
        "swap_member": f"{other.pk}:{token.split(':', 1)[1]}",
        "change_signature": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "garbage": "1",
    }[tamper]

    response = client.post(reverse("newsletter:unsubscribe", kwargs={"token": forged}))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "not valid" in response.content.decode()
    for membership in (member, other):
        membership.refresh_from_db()
        assert membership.receives_newsletter


def test_a_link_for_an_ended_membership_is_refused(client, member):
    url = unsubscribe_url(member)
    member.delete()

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_token_signed_for_something_else_is_refused(client, member):
    from django.core import signing

    token = signing.Signer(salt="some.other.purpose").sign(str(member.pk))

    assert client.post(reverse("newsletter:unsubscribe", kwargs={"token": token})).status_code == HTTPStatus.NOT_FOUND
