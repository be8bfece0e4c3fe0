"""`/extranet/`: tier, volume and progress, technicians and expiries, margin, benefits, contacts."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from partners.models import Membership, Partner

# Session and user (2), the membership for the MFA middleware and for the gate (2), the programme (2),
# the partner's metrics (1), expiring certifications (1), the distributor (1), the session saved (3).
DASHBOARD_QUERIES = 12


@pytest.fixture
def dashboard(client, make_member):
    """The dashboard's HTML as an owner of `partner` sees it."""

    def open_for(partner: Partner) -> str:
        client.force_login(make_member(partner, role=Membership.Role.OWNER, first_name="Olga", last_name="Owner").user)
        response = client.get(reverse("partners:dashboard"))
        assert response.status_code == HTTPStatus.OK
        return re.sub(r"\s+", " ", response.content.decode())

    return open_for


def test_accredited_sees_progress_to_certified_and_what_is_missing(dashboard, make_partner, make_purchase, today):
    partner = make_partner(tier="accredited")
    make_purchase(partner, "4000", today - datetime.timedelta(days=30))

    html = dashboard(partner)

    assert "Accredited Reseller" in html
    assert "EUR&nbsp;4,000" in html
    bar = re.search(r'<div class="progress[^"]*" role="progressbar"[^>]*>', html)[0]
    assert 'aria-valuenow="4000"' in bar
    assert 'aria-valuemin="0"' in bar
    assert 'aria-valuemax="10000"' in bar
    assert "Purchase volume towards Certified Partner" in bar
    assert 'class="progress-bar w-pct-40"' in html
    assert "EUR 4,000 of EUR 10,000 for Certified Partner (40&nbsp;%)" in html
    assert "style=" not in html.split("<main")[1], "no inline styles: the CSP forbids them"
    assert "20&nbsp;%" not in html, "4,000 is below the 5,000 band"
    assert "18&nbsp;%" in html


def test_locked_benefits_name_what_is_missing_per_higher_tier(dashboard, make_partner, make_purchase, today):
    partner = make_partner(tier="accredited")
    make_purchase(partner, "4000", today)

    html = dashboard(partner)

    unlocked, locked = html.split("Still locked")
    assert "Starter kit with marketing and sales information" in unlocked
    assert "Better purchase conditions" not in unlocked
    certified, enterprise = locked.split("Enterprise Solution Partner</h3>")
    assert "Better purchase conditions" in certified
    assert "EUR 6,000 more purchase volume, 1 certified technician" in certified
    assert "Called in by the vendor for large customer projects" in enterprise
    assert "a nomination by the vendor" in enterprise


def test_a_partner_meeting_the_next_criteria_is_told_the_upgrade_comes(
    dashboard, make_partner, make_purchase, make_certified_technician, today
):
    partner = make_partner(tier="accredited")
    make_purchase(partner, "12000", today)
    make_certified_technician(partner)

    html = dashboard(partner)

    assert "the upgrade applies at the next evaluation" in html
    assert 'class="progress-bar w-pct-100"' in html


def test_accredited_partners_write_to_the_partner_desk(dashboard, make_partner, staff_user, settings):
    settings.EXTRANET_PARTNER_DESK_EMAIL = "desk@vendor.example"
    partner = make_partner(tier="accredited", account_manager=staff_user)

    html = dashboard(partner)

    assert "Your contact: the partner desk" in html
    assert "mailto:desk@vendor.example" in html
    assert staff_user.email not in html


def test_certified_partners_see_their_channel_account_manager(
    dashboard, make_partner, make_user, make_certified_technician, make_purchase, today
):
    manager = make_user("kim@vendor.example", first_name="Kim", last_name="Keller", is_staff=True)
    partner = make_partner(tier="certified", account_manager=manager)
    make_certified_technician(partner)
    make_purchase(partner, "30000", today)

    html = dashboard(partner)

    assert "Your channel account manager" in html
    assert "Kim Keller" in html
    assert "mailto:kim@vendor.example" in html
    assert 'aria-valuemax="50000"' in html
    assert 'class="progress-bar w-pct-60"' in html
    assert "27&nbsp;%" in html


