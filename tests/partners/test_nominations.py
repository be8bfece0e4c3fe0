"""Four-eyes nominations: one staff member proposes, another confirms or declines; the proposer may withdraw."""

import threading
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from partners.models import Nomination, Partner, TierChange
from partners.services import nomination_confirm, nomination_decline, nomination_propose

GRANT, REVOKE = Nomination.Kind.GRANT, Nomination.Kind.REVOKE


@pytest.fixture
def proposer(staff_user):
    return staff_user


@pytest.fixture
def confirmer(make_user):
    return make_user("second@example.com", first_name="Sam", last_name="Second", is_staff=True, is_superuser=True)


@pytest.fixture
def certified(make_partner, make_member):
    partner = make_partner("Gross AG", tier="certified")
    make_member(partner, email="owner@gross.example", language="de")
    return partner


@pytest.fixture
def confirmed(django_capture_on_commit_callbacks):
    """Confirm and run what the service does once its transaction commits (the emails)."""

    def confirm(nomination, actor):
        with django_capture_on_commit_callbacks(execute=True):
            return nomination_confirm(nomination=nomination, actor=actor)

    return confirm


# Services -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_proposal_changes_nothing_until_a_second_person_confirms(
    certified, proposer, confirmer, confirmed, tiers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nomination_propose(partner=certified, kind=GRANT, reason="Hospital roll-out", actor=proposer)

    certified.refresh_from_db()
    assert (nomination.status, nomination.tier) == (Nomination.Status.PENDING, tiers["enterprise"])
    assert certified.tier == tiers["certified"]
    assert not TierChange.objects.exists()
    assert mail.outbox == []
    assert certified not in Partner.objects.listed().filter(tier__nomination_only=True)

    with pytest.raises(ValidationError, match="a second staff member must confirm it"):
        nomination_confirm(nomination=nomination, actor=proposer)

    nomination = confirmed(nomination, confirmer)

    certified.refresh_from_db()
    assert certified.tier == tiers["enterprise"]
    assert certified in Partner.objects.listed()
    assert (certified.nominated_by, certified.nomination_reason) == (proposer, "Hospital roll-out")
    assert (nomination.status, nomination.decided_by) == (Nomination.Status.CONFIRMED, confirmer)
    assert nomination.decided_at is not None
    change = TierChange.objects.get(partner=certified)
    assert (change.kind, change.from_tier, change.to_tier) == ("nomination", tiers["certified"], tiers["enterprise"])
    assert change.decided_by == confirmer
    assert "Hospital roll-out" in change.reason
    assert str(proposer) in change.reason
    assert "Sam Second" in change.reason
    assert certified.history.first().history_user == confirmer
    assert [message.to for message in mail.outbox] == [["owner@gross.example"]]
    assert "Enterprise Solution Partner" in mail.outbox[0].subject
    assert "Hospital roll-out" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_confirmed_proposal_cannot_be_confirmed_or_declined_again(certified, proposer, confirmer, make_user):
    third = make_user(is_staff=True)
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    nomination_confirm(nomination=nomination, actor=confirmer)

    with pytest.raises(ValidationError, match="already decided"):
        nomination_confirm(nomination=nomination, actor=third)
    with pytest.raises(ValidationError, match="already decided"):
        nomination_decline(nomination=nomination, reason="Too late", actor=third)
    assert TierChange.objects.count() == 1


@pytest.mark.django_db
def test_proposals_are_validated(make_partner, certified, proposer):
    with pytest.raises(ValidationError, match="needs a reason"):
        nomination_propose(partner=certified, kind=GRANT, reason="  ", actor=proposer)
    with pytest.raises(ValidationError, match="Only active partners"):
        nomination_propose(
            partner=make_partner(status=Partner.Status.SUSPENDED), kind=GRANT, reason="x", actor=proposer
        )
    with pytest.raises(ValidationError, match="already holds the highest nominated tier"):
        nomination_propose(partner=make_partner(tier="enterprise"), kind=GRANT, reason="x", actor=proposer)
    with pytest.raises(ValidationError, match="holds no nominated tier"):
        nomination_propose(partner=certified, kind=REVOKE, reason="x", actor=proposer)
    with pytest.raises(ValidationError, match="A revocation needs a reason"):
        nomination_propose(partner=make_partner(tier="enterprise"), kind=REVOKE, reason="", actor=proposer)

    nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    with pytest.raises(ValidationError, match="already has a proposal waiting for confirmation"):
        nomination_propose(partner=certified, kind=GRANT, reason="Again", actor=proposer)
    assert Nomination.objects.count() == 1


