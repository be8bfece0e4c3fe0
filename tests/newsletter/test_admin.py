"""Staff write, publish and test-send issues in admin, and see how many people received each."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from newsletter.models import Delivery, Issue


@pytest.fixture
def admin_client(client, staff_user, settings):
    settings.EXTRANET_REQUIRE_STAFF_MFA = False  # the MFA gate has its own tests
    client.force_login(staff_user)
    return client


def run_action(client, action: str, *issues, follow=True):
    return client.post(
        reverse("admin:newsletter_issue_changelist"),
        {"action": action, "_selected_action": [issue.pk for issue in issues]},
        follow=follow,
    )


def test_publish_now_queues_the_send_which_emails_the_members(
    admin_client, make_issue, make_partner, make_member, mailoutbox, immediate_tasks, django_capture_on_commit_callbacks
):
    partner = make_partner()
    members = [make_member(partner) for _ in range(2)]
    issue = make_issue(status=Issue.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = run_action(admin_client, "publish_now", issue)

    assert len(callbacks) == 1  # the send is queued once the release is committed
    assert "Sending in the background" in response.content.decode()
    assert sorted(message.to[0] for message in mailoutbox) == sorted(member.user.email for member in members)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.history.filter(status=Issue.Status.SCHEDULED).get().history_user.email == "staff@example.com"


def test_publish_now_brings_a_future_date_forward(
    admin_client, make_issue, today, immediate_tasks, django_capture_on_commit_callbacks
):
    issue = make_issue(status=Issue.Status.SCHEDULED, publish_on=today + datetime.timedelta(days=10))

    with django_capture_on_commit_callbacks(execute=True):
        run_action(admin_client, "publish_now", issue)

    issue.refresh_from_db()
    assert issue.publish_on == today
    assert issue.status == Issue.Status.SENT


def test_a_sent_issue_is_not_published_again(admin_client, make_issue, mailoutbox, django_capture_on_commit_callbacks):
    issue = make_issue("Old news", status=Issue.Status.SENT)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = run_action(admin_client, "publish_now", issue)

    assert "“Old news” has already been sent." in response.content.decode()
    assert callbacks == []
    assert mailoutbox == []


def test_send_test_to_me_emails_only_the_staff_member(
    admin_client, make_issue, make_partner, make_member, mailoutbox, staff_user
):
    make_member(make_partner())
    issue = make_issue("Spring prices", status=Issue.Status.DRAFT)

    response = run_action(admin_client, "send_test_to_me", issue)

    assert "Test of “Spring prices” sent to staff@example.com." in response.content.decode()
    [message] = mailoutbox
    assert message.to == [staff_user.email]
    assert message.subject == "[Test] Partner newsletter: Spring prices"
    assert "List-Unsubscribe" not in message.extra_headers
    assert not Delivery.objects.exists()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


@pytest.mark.parametrize("issues", [2, 12])
def test_changelist_counts_recipients_without_a_query_per_row(
    admin_client, make_issue, make_partner, make_member, issues, django_assert_max_num_queries
):
    people = [make_member(make_partner()).user for _ in range(3)]
    for number in range(issues):
        issue = make_issue(f"Issue {number}")
        Delivery.objects.create(issue=issue, user=people[0], status=Delivery.Status.SENT)
        Delivery.objects.create(issue=issue, user=people[1], status=Delivery.Status.SENT)
        Delivery.objects.create(issue=issue, user=people[2], status=Delivery.Status.FAILED)

    with django_assert_max_num_queries(14):
        response = admin_client.get(reverse("admin:newsletter_issue_changelist"))

    assert response.status_code == HTTPStatus.OK
    rows = list(response.context["cl"].result_list)
    assert {(row.recipients, row.failed) for row in rows} == {(2, 1)}
    assert "?issue__id__exact=" in response.content.decode()


@pytest.mark.parametrize("filters", [{"status__exact": "sent"}, {"language__exact": "de"}, {"q": "prices"}])
def test_changelist_filters_and_search(admin_client, make_issue, tiers, filters):
    make_issue("Spring prices", language="de")

    response = admin_client.get(
        reverse("admin:newsletter_issue_changelist"), {**filters, "min_tier__id__exact": tiers["accredited"].pk}
    )

    assert response.status_code == HTTPStatus.OK
    assert [row.subject for row in response.context["cl"].result_list] == ["Spring prices"]


def test_staff_write_a_scheduled_issue(admin_client, tiers, today, staff_user):
    response = admin_client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "subject": "Autumn news",
            "body": "Hello partners.",
            "language": "fr",
            "min_tier": tiers["certified"].pk,
            "publish_on": (today + datetime.timedelta(days=5)).isoformat(),
            "status": Issue.Status.SCHEDULED,
        },
    )

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    issue = Issue.objects.get()
    assert (issue.status, issue.language, issue.created_by) == (Issue.Status.SCHEDULED, "fr", staff_user)


def test_staff_cannot_mark_an_issue_sent_by_hand(admin_client, tiers, today):
    response = admin_client.post(
        reverse("admin:newsletter_issue_add"),
        {
            "subject": "Autumn news",
            "body": "Hello partners.",
            "language": "en",
            "min_tier": tiers["accredited"].pk,
            "publish_on": today.isoformat(),
            "status": Issue.Status.SENT,
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "status" in response.context["adminform"].form.errors
    assert not Issue.objects.exists()


def test_a_sent_issue_shows_its_deliveries_and_a_fixed_status(admin_client, make_issue, make_member, make_partner):
    issue = make_issue()
    Delivery.objects.create(issue=issue, user=make_member(make_partner()).user, status=Delivery.Status.SENT)

    response = admin_client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    assert response.status_code == HTTPStatus.OK
    assert "1 sent, 0 failed, 0 being sent" in response.content.decode()
    assert "status" not in response.context["adminform"].form.fields


def test_deliveries_are_listed_read_only(admin_client, make_issue, make_member, make_partner):
    issue = make_issue()
    delivery = Delivery.objects.create(issue=issue, user=make_member(make_partner()).user)

    listing = admin_client.get(reverse("admin:newsletter_delivery_changelist"), {"issue__id__exact": issue.pk})
    change = admin_client.get(reverse("admin:newsletter_delivery_change", args=[delivery.pk]))

    assert listing.status_code == HTTPStatus.OK
    assert list(listing.context["cl"].result_list) == [delivery]
    assert change.status_code == HTTPStatus.OK
    assert not change.context["has_change_permission"]


def test_staff_delete_a_draft_from_the_list(admin_client, make_issue):
    issue = make_issue(status=Issue.Status.DRAFT)

    response = admin_client.post(
        reverse("admin:newsletter_issue_changelist"),
        {"action": "delete_selected", "_selected_action": [issue.pk], "post": "yes"},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert not Issue.objects.exists()
