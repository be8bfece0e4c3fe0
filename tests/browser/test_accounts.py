"""Two-factor sign-in in real Chromium under the strict CSP: authenticator app, recovery codes, security keys."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.models import User
from partners.models import Membership, Partner, Tier

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


def totp_code(secret: str) -> str:
    """What an authenticator app shows now; waits out the last two seconds of a 30-second window."""
    if 30 - time.time() % 30 < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def person():
    user = User.objects.create_user(email="browser@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def enter_password(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_person_signs_in_with_the_code_of_an_authenticator_app(page, person):
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    RecoveryCodes.activate(person)

    enter_password(page, person)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(person.email)


def test_person_sets_up_an_authenticator_app_and_keeps_the_recovery_codes(page, person):
    enter_password(page, person)
    page.get_by_role("button", name=person.email).click()
    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    assert_accessible(page)

    page.get_by_role("link", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")  # the password again
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    assert_accessible(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    expect(page.get_by_role("alert").first).to_contain_text("Authenticator app activated.")
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    assert all(re.fullmatch(r"\d{8}", code) for code in codes)
    assert_accessible(page)
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()


def test_member_of_a_partner_requiring_it_is_led_to_set_up_a_second_factor(page, person):
    partner = Partner.objects.create(
        name="Strict AG", slug="strict", tier=Tier.objects.order_by("rank").first(), require_mfa=True
    )
    Membership.objects.create(user=person, partner=partner, role=Membership.Role.SALES)

    enter_password(page, person)

    expect(page.get_by_role("alert").filter(has_text="Strict AG")).to_contain_text("requires two-factor authentication")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))


def test_person_registers_a_security_key_and_signs_in_with_it(page, person, settings):
    # Chromium's virtual authenticator stands in for a USB key. WebAuthn needs HTTPS, or
    # http://localhost with allauth's development switch.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    enter_password(page, person)
    page.goto("/accounts/2fa/webauthn/add/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add Security Key")
    assert_accessible(page)
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    page.get_by_role("button", name=person.email).click()
    page.get_by_role("button", name="Sign out").click()

    enter_password(page, person)
    page.get_by_role("button", name="Use a security key").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("navigation", name="Main")).to_contain_text(person.email)


@pytest.mark.parametrize("path", ["/accounts/2fa/", "/accounts/email/", "/de/accounts/2fa/"])
def test_account_pages_pass_axe_and_fit_a_320px_screen(page, person, path):
    enter_password(page, person)
    expect(page).to_have_url(re.compile(r"/$"))
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto(path)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
