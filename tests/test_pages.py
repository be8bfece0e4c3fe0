"""The public pages: the programme page, the shared layout, and allauth's restyled sign-in."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from partners.models import MarginBand

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([^']+)'")


@pytest.fixture
def verified_user(make_user):
    """A person who can sign in: email verification is mandatory, so the address is verified."""
    user = make_user("anna@example.com", password="correct-horse-battery")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def page_text(response) -> str:
    return response.content.decode()


def comparison_row(html: str, heading: str) -> list[str]:
    """The cells of one row of the tier comparison table, stripped of tags."""
    row = re.search(rf'<th scope="row">{re.escape(heading)}</th>(.*?)</tr>', html, re.DOTALL).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)]


# The programme page ------------------------------------------------------------------


def test_programme_lists_the_tiers_from_the_database(client, tiers):
    accredited = tiers["accredited"]
    accredited.min_annual_volume = Decimal("2500")
    accredited.nfr_licences_per_year = 7
    accredited.save()

    response = client.get(reverse("partners:programme"))

    assert response.status_code == HTTPStatus.OK
    html = page_text(response)
    ranked = sorted(tiers.values(), key=lambda tier: tier.rank)
    positions = [html.index(f'<h3 id="tier-{tier.code}" class="h4 mb-0">{tier.name}</h3>') for tier in ranked]
    assert positions == sorted(positions), "tier cards appear in rank order"
    assert "Purchases of at least EUR&nbsp;2,500 in 12 months" in html
    assert comparison_row(html, "Minimum 12-month purchase volume") == [
        "EUR&nbsp;2,500",
        "EUR&nbsp;10,000",
        "EUR&nbsp;50,000",
    ]
    assert comparison_row(html, "NFR licences per year") == ["7", "5", "10"]
    for benefit in accredited.benefit_list():
        assert benefit in html
    assert "By nomination of the vendor only" in html
    assert "Everything in Accredited Reseller, plus:" in html


def test_programme_shows_the_margin_range_of_each_tier(client, tiers):
    html = page_text(client.get(reverse("partners:programme")))

    assert comparison_row(html, "Margin") == ["18–20&nbsp;%", "24–27&nbsp;%", "30–35&nbsp;%"]
    assert "between 18&nbsp;% and 35&nbsp;%" in html


def test_margin_ranges_use_the_bands_in_force_today(client, tiers, today):
    accredited = tiers["accredited"]
    # A newer version of the 5,000 threshold replaces the old 20 %; a future one does not count yet.
    MarginBand.objects.create(
        tier=accredited, min_volume=Decimal("5000"), margin_percent=Decimal("21.5"), effective_from=today
    )
    MarginBand.objects.create(
        tier=accredited,
        min_volume=Decimal("5000"),
        margin_percent=Decimal("29"),
        effective_from=today + datetime.timedelta(days=1),
    )

    html = page_text(client.get(reverse("partners:programme")))

    assert "18–21.50&nbsp;%" in html
    assert "18–20&nbsp;%" not in html
    assert "29&nbsp;%" not in html


def test_programme_runs_a_fixed_number_of_queries(client, tiers, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(reverse("partners:programme"))
    assert response.status_code == HTTPStatus.OK


def test_programme_for_a_signed_in_person_adds_only_the_session_and_user(
    client, tiers, verified_user, django_assert_max_num_queries
):
    client.force_login(verified_user)
    # 2 for the programme; reading the session and the user, and saving the session on
    # every request (SESSION_SAVE_EVERY_REQUEST, in a transaction) cost the other 5.
    with django_assert_max_num_queries(8):  # +1: the membership the MFA gate reads
        response = client.get(reverse("partners:programme"))
    assert verified_user.email in page_text(response)


def test_programme_query_count_does_not_grow_with_tiers_or_bands(client, tiers, today, django_assert_max_num_queries):
    for tier in tiers.values():
        for volume in range(1, 6):
            MarginBand.objects.create(
                tier=tier, min_volume=Decimal(volume * 1000 + 1), margin_percent=Decimal("19"), effective_from=today
            )
    with django_assert_max_num_queries(2):
        client.get(reverse("partners:programme"))


def test_programme_shows_the_partner_desk_and_a_login_link(client, tiers, settings):
    settings.EXTRANET_PARTNER_DESK_EMAIL = "desk@vendor.example"

    html = page_text(client.get(reverse("partners:programme")))

    assert 'href="mailto:desk@vendor.example"' in html
    assert f'href="{reverse("account_login")}"' in html
    assert "application" not in html.lower(), "there is no application page yet"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "So funktioniert das Partnerprogramm"), ("fr", "Comment fonctionne le programme partenaires")],
)
def test_programme_is_translated(client, tiers, language, expected):
    with translation.override(language):
        url = reverse("partners:programme")
    assert url == f"/{language}/"

    response = client.get(url)

    html = page_text(response)
    assert f'<html lang="{language}">' in html
    assert expected in html
    assert "How the programme works" not in html


def test_english_is_served_without_a_prefix(client, tiers):
    html = page_text(client.get("/"))
    assert '<html lang="en">' in html
    assert "How the programme works" in html


# The shared layout -------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["partners:programme", "account_login", "account_reset_password"])
def test_every_script_carries_the_csp_nonce(client, tiers, url_name):
    response = client.get(reverse(url_name))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = NONCE.search(policy).group(1)
    html = page_text(response)
    scripts = SCRIPT_TAG.findall(html)
    assert scripts, "the page loads Bootstrap and htmx"
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag
        assert " src=" in tag, f"inline script: {tag}"
    assert not re.search(r"\sstyle=", html), "inline style attributes break style-src 'self'"
    assert "<style" not in html


def test_layout_has_landmarks_skip_link_and_metadata(client, tiers):
    html = page_text(client.get(reverse("partners:programme")))

    assert '<a class="skip-link visually-hidden-focusable" href="#main">' in html
    for landmark in ("<header>", "<nav ", '<main id="main"', "<footer "):
        assert landmark in html
    assert "<title>Partner programme: tiers, margins and benefits</title>" in html
    assert '<meta name="description" content="' in html
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html
    assert '"includeIndicatorStyles":false' in html
    assert static("vendor/bootstrap/5.3.9/bootstrap.min.css") in html
    assert static("vendor/htmx/2.0.11/htmx.min.js") in html


def test_language_switcher_posts_to_set_language(client, tiers):
    html = page_text(client.get(reverse("partners:programme")))

    assert f'action="{reverse("set_language")}" method="post"' in html
    for code, name in (("en", "English"), ("de", "Deutsch"), ("fr", "Français")):
        assert f'name="language" value="{code}" lang="{code}"' in html
        assert name in html


def test_language_switcher_takes_the_visitor_to_the_translated_page(client, tiers):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/de/"


def test_navbar_for_a_signed_in_staff_member(client, tiers, staff_user):
    client.force_login(staff_user)

    html = page_text(client.get(reverse("partners:programme")))

    assert staff_user.email in html
    assert f'href="{reverse("admin:index")}"' in html
    assert f'action="{reverse("account_logout")}"' in html
    assert f'href="{reverse("account_login")}"' not in html


def test_navbar_for_a_partner_has_no_admin_link(client, tiers, verified_user):
    client.force_login(verified_user)

    html = page_text(client.get(reverse("partners:programme")))

    assert verified_user.email in html
    assert reverse("admin:index") not in html


def test_favicon_ico_leads_to_the_svg(client):
    response = client.get("/favicon.ico")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == static("favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == HTTPStatus.OK
    assert icon["Content-Type"].startswith("image/svg+xml")


# allauth, restyled ---------------------------------------------------------------------


def test_login_page_uses_the_site_layout(client, tiers):
    response = client.get(reverse("account_login"))

    assert response.status_code == HTTPStatus.OK
    templates = [template.name for template in response.templates]
    assert "base_public.html" in templates
    assert "allauth/layouts/entrance.html" in templates
    html = page_text(response)
    assert '<label class="form-label" for="id_login">' in html
    assert '<label class="form-label" for="id_password">' in html
    assert 'class="form-control" type="email"' in html
    assert 'class="btn btn-primary w-100"' in html


def test_login_through_the_form_signs_the_user_in(client, tiers, verified_user):
    response = client.post(
        reverse("account_login"), {"login": verified_user.email, "password": "correct-horse-battery"}
    )

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(verified_user.pk)
    assert verified_user.email in page_text(client.get(response["Location"]))


def test_login_with_a_wrong_password_shows_the_error(client, tiers, verified_user):
    response = client.post(reverse("account_login"), {"login": verified_user.email, "password": "wrong-password"})

    assert response.status_code == HTTPStatus.OK
    html = page_text(response)
    assert '<div class="alert alert-danger" role="alert">' in html
    assert "not correct" in html
    assert "wrong-password" not in html, "a password is never written back into the page"
    assert "_auth_user_id" not in client.session


def test_login_with_an_invalid_email_marks_the_field(client, tiers):
    response = client.post(reverse("account_login"), {"login": "not-an-email", "password": "x"})

    html = page_text(response)
    assert 'class="form-control is-invalid" type="email"' in html
    assert 'aria-describedby="id_login_errors"' in html
    assert '<div class="invalid-feedback" id="id_login_errors">' in html


def test_password_reset_page_renders_with_bootstrap(client, tiers):
    response = client.get(reverse("account_reset_password"))

    assert response.status_code == HTTPStatus.OK
    html = page_text(response)
    assert '<label class="form-label" for="id_email">' in html
    assert "btn btn-primary" in html


def test_account_pages_use_the_extranet_layout(client, tiers, verified_user):
    client.force_login(verified_user)

    response = client.get(reverse("account_change_password"))

    assert response.status_code == HTTPStatus.OK
    templates = [template.name for template in response.templates]
    assert "base_extranet.html" in templates
    html = page_text(response)
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert 'aria-current="page"' in html
    assert '<label class="form-label" for="id_oldpassword">' in html


def test_login_page_points_newcomers_to_the_partner_desk_not_to_a_sign_up(client, settings):
    settings.EXTRANET_PARTNER_DESK_EMAIL = "desk@vendor.example"

    html = client.get(reverse("account_login")).text

    assert 'href="mailto:desk@vendor.example"' in html
    assert reverse("account_signup") not in html