@pytest.mark.django_db
def test_confirmation_is_refused_when_the_partner_changed_since(certified, proposer, confirmer, tiers):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    Partner.objects.filter(pk=certified.pk).update(status=Partner.Status.SUSPENDED)

    with pytest.raises(ValidationError, match="Only active partners"):
        nomination_confirm(nomination=nomination, actor=confirmer)

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PENDING
    assert not TierChange.objects.exists()


@pytest.mark.django_db
def test_decline_needs_a_note_and_keeps_the_tier(certified, proposer, confirmer, tiers):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)

    with pytest.raises(ValidationError, match="needs a reason"):
        nomination_decline(nomination=nomination, reason=" ", actor=confirmer)
    nomination = nomination_decline(nomination=nomination, reason="Not yet a fit", actor=confirmer)

    certified.refresh_from_db()
    assert certified.tier == tiers["certified"]
    assert (nomination.status, nomination.decided_by, nomination.decision_note) == (
        Nomination.Status.DECLINED,
        confirmer,
        "Not yet a fit",
    )
    # Declined, so a new proposal may be made.
    nomination_propose(partner=certified, kind=GRANT, reason="Bigger now", actor=confirmer)


@pytest.mark.django_db
def test_the_proposer_withdraws_by_declining(certified, proposer):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)

    nomination = nomination_decline(nomination=nomination, reason="Proposed too early", actor=proposer)

    assert (nomination.status, nomination.decided_by) == (Nomination.Status.DECLINED, proposer)


@pytest.mark.django_db
def test_revocation_takes_four_eyes_and_falls_to_the_qualified_tier(
    make_partner, make_member, make_purchase, make_certified_technician, proposer, confirmer, confirmed, tiers, today
):
    partner = make_partner("Einst AG", tier="enterprise", nomination_reason="Once big.")
    make_member(partner, email="owner@einst.example")
    make_purchase(partner, "12000", today)
    make_certified_technician(partner)  # this member gets the email too
    nomination = nomination_propose(partner=partner, kind=REVOKE, reason="No longer a fit", actor=proposer)
    partner.refresh_from_db()
    assert partner.tier == tiers["enterprise"]

    confirmed(nomination, confirmer)

    partner.refresh_from_db()
    assert partner.tier == tiers["certified"]
    assert (partner.nominated_by, partner.nomination_reason) == (None, "")
    change = TierChange.objects.get(partner=partner)
    assert (change.kind, change.decided_by) == ("revocation", confirmer)
    assert len(mail.outbox) == 2
    assert "Enterprise Solution Partner" in mail.outbox[0].subject
    assert "Certified Partner" in mail.outbox[0].subject


# Concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirmations_confirm_once(make_partner, make_user, tiers):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL's row locks (SELECT ... FOR UPDATE); this run uses {connection.vendor}. "
            "Run with DATABASE_URL=postgres://... (CI does)."
        )
    proposer = make_user(is_staff=True)
    confirmers = [make_user(is_staff=True) for _ in range(2)]
    partner = make_partner(tier="certified")
    nomination = nomination_propose(partner=partner, kind=GRANT, reason="Strategic", actor=proposer)
    start = threading.Barrier(len(confirmers))
    outcomes: list[str] = []

    def confirm(actor) -> None:
        try:
            start.wait(timeout=30)
            nomination_confirm(nomination=nomination, actor=actor)
            outcomes.append("confirmed")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        except BaseException as error:  # noqa: BLE001 - reported in the assertion below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(actor,)) for actor in confirmers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 2, outcomes
    assert outcomes.count("confirmed") == 1, outcomes
    refused = next(outcome for outcome in outcomes if outcome != "confirmed")
    assert "already decided (confirmed by" in refused, outcomes
    assert "former" not in refused, outcomes
    assert TierChange.objects.filter(partner=partner).count() == 1
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.CONFIRMED


