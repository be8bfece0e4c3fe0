"""The archive and an issue in the extranet: the tier decides what a partner may read."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from newsletter.access import access_issue_for_user
from newsletter.models import Issue
from partners.models import Partner

TIERS = ["accredited", "certified", "enterprise"]


@pytest.fixture
def member_client(client, make_partner, make_member):
    def sign_in(tier: str = "accredited", **partner_fields):
        membership = make_member(make_partner(tier=tier, **partner_fields))
        client.force_login(membership.user)
        return client

    return sign_in


def test_archive_lists_readable_issues_newest_first_in_every_language(member_client, make_issue, today):
    older = make_issue("Older", publish_on=today - datetime.timedelta(days=60))
    german = make_issue("Neuer", language="de", publish_on=today - datetime.timedelta(days=3))
    released_today = make_issue("Released today", status=Issue.Status.SCHEDULED, publish_on=today)
    make_issue("Certified only", tier="certified")
    make_issue("Draft", status=Issue.Status.DRAFT)
    make_issue("Next month", status=Issue.Status.SCHEDULED, publish_on=today + datetime.timedelta(days=30))

    response = member_client().get(reverse("newsletter:issue-list"))

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["issues"]) == [released_today, german, older]
    assert b'lang="de"' in response.content
    assert b"German" in response.content  # the language badge


def test_certified_partner_reads_certified_issues_with_their_tier_badge(member_client, make_issue):
    make_issue("For everybody")
    make_issue("Certified only", tier="certified")
    make_issue("Enterprise only", tier="enterprise")

    response = member_client("certified").get(reverse("newsletter:issue-list"))

    assert [issue.subject for issue in response.context["issues"]] == ["Certified only", "For everybody"]
    assert "Certified Partner and above" in response.content.decode()


def test_archive_filters_by_language(member_client, make_issue):
    make_issue("English")
    french = make_issue("Français", language="fr")

    response = member_client().get(reverse("newsletter:issue-list"), {"language": "fr"})

    assert list(response.context["issues"]) == [french]
    assert 'aria-current="page" href="?language=fr"' in response.content.decode()


def test_an_unknown_language_is_named_in_the_message(member_client, make_issue):
    make_issue()

    response = member_client().get(reverse("newsletter:issue-list"), {"language": "xx"})

    assert response.status_code == HTTPStatus.OK
    assert list(response.context["issues"]) == []
    assert "xx is not one of the available choices" in response.content.decode()


def test_archive_is_paginated(member_client, make_issue, today):
    for day in range(12):
        make_issue(f"Issue of day {day}", publish_on=today - datetime.timedelta(days=day + 1))
    client = member_client()

    first = client.get(reverse("newsletter:issue-list"))
    second = client.get(reverse("newsletter:issue-list"), {"page": 2})

    assert len(first.context["issues"]) == 10
    assert [issue.subject for issue in second.context["issues"]] == ["Issue of day 10", "Issue of day 11"]
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("issues", [3, 25])
def test_archive_queries_do_not_grow_with_issues(member_client, make_issue, issues, django_assert_max_num_queries):
    for number in range(issues):
        make_issue(f"Issue {number}", tier=TIERS[number % 2])
    client = member_client("certified")

    # Session, user, membership (the MFA gate and the partner gate), count, issues, session save.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("newsletter:issue-list"))

    assert response.status_code == HTTPStatus.OK


def test_member_reads_an_issue(member_client, make_issue, django_assert_max_num_queries):
    issue = make_issue("Spring prices", body="Prices & terms.\n\nSecond paragraph.")
    client = member_client()

    with django_assert_max_num_queries(10):
        response = client.get(reverse("newsletter:issue-detail", kwargs={"pk": issue.pk}))

    assert response.status_code == HTTPStatus.OK
    assert "<p>Prices &amp; terms.</p>" in response.content.decode()
    assert "Spring prices" in response.content.decode()


@pytest.mark.parametrize(
    ("reader", "minimum", "readable"),
    [(reader, minimum, TIERS.index(reader) >= TIERS.index(minimum)) for reader in TIERS for minimum in TIERS],
)
def test_the_tier_decides_who_opens_an_issue(member_client, make_issue, reader, minimum, readable):
    issue = make_issue(tier=minimum)

    response = member_client(reader).get(reverse("newsletter:issue-detail", kwargs={"pk": issue.pk}))

    assert response.status_code == (HTTPStatus.OK if readable else HTTPStatus.NOT_FOUND)


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Issue.Status.DRAFT},
        {"status": Issue.Status.SCHEDULED, "publish_on": datetime.date.today() + datetime.timedelta(days=7)},
    ],
    ids=["draft", "future"],
)
def test_unpublished_issues_answer_404(member_client, make_issue, hidden):
    issue = make_issue(**hidden)

    response = member_client("enterprise").get(reverse("newsletter:issue-detail", kwargs={"pk": issue.pk}))

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_missing_issue_answers_404(member_client):
    response = member_client().get(reverse("newsletter:issue-detail", kwargs={"pk": 999999}))

    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("name", ["newsletter:issue-list", "newsletter:issue-detail"])
def test_anonymous_visitors_go_to_the_login_page(client, make_issue, name):
    issue = make_issue()
    url = reverse(name, kwargs={"pk": issue.pk} if name.endswith("detail") else {})

    response = client.get(url)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_without_a_partner_are_refused(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("newsletter:issue-list")).status_code == HTTPStatus.FORBIDDEN


def test_members_of_a_suspended_partner_are_refused(member_client, make_issue):
    issue = make_issue()
    client = member_client(status=Partner.Status.SUSPENDED)

    assert client.get(reverse("newsletter:issue-list")).status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("newsletter:issue-detail", kwargs={"pk": issue.pk})).status_code == HTTPStatus.FORBIDDEN


def test_access_refuses_people_without_an_active_partner(make_issue, make_member, make_partner, make_user):
    from django.http import Http404

    issue = make_issue()
    ended = make_member(make_partner(status=Partner.Status.ENDED))

    for person in [make_user(), ended.user]:
        with pytest.raises(Http404):
            access_issue_for_user(person, issue.pk)
