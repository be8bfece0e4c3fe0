"""The library page (table, filters, locked teasers, htmx) and the download responses."""

import datetime
import logging
from http import HTTPStatus

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library.models import MULTILINGUAL, Resource

Category = Resource.Category
LIST_URL = "/extranet/library/"


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].paginated_rows]


def locked_titles(response) -> dict[str, list[str]]:
    return {group.tier.code: [r.title for r in group.resources] for group in response.context["locked_tiers"]}


def test_urls_are_where_the_navigation_expects_them():
    assert reverse("library:resource-list") == LIST_URL
    assert reverse("library:resource-download", args=[7]) == "/extranet/library/7/download/"


# The page ---------------------------------------------------------------------------------


def test_accredited_partner_downloads_the_starter_kit_and_sees_higher_material_locked(client, sign_in, one_of_each):
    membership = sign_in("accredited")

    response = client.get(LIST_URL)

    html = response.content.decode()
    assert titles(response) == ["Starter kit material", "Sales material", "Marketing material"]
    for category in ["starter_kit", "sales", "marketing"]:
        assert reverse("library:resource-download", args=[one_of_each[category].pk]) in html
    for category in ["technical", "price_list", "project_material"]:
        assert reverse("library:resource-download", args=[one_of_each[category].pk]) not in html
    assert locked_titles(response) == {
        "certified": ["Price list material", "Technical material"],
        "enterprise": ["Project material material"],
    }
    assert "Available from Certified Partner" in html
    assert "Available from Enterprise Solution Partner" in html
    assert f"What {membership.partner.name} still needs for this tier:" in html
    assert "EUR 10,000 more purchase volume" in html
    assert "1 certified technician" in html
    assert "a nomination by the vendor" in html


def test_missing_requirements_reflect_the_partners_figures(
    client, sign_in, one_of_each, make_purchase, make_certified_technician, today
):
    membership = sign_in("accredited")
    make_purchase(membership.partner, 7600, today - datetime.timedelta(days=30))
    make_certified_technician(membership.partner)

    html = client.get(LIST_URL).content.decode()

    assert "EUR 2,400 more purchase volume" in html
    assert "certified technician" not in html.split("Available from Certified Partner")[1].split("</ul>")[0]


def test_enterprise_partner_has_nothing_locked(client, sign_in, one_of_each):
    sign_in("enterprise")

    response = client.get(LIST_URL)

    assert len(titles(response)) == len(Category.values)
    assert response.context["locked_tiers"] == []
    assert "Locked: for higher tiers" not in response.content.decode()


def test_filters_apply_to_the_table_and_to_the_teasers(client, sign_in, make_resource):
    sign_in("accredited")
    make_resource("Welcome guide", category=Category.STARTER_KIT, language="en")
    make_resource("Willkommen", category=Category.STARTER_KIT, language="de")
    make_resource("Logo pack", category=Category.STARTER_KIT, language=MULTILINGUAL)
    make_resource("Flyer", category=Category.MARKETING, language="de", description="Co-branded welcome flyer")
    make_resource("Price list DE", category=Category.PRICE_LIST, language="de")
    make_resource("Price list EN", category=Category.PRICE_LIST, language="en")

    by_category = client.get(LIST_URL, {"category": "starter_kit"})
    german = client.get(LIST_URL, {"language": "de"})
    search = client.get(LIST_URL, {"q": "WELCOME"})
    only_multi = client.get(LIST_URL, {"language": MULTILINGUAL})

    assert titles(by_category) == ["Logo pack", "Welcome guide", "Willkommen"]
    assert locked_titles(by_category) == {}
    assert set(titles(german)) == {"Logo pack", "Willkommen", "Flyer"}  # all-language material serves everyone
    assert locked_titles(german) == {"certified": ["Price list DE"]}
    assert set(titles(search)) == {"Welcome guide", "Flyer"}  # title or description, any case
    assert titles(only_multi) == ["Logo pack"]


def test_an_invalid_filter_value_shows_nothing_and_says_why(client, sign_in, one_of_each):
    sign_in("enterprise")

    response = client.get(LIST_URL, {"category": "secret"})

    assert response.status_code == HTTPStatus.OK
    assert titles(response) == []
    assert "Select a valid choice" in response.content.decode()


def test_columns_sort_and_pages_hold_20_rows(client, sign_in, make_resource):
    sign_in("accredited")
    for number in range(25):
        make_resource(f"Guide {number:02d}", category=Category.SALES if number % 2 else Category.STARTER_KIT)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    by_title_desc = client.get(LIST_URL, {"sort": "-title"})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert titles(first)[:2] == ["Guide 00", "Guide 02"]  # starter kit first, then by title
    assert titles(by_title_desc)[0] == "Guide 24"
    assert 'aria-sort="descending"' in by_title_desc.content.decode()
    assert 'aria-current="page"' in second.content.decode()