def test_enterprise_partners_hold_everything(dashboard, make_partner, make_certified_technician, make_purchase, today):
    partner = make_partner(tier="enterprise")
    make_certified_technician(partner)
    make_certified_technician(partner)
    make_purchase(partner, "120000", today)

    html = dashboard(partner)

    assert "You hold the highest tier of the programme." in html
    assert 'role="progressbar"' not in html
    assert "Nothing: you have every benefit of the programme." in html
    assert "Project material in the extranet" in html.split("Still locked")[0]
    assert "33&nbsp;%" in html


def test_technicians_against_the_requirement_with_expiry_warnings(
    dashboard, make_partner, make_certified_technician, today
):
    partner = make_partner(tier="certified")
    soon = make_certified_technician(partner, expires_on=today + datetime.timedelta(days=20))
    soon.holder.first_name, soon.holder.last_name = "Tina", "Tech"
    soon.holder.save()
    later = make_certified_technician(partner, expires_on=today + datetime.timedelta(days=90))

    html = dashboard(partner)

    technicians = html.split('id="technicians-title"')[1].split("</section>")[0]
    assert '<p class="dashboard-figure mb-2">2</p>' in technicians
    assert "Certified Partner requires 1 certified technician." in technicians
    assert "Enterprise Solution Partner requires 2 certified technicians." in technicians
    warnings = html.split("Certifications about to expire")[1].split("</section>")[0]
    assert "Tina Tech" in warnings
    assert date_format(soon.expires_on) in warnings
    assert str(later.holder) not in warnings


def test_a_partner_short_of_its_tier_is_warned(dashboard, make_partner, tiers, today):
    partner = make_partner(tier="certified", proposed_tier=tiers["accredited"], proposed_on=today)

    html = dashboard(partner)

    assert "A downgrade to Accredited Reseller is proposed" in html
    assert "EUR 10,000 more purchase volume" in html


def test_the_distributor_serving_the_territory(dashboard, make_partner, make_territory, make_distributor):
    territory = make_territory(regions="ZH")
    make_distributor(
        territories=[territory],
        name="Alpsec Distribution AG",
        contact_name="Markus Steiner",
        phone="+41 44 555 70 00",
        contact_email="markus@alpsec.example",
    )
    partner = make_partner(territory=territory)

    html = dashboard(partner)

    section = html.split('id="distributor-title"')[1].split("</section>")[0]
    for text in ["Alpsec Distribution AG", "Markus Steiner", "+41 44 555 70 00", "mailto:markus@alpsec.example"]:
        assert text in section


def test_without_a_distributor_the_partner_desk_helps(dashboard, make_partner):
    html = dashboard(make_partner())

    assert "No distributor serves your region yet" in html


def test_the_dashboard_costs_a_fixed_number_of_queries(
    client,
    make_partner,
    make_member,
    make_certified_technician,
    make_purchase,
    make_territory,
    make_distributor,
    staff_user,
    today,
    django_assert_max_num_queries,
):
    territory = make_territory(regions="ZH")
    make_distributor(territories=[territory])
    partner = make_partner(tier="certified", territory=territory, account_manager=staff_user)
    owner = make_member(partner, role=Membership.Role.OWNER).user
    client.force_login(owner)
    for days in range(30):
        make_purchase(partner, "1000", today - datetime.timedelta(days=days * 10))
    for days in range(8):
        make_certified_technician(partner, expires_on=today + datetime.timedelta(days=days + 1))

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("partners:dashboard"))

    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("expires on") == 8


@pytest.mark.parametrize("status", [Partner.Status.SUSPENDED, Partner.Status.ENDED])
def test_closed_partners_do_not_get_in(client, make_partner, make_member, status):
    client.force_login(make_member(make_partner(status=status)).user)

    assert client.get(reverse("partners:dashboard")).status_code == HTTPStatus.FORBIDDEN


def test_rejected_applicants_are_sent_to_their_application(client, make_partner, make_member):
    client.force_login(make_member(make_partner(status=Partner.Status.REJECTED)).user)

    assert client.get(reverse("partners:dashboard"))["Location"] == reverse("partners:application-status")


def test_strangers_are_sent_to_sign_in(client, db):
    response = client.get(reverse("partners:dashboard"))

    assert response["Location"].startswith(reverse("account_login"))