# Admin --------------------------------------------------------------------------------------


def changelist(model: str) -> str:
    return reverse(f"admin:partners_{model}_changelist")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def proposer_client(client, proposer):
    client.force_login(proposer)
    return client


@pytest.fixture
def confirmer_client(client, confirmer):
    """A second browser session: the test client is shared, so log the other person in on demand."""
    client.force_login(confirmer)
    return client


@pytest.mark.django_db
def test_the_nominate_action_creates_a_proposal(proposer_client, certified, tiers):
    data = {"action": "nominate", "_selected_action": [certified.pk]}

    page = proposer_client.post(changelist("partner"), data)
    assert "receive this reason by email" in page.text
    response = proposer_client.post(changelist("partner"), {**data, "apply": "1", "reason": "Strategic"}, follow=True)

    certified.refresh_from_db()
    assert certified.tier == tiers["certified"]
    nomination = Nomination.objects.get(partner=certified)
    assert (nomination.kind, nomination.status, nomination.reason) == (GRANT, Nomination.Status.PENDING, "Strategic")
    assert "Nomination proposed, waiting for a second staff member to confirm it: Gross AG." in messages_of(response)

    response = proposer_client.post(changelist("partner"), {**data, "apply": "1", "reason": "Twice"}, follow=True)
    assert any("already has a proposal waiting" in message for message in messages_of(response))


@pytest.mark.django_db
def test_the_revoke_action_creates_a_revocation_proposal(proposer_client, make_partner, tiers):
    partner = make_partner("Einst AG", tier="enterprise")

    proposer_client.post(
        changelist("partner"),
        {"action": "revoke_nomination", "_selected_action": [partner.pk], "apply": "1", "reason": "No longer fits"},
    )

    partner.refresh_from_db()
    assert partner.tier == tiers["enterprise"]
    assert Nomination.objects.get(partner=partner).kind == REVOKE


@pytest.mark.django_db
def test_nomination_list_shows_pending_first_and_filters(proposer_client, certified, make_partner, proposer, confirmer):
    decided = nomination_propose(partner=make_partner("Alt AG"), kind=GRANT, reason="x", actor=proposer)
    nomination_decline(nomination=decided, reason="No", actor=confirmer)
    nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)

    page = proposer_client.get(changelist("nomination"))
    assert page.status_code == HTTPStatus.OK
    assert [n.partner.name for n in page.context["cl"].result_list] == ["Gross AG"]
    assert reverse("admin:partners_partner_tier_review") in page.text

    everything = proposer_client.get(changelist("nomination"), {"status": "all", "q": "alt"})
    assert [n.partner.name for n in everything.context["cl"].result_list] == ["Alt AG"]
    assert proposer_client.get(reverse("admin:partners_nomination_add")).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.django_db
def test_withdrawn_proposal_is_shown_as_withdrawn(proposer_client, certified, proposer):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    nomination_decline(nomination=nomination, reason="Too early", actor=proposer)

    page = proposer_client.get(changelist("nomination"), {"status": "declined"})

    assert "Withdrawn by the proposer" in page.text