def test_page_queries_do_not_grow_with_resources(client, sign_in, make_resource, django_assert_max_num_queries):
    sign_in("accredited")
    categories = Category.values

    def add(count: int) -> None:
        for _ in range(count):
            number = Resource.objects.count()
            make_resource(f"Resource {number:02d}", category=categories[number % len(categories)])

    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST_URL, {"language": "en"}).status_code == HTTPStatus.OK
        return len(queries)

    add(5)
    client.get(LIST_URL)  # warm the session
    # The library's own: membership, table count and page, locked resources, programme (2) and the
    # partner's figures (1). Around them: session and user, the session save in a savepoint, and the
    # MFA middleware's membership lookup.
    with django_assert_max_num_queries(13):
        few = queries_for_the_page()
    add(45)
    many = queries_for_the_page()

    assert Resource.objects.count() == 50
    assert many == few


# htmx ----------------------------------------------------------------------------------


def test_htmx_requests_get_only_the_results(client, sign_in, one_of_each):
    sign_in("accredited")

    partial = client.get(LIST_URL, {"category": "sales"}, headers={"HX-Request": "true"})
    full = client.get(LIST_URL, {"category": "sales"})

    assert [t.name for t in partial.templates][0] == "library/_resource_results.html"
    assert "<html" not in partial.content.decode()
    assert titles(partial) == ["Sales material"]
    assert '<p id="library-count" hx-swap-oob="innerHTML">1 resource to download.</p>' in partial.content.decode()
    assert [t.name for t in full.templates][0] == "library/resource_list.html"
    assert "<html" in full.content.decode()
    assert '<p id="library-count" class="library-count mb-2" role="status">1 resource to download.</p>' in (
        full.content.decode()
    )
    assert "hx-swap-oob" not in full.content.decode()
    assert "HX-Request" in partial["Vary"]
    assert "HX-Request" in full["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, sign_in, one_of_each):
    sign_in("accredited")

    response = client.get(LIST_URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})

    assert "<html" in response.content.decode()
    assert response.content.decode().count('id="library-count"') == 1


def test_the_filter_form_works_with_and_without_htmx(client, sign_in, one_of_each):
    sign_in("accredited")

    html = client.get(LIST_URL).content.decode()

    form = html.split('<form class="library-filters')[1].split(">")[0]
    assert 'method="get"' in form
    assert f'action="{LIST_URL}"' in form
    assert f'hx-get="{LIST_URL}"' in form
    assert 'hx-target="#library-results"' in form
    assert 'hx-push-url="true"' in form
    assert "change" in form
    assert "input changed delay:" in form
    assert '<div id="library-results">' in html


def test_the_page_has_no_inline_script_or_style(client, sign_in, one_of_each):
    sign_in("accredited")

    html = client.get(LIST_URL).content.decode()

    assert "<script>" not in html
    assert " style=" not in html


# Downloads -------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_original_name(client, sign_in, make_resource):
    sign_in("accredited")
    resource = make_resource(filename="Partner welcome guide.pdf")

    response = client.get(reverse("library:resource-download", args=[resource.pk]))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"] == 'attachment; filename="Partner welcome guide.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert int(response["Content-Length"]) == resource.size
    assert b"".join(response.streaming_content) == resource.file.open("rb").read()


def test_download_names_outside_ascii_survive(client, sign_in, make_resource):
    sign_in("accredited")
    resource = make_resource(filename="Preisliste Zürich.csv", content=b"SKU;Preis\n", category=Category.SALES)

    response = client.get(reverse("library:resource-download", args=[resource.pk]))

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Preisliste%20Z%C3%BCrich.csv"
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_x_accel_redirect_hands_the_file_to_the_web_server(client, sign_in, make_resource, settings):
    settings.EXTRANET_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    sign_in("accredited")
    resource = make_resource(filename="guide.pdf")

    response = client.get(reverse("library:resource-download", args=[resource.pk]))

    assert response.status_code == HTTPStatus.OK
    assert response["X-Accel-Redirect"] == f"/protected/{resource.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="guide.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_x_accel_redirect_still_checks_the_tier(client, sign_in, one_of_each, settings):
    settings.EXTRANET_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    sign_in("accredited")

    response = client.get(reverse("library:resource-download", args=[one_of_each["price_list"].pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "X-Accel-Redirect" not in response


def test_a_file_missing_on_disk_is_a_404_and_a_warning(client, sign_in, make_resource, private_root, caplog):
    sign_in("accredited")
    resource = make_resource("Lost guide")
    (private_root / resource.file.name).unlink()

    with caplog.at_level(logging.WARNING, logger="library.downloads"):
        response = client.get(reverse("library:resource-download", args=[resource.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Lost guide" in caplog.text
    assert resource.file.name in caplog.text


def test_downloads_accept_only_get(client, sign_in, make_resource):
    sign_in("accredited")
    resource = make_resource()

    response = client.post(reverse("library:resource-download", args=[resource.pk]))

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
