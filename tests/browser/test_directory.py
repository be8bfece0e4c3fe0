"""The public partner directory in real Chromium, on the demo data: a visitor searches by city, filters by
language, opens a profile and writes to the partner; Accredited Resellers stay out; the page works without
JavaScript, by keyboard, at 320 px, and passes axe in English and German."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from directory.models import ContactRequest
from partners.models import Partner

pytestmark = pytest.mark.browser

# Demo partners (partners/demo/data.py): a certified partner in Lausanne, and an Accredited Reseller there too.
CERTIFIED = "Léman Sécurité Informatique SA"
CERTIFIED_SLUG = "leman-securite"
CERTIFIED_OWNER = "certified@demo.example"
ACCREDITED = "Ouchy Systèmes SA"
ACCREDITED_SLUG = "ouchy-systemes"
ENTERPRISE_SLUG = "aaregarde-security"


@pytest.fixture
def demo(programme_defaults):
    """The demo programme, as `manage.py load_demo` builds it (--force: the live server runs with DEBUG off)."""
    call_command("load_demo", "--force", stdout=io.StringIO())
    # The contact form's rate limit counts in the database cache, which a flush between tests does not empty.
    cache.clear()


def card_names(page):
    return page.locator("#directory-results").get_by_role("heading", level=3)


def listed_names(**filters) -> list[str]:
    """The names the directory should show, in its order (tier first, then name)."""
    return list(Partner.objects.for_directory().filter(**filters).values_list("name", flat=True))


def mark_page(page) -> None:
    page.evaluate("window.__directoryPageMarker = 'still here'")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__directoryPageMarker") == "still here", "the page reloaded"


def assert_accessible(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_no_horizontal_scroll(page) -> None:
    width, visible = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert width <= visible, f"the page scrolls sideways: {width}px wide in a {visible}px window"


def test_a_visitor_finds_a_certified_partner_by_its_city(page, demo):
    page.goto("/partners/")
    expect(card_names(page)).to_have_count(len(listed_names()))
    mark_page(page)

    page.get_by_role("searchbox", name="Search").press_sequentially("Lausanne")

    # The Accredited Reseller in Lausanne is not listed; the certified partner is the only match.
    expect(card_names(page)).to_have_text([CERTIFIED])
    expect(page).to_have_url(re.compile(r"/partners/\?(.*&)?q=Lausanne(&|$)"))
    expect(page.get_by_role("status")).to_have_text("1 partner found.")
    card = page.get_by_role("article", name=CERTIFIED)
    expect(card).to_contain_text("1003 Lausanne (VD)")
    expect(card).to_contain_text("Certified Partner")
    assert_not_reloaded(page)

    # The URL is the search: opened afresh, it shows the same result.
    page.goto(page.url)
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("Lausanne")
    expect(card_names(page)).to_have_text([CERTIFIED])


def test_ticking_a_language_shows_the_partners_speaking_it(page, demo):
    page.goto("/partners/")
    mark_page(page)
    english = listed_names(languages__code="en")
    assert 0 < len(english) < len(listed_names()), "the demo must have partners with and without English"

    page.get_by_role("group", name="Speaks").get_by_label("English").check()

    expect(page).to_have_url(re.compile(r"[?&]language=en(&|$)"))
    expect(card_names(page)).to_have_text(english)
    for card in page.locator("#directory-results").get_by_role("article").all():
        expect(card).to_contain_text(re.compile(r"Languages\s*(.*, )?English"))
    expect(page.get_by_text("1 active")).to_be_visible()
    assert_not_reloaded(page)

    page.get_by_role("group", name="Speaks").get_by_label("English").uncheck()
    expect(card_names(page)).to_have_count(len(listed_names()))


def test_a_card_opens_the_partners_profile(page, demo):
    page.goto("/partners/")

    page.get_by_role("article", name=CERTIFIED).get_by_role("link", name=CERTIFIED).click()

    expect(page).to_have_url(re.compile(rf"/partners/{CERTIFIED_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CERTIFIED)
    expect(page).to_have_title(re.compile(rf"^{CERTIFIED}, Certified Partner in Lausanne"))
    details = page.get_by_role("region", name="Contact details")
    expect(details).to_contain_text("Avenue de la Gare 17")
    expect(details).to_contain_text("1003 Lausanne")
    expect(page.get_by_role("region", name="Languages")).to_contain_text("French")
    expect(page.get_by_role("region", name="Services")).to_contain_text("Training")
    page.get_by_role("link", name="Find a partner").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a partner")


def test_a_visitor_writes_to_a_partner_and_the_email_goes_out(page, demo):
    page.goto(f"/partners/{CERTIFIED_SLUG}/")
    form = page.get_by_role("region", name=f"Write to {CERTIFIED}")

    form.get_by_label("Your name").fill("Anna Muster")
    form.get_by_label("Your email address").fill("anna@kunde.example")
    form.get_by_label("Your company").fill("Muster Treuhand AG")
    form.get_by_label("Your message").fill("We need virus protection for 25 workstations in Lausanne by June.")
    form.get_by_role("button", name="Send message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Message sent")
    expect(page.get_by_role("status")).to_contain_text(f"Your message is on its way to {CERTIFIED}")
    assert_accessible(page)
    partner = Partner.objects.get(slug=CERTIFIED_SLUG)
    [stored] = ContactRequest.objects.filter(email="anna@kunde.example")
    assert (stored.partner, stored.name, stored.company) == (partner, "Anna Muster", "Muster Treuhand AG")
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [CERTIFIED_OWNER, partner.account_manager.email]
    )
    for message in mail.outbox:  # each in its recipient's language
        assert "Anna Muster" in message.subject
        assert CERTIFIED in message.subject
        assert "25 workstations in Lausanne" in message.body
        assert message.reply_to == ["anna@kunde.example"]


def test_bad_contact_input_is_named_at_the_fields(page, demo):
    page.set_viewport_size({"width": 320, "height": 800})  # the form is far down the profile
    page.goto(f"/partners/{CERTIFIED_SLUG}/")
    form = page.get_by_role("region", name=f"Write to {CERTIFIED}")

    form.get_by_label("Your email address").fill("not an address")
    form.get_by_label("Your message").fill("Hello")
    form.get_by_role("button", name="Send message").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.get_by_role("alert")).to_be_in_viewport()  # not the top of the profile
    expect(form.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Your email address")).to_have_attribute("aria-invalid", "true")
    expect(form).to_contain_text("at least 10 characters")
    expect(form.get_by_label("Your email address")).to_have_value("not an address")
    assert_accessible(page)
    assert not mail.outbox
    assert not ContactRequest.objects.filter(email="not an address").exists()


def test_an_accredited_reseller_is_not_findable(page, demo):
    assert Partner.objects.get(slug=ACCREDITED_SLUG).status == "active"
    page.goto("/partners/")
    search = page.get_by_role("searchbox", name="Search")

    # The same search finds a listed partner by its name: the search works, the reseller is left out.
    search.fill(CERTIFIED)
    expect(page.get_by_role("article", name=CERTIFIED)).to_be_visible()
    expect(page.get_by_role("status")).not_to_have_text(f"{len(listed_names())} partners found.")
    search.fill(ACCREDITED)
    expect(page.get_by_role("status")).to_have_text("No partner matches your search.")
    expect(card_names(page)).to_have_count(0)

    # Nor by its address (asked outside the page: the browser would log the 404 as a console error).
    assert page.request.get(f"/partners/{ACCREDITED_SLUG}/").status == 404


def test_the_filters_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/partners/")
        expect(card_names(page)).to_have_count(len(listed_names()))
        filters = page.get_by_role("group", name="Speaks")
        expect(filters).to_be_hidden()  # folded; the details element opens without script

        page.get_by_text("Filters", exact=True).click()
        filters.get_by_label("German").check()
        page.get_by_role("button", name="Show partners").click()

        expect(page).to_have_url(re.compile(r"[?&]language=de(&|$)"))
        expect(card_names(page)).to_have_text(listed_names(languages__code="de"))
        expect(page.get_by_role("group", name="Speaks").get_by_label("German")).to_be_checked()

        page.get_by_role("searchbox", name="Search").fill("Bern")
        page.get_by_role("button", name="Show partners").click()
        expect(page).to_have_url(re.compile(r"q=Bern"))
        expect(card_names(page)).to_have_text(["Aaregarde Security AG"])
    finally:
        context.close()


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_directory_and_profile_have_no_accessibility_violations(page, demo, prefix):
    page.goto(f"{prefix}/partners/?language=fr")
    expect(page.locator("details.directory-facets")).to_have_attribute("open", "")
    expect(card_names(page)).to_have_count(len(listed_names(languages__code="fr")))
    assert_accessible(page)

    page.goto(f"{prefix}/partners/{ENTERPRISE_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aaregarde Security AG")
    assert_accessible(page)


@pytest.mark.parametrize(
    "path",
    [
        "/partners/",
        "/de/partners/?language=de&service=managed&end_customers=1",
        f"/partners/{ENTERPRISE_SLUG}/",
        f"/fr/partners/{CERTIFIED_SLUG}/",
    ],
)
def test_pages_fit_a_320px_screen(page, demo, path):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                id: element.id,
                tag: element.tagName.toLowerCase(),
                type: element.type || "",
                visible: style.outlineStyle !== "none" || style.boxShadow !== "none",
            };
        }"""
    )