@pytest.mark.django_db
def test_confirm_action_refuses_the_proposer_and_accepts_a_second_person(
    client, certified, proposer, confirmer, tiers, django_capture_on_commit_callbacks
):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    data = {"action": "confirm", "_selected_action": [nomination.pk]}

    client.force_login(proposer)
    response = client.post(changelist("nomination"), data, follow=True)
    assert "You proposed the nomination of Gross AG; a second staff member must confirm it." in messages_of(response)
    certified.refresh_from_db()
    assert certified.tier == tiers["certified"]

    client.force_login(confirmer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist("nomination"), data, follow=True)

    assert any(
        m.startswith("Confirmed, the partner's members are told by email: Gross AG") for m in messages_of(response)
    )
    certified.refresh_from_db()
    assert certified.tier == tiers["enterprise"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_decline_action_asks_a_reason(confirmer_client, certified, proposer):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    data = {"action": "decline", "_selected_action": [nomination.pk]}

    page = confirmer_client.post(changelist("nomination"), data)
    assert page.templates[0].name == "admin/partners/partner/action_reason.html"
    assert "Gross AG" in page.text
    missing = confirmer_client.post(changelist("nomination"), {**data, "apply": "1", "reason": ""})
    assert missing.context["form"].errors == {"reason": ["This field is required."]}

    confirmer_client.post(changelist("nomination"), {**data, "apply": "1", "reason": "Not yet"})

    nomination.refresh_from_db()
    assert (nomination.status, nomination.decision_note) == (Nomination.Status.DECLINED, "Not yet")


@pytest.mark.django_db
def test_nomination_change_form_is_read_only_with_the_decisions(confirmer_client, certified, proposer):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)

    page = confirmer_client.get(reverse("admin:partners_nomination_change", args=[nomination.pk]))

    assert page.status_code == HTTPStatus.OK
    assert 'value="confirm"' in page.text
    assert 'name="_save"' not in page.text


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.django_db
def test_nomination_list_queries_do_not_grow(
    count, confirmer_client, make_partner, proposer, django_assert_max_num_queries
):
    for _ in range(count):
        nomination_propose(partner=make_partner(tier="certified"), kind=GRANT, reason="x", actor=proposer)
    confirmer_client.get(changelist("nomination"))
    # Session, user, two counts, the page, the kind filter (none), session save...
    with django_assert_max_num_queries(8):
        response = confirmer_client.get(changelist("nomination"))
    assert len(response.context["cl"].result_list) == count


@pytest.mark.django_db
def test_declining_says_declined_for_others_and_withdrawn_for_ones_own(
    client, certified, make_partner, proposer, confirmer
):
    theirs = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    mine = nomination_propose(
        partner=make_partner("Klein AG", tier="certified"), kind=GRANT, reason="x", actor=confirmer
    )
    client.force_login(confirmer)
    data = {"action": "decline", "_selected_action": [theirs.pk, mine.pk]}

    asked = client.post(changelist("nomination"), data)
    assert asked.templates[0].name == "admin/partners/partner/action_reason.html"
    again = client.post(changelist("nomination"), {**data, "apply": "1", "reason": " "})
    assert again.context["form"].errors == {"reason": ["This field is required."]}
    assert Nomination.objects.filter(status=Nomination.Status.PENDING).count() == 2

    response = client.post(changelist("nomination"), {**data, "apply": "1", "reason": "Not now"}, follow=True)

    assert messages_of(response) == [
        "Declined: Gross AG (Grant Enterprise Solution Partner).",
        "Withdrawn: Klein AG (Grant Enterprise Solution Partner).",
    ]
    assert not Nomination.objects.filter(status=Nomination.Status.PENDING).exists()


@pytest.mark.django_db
def test_nomination_list_merges_kind_and_tier_and_who_and_when(
    client, certified, proposer, confirmer, django_assert_max_num_queries
):
    nomination = nomination_propose(partner=certified, kind=GRANT, reason="Strategic", actor=proposer)
    nomination_decline(nomination=nomination, reason="No", actor=confirmer)
    client.force_login(proposer)

    with django_assert_max_num_queries(12):
        page = client.get(changelist("nomination"), {"status": "all"})

    headers = [str(header["text"]) for header in page.context["result_headers"][1:]]  # after the checkbox
    assert headers == ["partner", "proposal", "proposed", "status", "decided"]
    assert "Sam Second<br>" in page.text
