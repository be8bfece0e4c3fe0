"""Staff decide on tiers in real Chromium under the strict CSP: the tier review page and four-eyes nominations."""

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from partners.models import Nomination, Partner, Tier, TierChange

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def staff(email: str, first_name: str) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first_name, is_staff=True, is_superuser=True, language="en"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def partner(name: str, tier: str, **fields) -> Partner:
    return Partner.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        tier=Tier.objects.get(code=tier),
        status=Partner.Status.ACTIVE,
        **fields,
    )


def sign_in(page, user: User, next_path: str = "/admin/"):
    # Every response renews the session cookie: let the last page's requests finish before forgetting it.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


@pytest.fixture
def manager(programme_defaults):
    return staff("anna.manager@example.com", "Anna")


def test_manager_approves_a_proposed_downgrade(page, manager):
    proposed_on = timezone.localdate() - datetime.timedelta(days=30)
    accredited = Tier.objects.get(code="accredited")
    lapsed = partner("Lapsed Informatik AG", "certified", proposed_tier=accredited, proposed_on=proposed_on)
    kept = partner("Kept Systems AG", "certified", proposed_tier=accredited, proposed_on=proposed_on)

    sign_in(page, manager, "/admin/partners/partner/")
    page.get_by_role("link", name="Tier review").click()

    expect(page.get_by_role("heading", name="Proposed downgrades (2)")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Lapsed Informatik AG")
    expect(row).to_contain_text("Certified Partner → Accredited Reseller")
    expect(row).to_contain_text("EUR 10,000 more purchase volume")
    # The "select all" box is the page's script at work (no inline script under the CSP).
    select_all = page.get_by_label("Select all proposed downgrades")
    select_all.check()
    expect(page.get_by_label("Kept Systems AG")).to_be_checked()
    page.get_by_label("Kept Systems AG").uncheck()
    expect(select_all).not_to_be_checked()
    page.get_by_role("button", name="Approve selected").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "Downgraded (the partner's members, if it has any, are told by email): Lapsed Informatik AG."
    )
    expect(page.get_by_role("heading", name="Proposed downgrades (1)")).to_be_visible()
    lapsed.refresh_from_db()
    kept.refresh_from_db()
    assert (lapsed.tier.code, kept.tier.code) == ("accredited", "certified")
    assert TierChange.objects.get(partner=lapsed).decided_by == manager


def test_a_nomination_needs_a_second_staff_member(page, manager):
    second = staff("ben.second@example.com", "Ben")
    candidate = partner("Grossprojekt AG", "certified", city="Bern")

    sign_in(page, manager, "/admin/partners/partner/")
    row = page.get_by_role("row").filter(has_text="Grossprojekt AG")
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(value="nominate")
    page.get_by_role("button", name="Run").click()
    page.get_by_label("Reason").fill("Leads the cantonal hospital roll-out")
    page.get_by_role("button", name=re.compile("Nominate")).click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a second staff member to confirm it")

    # The proposer cannot confirm their own proposal.
    page.goto("/admin/partners/nomination/")
    page.get_by_role("row").filter(has_text="Grossprojekt AG").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(value="confirm")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "You proposed the nomination of Grossprojekt AG; a second staff member must confirm it."
    )
    candidate.refresh_from_db()
    assert candidate.tier.code == "certified"

    sign_in(page, second, "/admin/partners/nomination/")
    expect(page.locator("#user-tools")).to_contain_text("Ben")
    page.get_by_role("row").filter(has_text="Grossprojekt AG").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(value="confirm")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("Confirmed, the partner's members are told by email")

    candidate.refresh_from_db()
    assert candidate.tier.code == "enterprise"
    nomination = Nomination.objects.get(partner=candidate)
    assert (nomination.proposed_by, nomination.decided_by) == (manager, second)
    page.goto("/partners/")
    expect(page.get_by_text("Grossprojekt AG")).to_be_visible()