def tab_until(page, accept, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if accept(element):
            return element
    raise AssertionError(f"Tab never reached the element; it stopped at {element}")


def test_the_filters_work_by_keyboard_on_a_small_screen(page, demo):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/partners/")
    mark_page(page)

    search = tab_until(page, lambda element: element["id"] == "id_q")
    assert search["visible"], "the search box shows no focus"
    page.keyboard.type("Lausanne")
    expect(card_names(page)).to_have_text([CERTIFIED])

    summary = tab_until(page, lambda element: element["tag"] == "summary")
    assert summary["visible"], "the filters' summary shows no focus"
    page.keyboard.press("Enter")  # unfolds the filters
    checkbox = tab_until(page, lambda element: element["type"] == "checkbox")
    assert checkbox["visible"], "the checkbox shows no focus"
    assert checkbox["id"] == "id_language_0"  # the first language: English
    page.keyboard.press("Space")

    expect(page.locator("#id_language_0")).to_be_checked()
    expect(page).to_have_url(re.compile(r"q=Lausanne.*language=en"))
    expect(card_names(page)).to_have_text([CERTIFIED])
    page.keyboard.press("Space")
    expect(page.locator("#id_language_0")).not_to_be_checked()
    expect(page).not_to_have_url(re.compile(r"language=en"))
    assert_no_horizontal_scroll(page)
    assert_not_reloaded(page)


def test_a_too_short_search_term_shows_the_hint(page, demo):
    page.goto("/partners/")
    mark_page(page)

    page.get_by_role("searchbox", name="Search").press_sequentially("Z")

    expect(page).to_have_url(re.compile(r"q=Z(&|$)"))
    expect(page.get_by_role("status")).to_contain_text("Type at least 2 letters or digits to search.")
    expect(card_names(page)).to_have_count(len(listed_names()))
    assert_not_reloaded(page)

    page.get_by_role("searchbox", name="Search").press_sequentially("ü")  # "Zü": long enough now
    expect(page.get_by_role("status")).not_to_contain_text("Type at least")
    expect(card_names(page)).to_have_text(["Uetliberg Security AG"])


def test_back_and_forward_show_the_filters_that_match_the_results(page, demo):
    page.goto("/partners/")
    page.get_by_role("searchbox", name="Search").press_sequentially("Lausanne")
    expect(card_names(page)).to_have_text([CERTIFIED])
    page.get_by_label("Partner level").select_option("enterprise")
    expect(card_names(page)).to_have_count(0)

    page.go_back()

    # The URL, the results and every control agree again (the page fixture fails on a CSP violation).
    expect(page).to_have_url(re.compile(r"q=Lausanne"))
    expect(card_names(page)).to_have_text([CERTIFIED])
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("Lausanne")
    expect(page.get_by_label("Partner level")).to_have_value("")

    page.go_forward()

    expect(page.get_by_label("Partner level")).to_have_value("enterprise")
    expect(card_names(page)).to_have_count(0)


def test_switching_language_keeps_the_search(page, demo):
    page.goto("/partners/")
    page.get_by_role("searchbox", name="Search").press_sequentially("Lausanne")
    expect(card_names(page)).to_have_text([CERTIFIED])

    page.get_by_role("button", name="Language").click()
    page.get_by_role("button", name="Deutsch").click()

    expect(page).to_have_url(re.compile(r"/de/partners/\?(.*&)?q=Lausanne"))
    expect(card_names(page)).to_have_text([CERTIFIED])
    expect(page.get_by_role("searchbox", name="Suche")).to_have_value("Lausanne")


def test_paging_with_htmx_names_the_page_in_the_title(page, demo, make_partner):
    for number in range(13):
        make_partner(f"Paging Informatik {number:02d} AG", tier="certified", city="Olten")
    page.goto("/partners/")
    mark_page(page)

    page.get_by_role("navigation", name="Pages of partners").get_by_role("link", name="Next").click()

    expect(page).to_have_title(re.compile(r"^Find a partner \(page 2\)"))
    expect(page).to_have_url(re.compile(r"page=2"))
    assert_not_reloaded(page)
