"""The admin's "Tier review" page: its sections, bulk decisions on proposed downgrades, permissions, queries."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from partners.models import Nomination, Partner, TierChange
from partners.services import nomination_propose

pytestmark = pytest.mark.django_db

PAGE = "admin:partners_partner_tier_review"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def manager_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def desk_client(client, make_user):
    """A "Partner desk" staff member: may view partners and nominations, change nothing."""
    user = make_user("desk@example.com", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="partners", codename__in=["view_partner", "view_nomination"])
    )
    client.force_login(user)
    return client


@pytest.fixture
def lapsed(make_partner, make_member, make_purchase, tiers, today):
    """A Certified Partner with a proposed downgrade (it buys too little and has no certified technician)."""

    def make(name: str, proposed_days_ago: int = 10) -> Partner:
        partner = make_partner(
            name,
            tier="certified",
            proposed_tier=tiers["accredited"],
            proposed_on=today - datetime.timedelta(days=proposed_days_ago),
        )
        make_purchase(partner, "3000", today)
        make_member(partner, email=f"owner@{partner.slug}.example")
        return partner

    return make


@pytest.fixture
def board(lapsed, make_partner, make_purchase, make_certified_technician, staff_user, today):
    """One partner in every section of the page."""
    lapsed("Lapsed AG")
    flagged = make_partner("Flagged AG", tier="enterprise")
    make_purchase(flagged, "500", today)
    climber = make_partner("Climber AG")
    make_purchase(climber, "15000", today)
    make_certified_technician(climber)
    make_partner("Quiet AG")  # nothing to decide
    pending = make_partner("Pending AG", tier="certified")
    nomination_propose(partner=pending, kind=Nomination.Kind.GRANT, reason="Strategic", actor=staff_user)


def test_page_lists_every_section(manager_client, board, tiers, today):
    response = manager_client.get(reverse(PAGE))

    assert response.status_code == HTTPStatus.OK
    page = response.context
    downgrade = page["board"].downgrades[0]
    assert [row.evaluation.partner.name for row in page["board"].downgrades] == ["Lapsed AG"]
    grace = tiers["certified"].downgrade_grace_days
    assert downgrade.grace_ends == today - datetime.timedelta(days=10) + datetime.timedelta(days=grace)
    assert [e.partner.name for e, _pending in page["flags"]] == ["Flagged AG"]
    assert [e.partner.name for e in page["board"].upgrades] == ["Climber AG"]
    assert [n.partner.name for n in page["board"].pending] == ["Pending AG"]
    text = response.text
    assert "Certified Partner → Accredited Reseller" in text
    assert "EUR 7,000 more purchase volume, 1 certified technician" in text
    assert "Accredited Reseller → Certified Partner" in text
    assert "Quiet AG" not in text
    for control in ('name="partner"', "Approve selected", "Run the review now"):
        assert control in text
    assert 'value="revoke_nomination"' in text
    assert "js/admin-tier-review.js" in text


def test_page_is_linked_from_the_partner_list(manager_client):
    assert reverse(PAGE) in manager_client.get(reverse("admin:partners_partner_changelist")).text


@pytest.mark.parametrize("size", [2, 20])
def test_page_queries_do_not_grow_with_partners(
    size, manager_client, lapsed, make_partner, make_purchase, make_certified_technician, staff_user, today,
    django_assert_max_num_queries,
):  # fmt: skip
    for n in range(size):
        lapsed(f"Lapsed {n}")
        climber = make_partner(f"Climber {n}")
        make_purchase(climber, "15000", today)
        make_certified_technician(climber)
        flagged = make_partner(f"Flagged {n}", tier="enterprise")
        nomination_propose(partner=flagged, kind=Nomination.Kind.REVOKE, reason="x", actor=staff_user)
    manager_client.get(reverse(PAGE))
    # Session and user (2), programme (2), candidates (1), pending nominations (1), session save (3).
    with django_assert_max_num_queries(9):
        response = manager_client.get(reverse(PAGE))
    assert len(response.context["board"].downgrades) == size
    assert len(response.context["flags"]) == size


def test_long_sections_show_their_first_rows_and_link_to_all(
    monkeypatch, manager_client, lapsed, make_partner, make_purchase, make_certified_technician, today
):
    monkeypatch.setattr("partners.admin.tier_review.SECTION_ROWS", 2)
    for n in range(3):
        lapsed(f"Lapsed {n}")
        climber = make_partner(f"Climber {n}")
        make_purchase(climber, "15000", today)
        make_certified_technician(climber)

    response = manager_client.get(reverse(PAGE))

    board = response.context["board"]
    assert [row.evaluation.partner.name for row in board.downgrades] == ["Lapsed 0", "Lapsed 1"]
    assert board.totals == {"downgrades": 3, "flags": 0, "upgrades": 3, "pending": 0}
    text = response.text
    assert "Proposed downgrades (3)" in text
    assert text.count("The first 2 of 3 are shown.") == 2
    changelist = reverse("admin:partners_partner_changelist")
    assert f'href="{changelist}?downgrade=yes"' in text
    assert f'href="{changelist}?review=upgrade"' in text
    assert manager_client.get(f"{changelist}?review=upgrade").context["cl"].result_count == 3


def test_approve_selected_applies_the_downgrades(
    manager_client, lapsed, staff_user, tiers, django_capture_on_commit_callbacks
):
    first, second, untouched = lapsed("Erste AG"), lapsed("Zweite AG"), lapsed("Dritte AG")

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse(PAGE), {"partner": [first.pk, second.pk], "decision": "approve"}, follow=True
        )

    assert response.redirect_chain[-1][0] == reverse(PAGE)
    assert "Downgraded (the partner's members, if it has any, are told by email): Erste AG, Zweite AG." in messages_of(
        response
    )
    for partner in (first, second):
        partner.refresh_from_db()
        assert (partner.tier, partner.proposed_tier) == (tiers["accredited"], None)
        change = TierChange.objects.get(partner=partner)
        assert (change.kind, change.decided_by) == (TierChange.Kind.DOWNGRADE, staff_user)
    untouched.refresh_from_db()
    assert untouched.tier == tiers["certified"]
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"owner@{first.slug}.example",
        f"owner@{second.slug}.example",
    ]


def test_reject_selected_needs_a_reason_and_keeps_the_tier(manager_client, lapsed, make_partner, tiers):
    partner = lapsed("Bleibt AG")
    without = make_partner("Ohne AG")

    response = manager_client.post(reverse(PAGE), {"partner": [partner.pk], "decision": "reject", "reason": " "})

    assert response.status_code == HTTPStatus.OK
    assert "Rejecting a downgrade needs a reason." in messages_of(response)
    assert f'value="{partner.pk}" id="downgrade-{partner.pk}" checked' in response.text
    partner.refresh_from_db()
    assert partner.proposed_tier == tiers["accredited"]

    response = manager_client.post(
        reverse(PAGE),
        {"partner": [partner.pk, without.pk], "decision": "reject", "reason": "Big order signed"},
        follow=True,
    )

    partner.refresh_from_db()
    assert (partner.tier, partner.proposed_tier) == (tiers["certified"], None)
    assert partner.history.first().history_change_reason == "Downgrade rejected: Big order signed"
    assert not TierChange.objects.exists()
    assert "Downgrade rejected, tier kept: Bleibt AG." in messages_of(response)
    assert "Ohne AG has no proposed downgrade." in messages_of(response)


def test_a_decision_needs_a_selection(manager_client, lapsed):
    lapsed("Lapsed AG")

    response = manager_client.post(reverse(PAGE), {"decision": "approve"})

    assert "Select at least one proposed downgrade." in messages_of(response)
    assert not TierChange.objects.exists()


def test_run_the_review_now(
    manager_client, make_partner, make_purchase, make_certified_technician, tiers, today,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    climber = make_partner("Climber AG")
    make_purchase(climber, "15000", today)
    make_certified_technician(climber)

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse(PAGE), {"run_review": "1"}, follow=True)

    climber.refresh_from_db()
    assert climber.tier == tiers["certified"]
    assert "Upgraded: Climber AG (Accredited Reseller → Certified Partner)." in messages_of(response)
    assert len(mail.outbox) == 1  # the certified technician is the partner's only member


def test_propose_revocation_from_the_page(manager_client, board, staff_user):
    flagged = Partner.objects.get(name="Flagged AG")
    data = {"action": "revoke_nomination", "_selected_action": [flagged.pk]}

    reason_page = manager_client.post(reverse("admin:partners_partner_changelist"), data)
    assert reason_page.templates[0].name == "admin/partners/partner/action_reason.html"
    manager_client.post(reverse("admin:partners_partner_changelist"), {**data, "apply": "1", "reason": "Too small"})

    nomination = Nomination.objects.get(partner=flagged)
    assert (nomination.kind, nomination.proposed_by) == (Nomination.Kind.REVOKE, staff_user)
    page = manager_client.get(reverse(PAGE))
    assert f"Revoke proposed by {staff_user}" in page.text


def test_partner_desk_reads_but_cannot_decide(desk_client, board, lapsed, tiers):
    partner = lapsed("Lapsed Two AG")

    page = desk_client.get(reverse(PAGE))
    assert page.status_code == HTTPStatus.OK
    assert "Lapsed AG" in page.text
    for control in ('name="partner"', "Approve selected", "Run the review now"):
        assert control not in page.text
    assert "deciding needs the permission to change partners" in page.text

    for data in ({"partner": [partner.pk], "decision": "approve"}, {"run_review": "1"}):
        assert desk_client.post(reverse(PAGE), data).status_code == HTTPStatus.FORBIDDEN
    partner.refresh_from_db()
    assert partner.tier == tiers["certified"]


def test_staff_without_partner_permission_is_refused(client, make_user):
    client.force_login(make_user(is_staff=True))

    assert client.get(reverse(PAGE)).status_code == HTTPStatus.FORBIDDEN


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse(PAGE))

    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response.url
