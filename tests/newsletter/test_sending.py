"""Sending an issue: who gets it, what it looks like, and that nobody ever gets it twice."""

import datetime
import email.policy
import re
from smtplib import SMTPException

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from newsletter.models import Delivery, Issue
from newsletter.services import issue_deliver, issue_publish
from partners.models import Partner


class Crash(BaseException):
    """The worker process dies: nothing after this line of the send runs."""


@pytest.fixture
def accredited(make_partner):
    return make_partner("Accredited AG")


@pytest.fixture
def certified(make_partner):
    return make_partner("Certified SA", tier="certified")


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_each_eligible_member_gets_one_email(make_issue, make_partner, make_member, accredited, certified, mailoutbox):
    reader = make_member(accredited, email="reader@accredited.example")
    colleague = make_member(accredited, email="colleague@accredited.example")
    higher = make_member(certified, email="reader@certified.example")
    make_member(accredited, email="german@accredited.example", language="de")
    opted_out = make_member(accredited, email="quiet@accredited.example")
    opted_out.receives_newsletter = False
    opted_out.save()
    for status in [Partner.Status.APPLIED, Partner.Status.SUSPENDED, Partner.Status.ENDED, Partner.Status.REJECTED]:
        make_member(make_partner(status=status), email=f"{status}@elsewhere.example")
    issue = make_issue(status=Issue.Status.SCHEDULED)

    report = issue_deliver(issue_id=issue.pk)

    assert recipients(mailoutbox) == sorted([reader.user.email, colleague.user.email, higher.user.email])
    assert (report.recipients, report.sent, report.failed, report.skipped) == (3, 3, 0, 0)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.sent_at is not None
    assert set(issue.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_an_issue_for_certified_partners_skips_accredited_ones(
    make_issue, make_member, accredited, certified, make_partner, mailoutbox
):
    make_member(accredited, email="reader@accredited.example")
    make_member(certified, email="reader@certified.example")
    make_member(make_partner(tier="enterprise"), email="reader@enterprise.example")

    issue_deliver(issue_id=make_issue(tier="certified", status=Issue.Status.SCHEDULED).pk)

    assert recipients(mailoutbox) == ["reader@certified.example", "reader@enterprise.example"]


@pytest.mark.parametrize("status", [Issue.Status.DRAFT, Issue.Status.SENT])
def test_drafts_and_sent_issues_are_not_sent(make_issue, make_member, accredited, mailoutbox, status):
    make_member(accredited)

    report = issue_deliver(issue_id=make_issue(status=status).pk)

    assert not report.started
    assert mailoutbox == []


def test_a_scheduled_issue_waits_for_its_publish_date(make_issue, make_member, accredited, mailoutbox, today):
    make_member(accredited)
    issue = make_issue(status=Issue.Status.SCHEDULED, publish_on=today + datetime.timedelta(days=1))

    assert not issue_deliver(issue_id=issue.pk).started
    assert issue_deliver(issue_id=issue.pk, on=today + datetime.timedelta(days=1)).sent == 1


def test_the_email_has_text_and_html_and_a_one_click_unsubscribe(
    make_issue, make_member, accredited, mailoutbox, settings
):
    settings.EXTRANET_BASE_URL = "https://partners.example.com"
    make_member(accredited, email="reader@accredited.example")
    issue = make_issue(
        "Spring prices",
        body="Prices & terms.\n\nSee https://vendor.example/prices for details.",
        status=Issue.Status.DRAFT,
    )

    issue_publish(issue=issue, actor=None)
    issue_deliver(issue_id=issue.pk)

    [message] = mailoutbox
    assert message.subject == "Partner newsletter: Spring prices"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Prices &amp; terms.</p>" in html
    assert '<a href="https://vendor.example/prices"' in html
    assert "Prices & terms." in message.body
    unsubscribe = re.fullmatch(
        r"<(https://partners\.example\.com/extranet/newsletter/unsubscribe/[^/]+/)>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert unsubscribe, message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On the wire the URL stays one line: Python would otherwise fold it into unreadable encoded words.
    wire = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"\r\nList-Unsubscribe: <{unsubscribe[1]}>\r\n" in wire
    assert unsubscribe[1] in message.body
    assert f'href="{unsubscribe[1]}"' in html
    assert f"https://partners.example.com/extranet/newsletter/{issue.pk}/" in message.body
    delivery = Delivery.objects.get()
    assert delivery.message_id == message.extra_headers["Message-ID"]


def test_a_german_member_gets_the_german_issue_in_german(make_issue, make_member, accredited, mailoutbox):
    make_member(accredited, email="leser@accredited.example", language="de")
    make_member(accredited, email="reader@accredited.example", language="en")
    issue = make_issue("Preise im Frühling", language="de", status=Issue.Status.SCHEDULED)

    issue_deliver(issue_id=issue.pk)

    [message] = mailoutbox
    assert message.to == ["leser@accredited.example"]
    [(html, _mimetype)] = message.alternatives
    assert '<html lang="de">' in html
    assert "Partnerprogramm" in html  # the header of every email, already translated
    with translation.override("de"):
        assert gettext("Unsubscribe from the newsletter") in html
        assert message.subject == f"{gettext('Partner newsletter')}: Preise im Frühling"
        assert date_format(issue.publish_on, "DATE_FORMAT") in message.body
    assert "/de/extranet/newsletter/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_running_the_send_again_emails_nobody_twice(make_issue, make_member, accredited, mailoutbox):
    for _ in range(3):
        make_member(accredited)
    issue = make_issue(status=Issue.Status.SCHEDULED)
    issue_deliver(issue_id=issue.pk)
    # A second run that got past the status check before the first one finished.
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)

    report = issue_deliver(issue_id=issue.pk)

    assert len(mailoutbox) == 3
    assert (report.sent, report.skipped) == (0, 3)


def test_a_member_being_emailed_by_another_run_is_left_alone(make_issue, make_member, accredited, mailoutbox):
    busy, free = make_member(accredited), make_member(accredited)
    issue = make_issue(status=Issue.Status.SENDING)
    Delivery.objects.create(issue=issue, user=busy.user, status=Delivery.Status.PENDING)

    issue_deliver(issue_id=issue.pk)

    assert recipients(mailoutbox) == [free.user.email]


def test_a_retry_after_a_crash_mid_way_sends_each_member_exactly_once(
    make_issue, make_member, accredited, mailoutbox, monkeypatch
):
    members = [make_member(accredited) for _ in range(4)]
    issue = make_issue(status=Issue.Status.SCHEDULED)
    send = EmailBackend.send_messages

    def crash_after_the_second_email(self, messages):
        sent = send(self, messages)
        if len(mailoutbox) == 2:
            raise Crash  # the mail server has the email; the worker dies before recording it
        return sent

    monkeypatch.setattr(EmailBackend, "send_messages", crash_after_the_second_email)
    with pytest.raises(Crash):
        issue_deliver(issue_id=issue.pk)
    monkeypatch.setattr(EmailBackend, "send_messages", send)

    issue_deliver(issue_id=issue.pk)  # the retry

    assert recipients(mailoutbox) == sorted(member.user.email for member in members)
    statuses = dict(issue.deliveries.values_list("user__email", "status"))
    assert statuses[members[1].user.email] == Delivery.Status.PENDING  # unknown outcome: never resent
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_refused_email_is_retried_once_and_nobody_else_is_emailed_again(
    make_issue, make_member, accredited, mailoutbox, monkeypatch, immediate_tasks, django_capture_on_commit_callbacks
):
    members = [make_member(accredited) for _ in range(3)]
    unlucky = members[1].user.email
    issue = make_issue(status=Issue.Status.SCHEDULED)
    send = EmailBackend.send_messages

    def refuse_one(self, messages):
        if messages[0].to == [unlucky]:
            raise SMTPException("451 try again later")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_one)
    report = issue_deliver(issue_id=issue.pk)
    assert (report.sent, report.failed) == (2, 1)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING
    failed = Delivery.objects.get(user__email=unlucky)
    assert failed.status == Delivery.Status.FAILED
    assert "451 try again later" in failed.error

    monkeypatch.setattr(EmailBackend, "send_messages", send)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish(issue=issue, actor=None)  # staff publish again: the retry

    assert recipients(mailoutbox) == sorted(member.user.email for member in members)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.Status.SENT, 2)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_queries_do_not_grow_beyond_two_small_writes_per_email(
    make_issue, make_member, accredited, make_partner, django_assert_max_num_queries
):
    for _ in range(3):
        make_member(accredited)
    few = make_issue(status=Issue.Status.SCHEDULED)
    with django_assert_max_num_queries(100) as few_queries:
        issue_deliver(issue_id=few.pk)
    other = make_partner()
    for _ in range(6):
        make_member(other)
    many = make_issue(status=Issue.Status.SCHEDULED)
    with django_assert_max_num_queries(100) as many_queries:
        issue_deliver(issue_id=many.pk)

    per_email = (len(many_queries) - len(few_queries)) / 6
    # The claim (insert in a savepoint here: SAVEPOINT, INSERT, RELEASE) and the result update.
    assert per_email <= 4, "\n".join(q["sql"] for q in many_queries.captured_queries)
    reads = [q["sql"] for q in many_queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) <= 6, "\n".join(reads)  # the issue (twice), recipients, deliveries, the final check


def test_a_failure_for_someone_who_opted_out_since_does_not_hold_the_issue_back(
    make_issue, make_member, accredited, mailoutbox
):
    leaver, reader = make_member(accredited), make_member(accredited)
    issue = make_issue(status=Issue.Status.SENDING)
    Delivery.objects.create(issue=issue, user=leaver.user, status=Delivery.Status.FAILED)
    leaver.receives_newsletter = False
    leaver.save()

    report = issue_deliver(issue_id=issue.pk)

    assert recipients(mailoutbox) == [reader.user.email]
    assert report.finished
