"""Emails about a partner's tier: sent after the commit, to each active member, in the member's language."""

import datetime

import pytest
from django.core import mail
from django.core.mail import mailers

from partners.models import Partner, TierChange
from partners.services import downgrade_apply, tier_review

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def climber(make_partner, make_member, make_purchase, make_certified_technician, today):
    """An Accredited Reseller now meeting the Certified criteria, with an English and a German member."""
    partner = make_partner("Climber & Co AG")
    make_purchase(partner, "15000", today)
    certification = make_certified_technician(partner)
    certification.holder.email, certification.holder.language = "anna@climber.example", "en"
    certification.holder.save()
    make_member(partner, email="beat@climber.example", language="de")
    make_member(partner, email="gone@climber.example", is_active=False)
    return partner


@pytest.fixture
def lapsed(make_partner, make_member, make_purchase, today):
    partner = make_partner("Lapsed AG", tier="certified")
    make_purchase(partner, "3000", today)
    make_member(partner, email="anna@lapsed.example", language="en")
    make_member(partner, email="beat@lapsed.example", language="de")
    return partner


def by_recipient() -> dict[str, mail.EmailMultiAlternatives]:
    return {message.to[0]: message for message in mail.outbox}


def test_upgrade_emails_each_active_member_in_their_language_after_commit(
    climber, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tier_review(on=today)
        assert mail.outbox == []  # nothing leaves inside the transaction

    for callback in callbacks:
        callback()

    messages = by_recipient()
    assert sorted(messages) == ["anna@climber.example", "beat@climber.example"]
    english, german = messages["anna@climber.example"], messages["beat@climber.example"]
    assert english.subject == "Climber & Co AG is now Certified Partner"
    assert "Climber & Co AG meets the criteria of Certified Partner and moves up from Accredited Reseller" in (
        english.body
    )
    assert "http://127.0.0.1:8000/extranet/" in english.body
    assert "Climber &amp; Co AG" in english.alternatives[0].content
    # The German member's email was rendered in German: its links carry the language prefix.
    assert "Certified Partner" in german.subject
    assert "/de/extranet/" in german.body


def test_a_dry_run_emails_nobody(climber, today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tier_review(on=today, dry_run=True)

    assert mail.outbox == []


def test_a_proposed_downgrade_is_announced_once_with_its_date(lapsed, tiers, today, django_capture_on_commit_callbacks):
    applies_on = today + days(tiers["certified"].downgrade_grace_days)

    with django_capture_on_commit_callbacks(execute=True):
        tier_review(on=today)

    messages = by_recipient()
    english, german = messages["anna@lapsed.example"], messages["beat@lapsed.example"]
    assert english.subject == "Lapsed AG no longer meets the criteria of Certified Partner"
    assert "it moves to Accredited Reseller on that day" in english.body
    assert f"{applies_on.day} {applies_on:%B} {applies_on.year}" in english.body
    assert "EUR 7,000 more purchase volume" in english.body
    assert "1 certified technician" in english.body
    # What is missing was worked out in German: German number format.
    assert "7.000" in german.body
    assert "/de/extranet/" in german.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tier_review(on=today + days(1))
    assert mail.outbox == []  # still proposed, not announced again


def test_an_applied_downgrade_names_both_tiers_and_what_is_missing(
    lapsed, tiers, today, django_capture_on_commit_callbacks
):
    tier_review(on=today)
    grace = tiers["certified"].downgrade_grace_days

    with django_capture_on_commit_callbacks(execute=True):
        tier_review(on=today + days(grace))

    english = by_recipient()["anna@lapsed.example"]
    assert english.subject == "Lapsed AG moves from Certified Partner to Accredited Reseller"
    assert "no longer meets the criteria of Certified Partner and now holds Accredited Reseller" in english.body
    assert "What is missing for Certified Partner:\n- EUR 7,000 more purchase volume" in english.body


def test_staff_approving_a_downgrade_emails_the_members(lapsed, staff_user, today, django_capture_on_commit_callbacks):
    tier_review(on=today)

    with django_capture_on_commit_callbacks(execute=True):
        downgrade_apply(partner=lapsed, actor=staff_user)

    assert sorted(by_recipient()) == ["anna@lapsed.example", "beat@lapsed.example"]
    assert all("Accredited Reseller" in message.subject for message in mail.outbox)


def test_a_refusing_mail_server_does_not_undo_the_change(
    climber, tiers, today, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(backend, messages):
        raise ConnectionRefusedError("mail server away")

    monkeypatch.setattr(type(mailers.default), "send_messages", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        tier_review(on=today)

    assert Partner.objects.get(pk=climber.pk).tier == tiers["certified"]
    assert TierChange.objects.filter(partner=climber).exists()
    assert "Could not send 2 tier change emails" in caplog.text
