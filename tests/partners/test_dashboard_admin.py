"""The channel managers' dashboard in admin (/admin/dashboard/), not the partners' /extranet/ dashboard.

The numbers are checked against a small data set counted by hand, as the page shows them.
"""

import datetime
from decimal import Decimal
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nfr.models import Licence
from partners.admin import dashboard_charts
from partners.dashboard import revenue_by_month
from partners.models import (
    Certification,
    DistributorApplication,
    Nomination,
    Partner,
    Product,
    RecruitmentTarget,
)
from partners.models.organisations import one_year_before

DAY = datetime.timedelta(days=1)
DASHBOARD = "admin:dashboard"


class TableReader(HTMLParser):
    """The text of every row of the <table id="..."> asked for, cell by cell."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in {"td", "th"}:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in {"td", "th"} and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table(response, table_id: str) -> list[list[str]]:
    reader = TableReader(table_id)
    reader.feed(response.text)
    assert reader.rows, f"no table #{table_id} on the page"
    return reader.rows


@pytest.fixture
def manager(make_user):
    """A channel manager who may view partners, and nothing more."""
    user = make_user("manager@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_partner", content_type__app_label="partners"))
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# Access -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse(DASHBOARD))

    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]


def test_staff_without_partner_view_permission_are_refused(client, make_user):
    client.force_login(make_user(is_staff=True))

    assert client.get(reverse(DASHBOARD)).status_code == HTTPStatus.FORBIDDEN


def test_a_channel_manager_sees_it_linked_from_the_admin_index(manager_client):
    index = manager_client.get(reverse("admin:index"))

    assert reverse(DASHBOARD) in index.text
    assert manager_client.get(reverse(DASHBOARD)).status_code == HTTPStatus.OK


def test_the_index_has_no_link_for_staff_who_cannot_open_it(client, make_user):
    client.force_login(make_user(is_staff=True))

    assert reverse(DASHBOARD) not in client.get(reverse("admin:index")).text


# Hand-counted figures -----------------------------------------------------------------


@pytest.fixture
def counted(
    make_territory, make_distributor, make_partner, make_purchase, make_member, make_user, tiers, staff_user, today
):
    """Active partners: Deutschschweiz 2 accredited + 1 certified, Romandie 1 accredited + 1 enterprise,
    1 accredited without a territory. Revenue (12 months): Deutschschweiz 3,550, Romandie 5,100, none 200;
    Alpha 3,850, Beta 5,000."""
    de = make_territory("ch-de", name="Deutschschweiz")
    fr = make_territory("ch-fr", name="Romandie")
    alpha = make_distributor("alpha", territories=[de], name="Alpha Distribution")
    beta = make_distributor("beta", territories=[fr], name="Beta Distribution")

    de1 = make_partner("DE One", territory=de)
    de2 = make_partner("DE Two", territory=de)
    de3 = make_partner("DE Three", tier="certified", territory=de, proposed_tier=tiers["accredited"], proposed_on=today)
    fr1 = make_partner("FR One", territory=fr)
    fr2 = make_partner("FR Two", tier="enterprise", territory=fr)
    nowhere = make_partner("Nowhere One")
    make_partner("Applicant", territory=de, status=Partner.Status.APPLIED)
    # An old proposal on a partnership that ended waits for nobody: not counted as a proposed downgrade.
    ended = make_partner(
        "Ended", territory=fr, status=Partner.Status.ENDED, proposed_tier=tiers["accredited"], proposed_on=today
    )

    make_purchase(de1, 1000, today - 10 * DAY, alpha)
    make_purchase(de1, 500, today - 400 * DAY, alpha)  # older than 12 months
    make_purchase(de2, 999, one_year_before(today), alpha)  # exactly a year ago: outside the window
    make_purchase(de2, 50, today - DAY, alpha)
    make_purchase(de3, 2500, today - 100 * DAY, alpha)
    make_purchase(fr1, 700, today - 200 * DAY, beta)
    make_purchase(fr2, 4000, today - 5 * DAY, beta)
    make_purchase(fr2, 300, today - 50 * DAY, alpha)
    make_purchase(nowhere, 200, today - 30 * DAY, beta)
    make_purchase(ended, 100, today - 20 * DAY, beta)  # revenue is revenue, whatever became of the partner

    # Deutschschweiz since 30 days ago: active then de3; now de1 and de2: gained 1 of 2–4.
    RecruitmentTarget.objects.create(
        territory=de, starts_on=today - 30 * DAY, ends_on=today + 60 * DAY, more_active_min=2, more_active_max=4
    )
    # Romandie, ended and not yet started: not on the dashboard.
    RecruitmentTarget.objects.create(
        territory=fr, starts_on=today - 100 * DAY, ends_on=today - DAY, more_active_min=1, more_active_max=None
    )
    RecruitmentTarget.objects.create(
        territory=fr, starts_on=today + DAY, ends_on=today + 100 * DAY, more_active_min=3, more_active_max=None
    )

    nfr_product = Product.objects.create(sku="NFR-1", name="NFR product", nfr_available=True)
    requester = make_member(fr2).user
    for status in [Licence.Status.PENDING, Licence.Status.PENDING, Licence.Status.REJECTED]:
        Licence.objects.create(partner=fr2, product=nfr_product, requested_by=requester, purpose="Lab", status=status)
    Nomination.objects.create(partner=fr1, tier=tiers["enterprise"], reason="Big project", proposed_by=staff_user)
    Nomination.objects.create(
        partner=de1,
        tier=tiers["enterprise"],
        reason="Declined",
        proposed_by=staff_user,
        status=Nomination.Status.DECLINED,
    )
    for status in [DistributorApplication.Status.PENDING, DistributorApplication.Status.REFUSED]:
        DistributorApplication.objects.create(
            company=f"{status} AG", contact_name="A", contact_email="a@example.com", status=status
        )

    holder = make_user("anna.muster@example.com", first_name="Anna", last_name="Muster")
    for number, days in [("C-LAST", 60), ("C-TODAY", 0), ("C-LATER", 61), ("C-EXPIRED", -1)]:
        Certification.objects.create(
            partner=de3,
            holder=holder,
            exam="Security Professional",
            number=number,
            issued_on=today - 300 * DAY,
            expires_on=today + days * DAY,
        )


def test_partners_by_tier_and_territory(manager_client, counted):
    response = manager_client.get(reverse(DASHBOARD))

    assert table(response, "tiers-table") == [
        ["Territory", "Accredited Reseller", "Certified Partner", "Enterprise Solution Partner", "Total"],
        ["Deutschschweiz", "2", "1", "0", "3"],
        ["Romandie", "1", "0", "1", "2"],
        ["No territory", "1", "0", "0", "1"],
        ["Total", "4", "1", "1", "6"],
    ]
    assert 'aria-labelledby="tiers-chart-title"' in response.text


def test_revenue_by_territory_and_distributor(manager_client, counted):
    response = manager_client.get(reverse(DASHBOARD))

    assert table(response, "territory-revenue-table") == [
        ["Territory", "Revenue"],
        ["Romandie", "EUR 5,100"],
        ["Deutschschweiz", "EUR 3,550"],
        ["No territory", "EUR 200"],
    ]
    assert table(response, "distributor-revenue-table") == [
        ["Distributor", "Revenue"],
        ["Beta Distribution", "EUR 5,000"],
        ["Alpha Distribution", "EUR 3,850"],
    ]
    months = table(response, "month-revenue-table")[1:]
    assert len(months) == 12
    # The months hold the 12-month revenue except what falls before the first of the oldest month.
    oldest = revenue_by_month(on=response.context["today"])[0][0]
    within = 5100 + 3550 + 200 - (700 if oldest > response.context["today"] - 200 * DAY else 0)
    assert sum(int(value.removeprefix("EUR ").replace(",", "")) for _month, value in months) == within


def test_active_partners_against_current_targets(manager_client, counted):
    response = manager_client.get(reverse(DASHBOARD))

    # Only the current target; the ended and the future one of Romandie are not shown.
    [header, row] = table(response, "targets-table")
    assert header[0] == "Territory"
    assert row[0] == "Deutschschweiz"
    # goal, active at the start, active now, gained, expected by today (2 × 30/90 rounded down), status
    assert row[2:] == ["2–4", "1", "2", "1", "0", "On track"]
    assert "1 of 2–4" in response.text  # the chart's value


def test_what_waits_for_a_decision(staff_client, counted):
    response = staff_client.get(reverse(DASHBOARD))

    waiting = {link.label: (link.count, link.url) for link in response.context["waiting"]}
    partners = reverse("admin:partners_partner_changelist")
    assert waiting["Partner applications"] == (1, f"{partners}?status__exact=applied")
    assert waiting["Proposed downgrades"] == (1, f"{partners}?downgrade=yes")
    assert waiting["NFR licences awaiting approval"] == (
        2,
        f"{reverse('admin:nfr_licence_changelist')}?decision=pending",
    )
    assert waiting["Nominations waiting for confirmation"] == (
        1,
        f"{reverse('admin:partners_nomination_changelist')}?status=pending",
    )
    assert waiting["Distributor applications"] == (
        1,
        f"{reverse('admin:partners_distributorapplication_changelist')}?status=pending",
    )
    for label, (_count, url) in waiting.items():
        if url:
            assert f'href="{url.replace("&", "&amp;")}"' in response.text, label
    # The linked list agrees with the count (and with the tier review): active partners only.
    downgrades = staff_client.get(waiting["Proposed downgrades"][1])
    assert [partner.name for partner in downgrades.context["cl"].result_list] == ["DE Three"]


def test_a_manager_without_view_permission_on_a_list_sees_its_count_without_a_link(manager_client, counted):
    response = manager_client.get(reverse(DASHBOARD))

    waiting = {link.label: (link.count, link.url) for link in response.context["waiting"]}
    assert waiting["NFR licences awaiting approval"] == (2, None)
    assert waiting["Partner applications"][1] is not None


def test_certifications_expiring_within_60_days(staff_client, counted, today):
    response = staff_client.get(reverse(DASHBOARD))

    rows = table(response, "expiring-table")
    assert [row[2] for row in rows[1:]] == ["Security Professional (C-TODAY)", "Security Professional (C-LAST)"]
    assert rows[1][:2] == ["DE Three", "Anna Muster"]
    assert f"{reverse('admin:partners_certification_changelist')}?validity=expiring" in response.text


def test_at_most_20_expiring_certifications_are_listed(staff_client, make_partner, make_certified_technician, today):
    partner = make_partner()
    for days in range(25):
        make_certified_technician(partner, expires_on=today + days * DAY)

    response = staff_client.get(reverse(DASHBOARD))

    assert len(table(response, "expiring-table")) == 1 + 20
    assert "The 20 soonest of 25." in response.text


def test_numbers_follow_the_language(staff_client, counted):
    response = staff_client.get("/de" + reverse(DASHBOARD))

    assert response.status_code == HTTPStatus.OK
    assert ["Romandie", "EUR 5.100"] in table(response, "territory-revenue-table")


def test_an_empty_programme_renders(staff_client, tiers):
    response = staff_client.get(reverse(DASHBOARD))

    assert response.status_code == HTTPStatus.OK
    assert "No recruitment target runs today." in response.text
    assert "No purchases in the last 12 months." in response.text


def test_revenue_by_month_fills_empty_months(make_partner, make_purchase):
    partner = make_partner()
    for day, amount in [
        (datetime.date(2026, 3, 1), 100),
        (datetime.date(2026, 3, 15), 1),
        (datetime.date(2026, 3, 16), 1000),  # after the day asked for
        (datetime.date(2026, 2, 28), 50),
        (datetime.date(2025, 4, 1), 25),  # the first day of the oldest month
        (datetime.date(2025, 3, 31), 1000),  # before it
    ]:
        make_purchase(partner, amount, day)

    months = revenue_by_month(on=datetime.date(2026, 3, 15))

    assert [month for month, _total in months] == [datetime.date(2025, 4 + n, 1) for n in range(9)] + [
        datetime.date(2026, n, 1) for n in (1, 2, 3)
    ]
    assert [total for _month, total in months] == [Decimal(25), *[Decimal(0)] * 9, Decimal(50), Decimal(101)]


# A fixed number of queries ------------------------------------------------------------


@pytest.fixture
def grow(make_territory, make_distributor, make_partner, make_purchase, make_certified_technician, tiers, today):
    """Partners spread over 3 territories and tiers, each with purchases and an expiring certification."""
    territories = [make_territory() for _ in range(3)]
    distributors = [make_distributor(territories=[territory]) for territory in territories]
    for territory in territories:
        RecruitmentTarget.objects.create(
            territory=territory, starts_on=today - 10 * DAY, ends_on=today + 80 * DAY, more_active_min=5
        )

    def add(count: int):
        for n in range(count):
            partner = make_partner(tier=list(tiers)[n % 3], territory=territories[n % 3])
            make_purchase(partner, 100 + n, today - (n * 7 % 360) * DAY, distributors[n % 3])
            make_certified_technician(partner, expires_on=today + (n % 60) * DAY)

    return add


def test_queries_do_not_grow_with_the_data(staff_client, grow, django_assert_max_num_queries):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse(DASHBOARD)).status_code == HTTPStatus.OK
        return len(captured)

    grow(5)
    staff_client.get(reverse(DASHBOARD))  # warm the session
    few = queries()
    grow(55)
    with django_assert_max_num_queries(few):
        response = staff_client.get(reverse(DASHBOARD))
    assert response.context["dashboard"].partner_total == 60
    assert queries() == few


def test_chart_tooltips_take_their_colon_from_the_catalogue(monkeypatch):
    """French writes "Suisse romande : EUR 5 790" with a non-breaking space: the format is a translatable string."""
    french = {"%(label)s: %(value)s": "%(label)s\u00a0: %(value)s"}
    monkeypatch.setattr(dashboard_charts, "_", lambda text: french.get(text, text))

    bars = dashboard_charts.bar_chart([("Suisse romande", Decimal("5790"))], money=True)
    stacked = dashboard_charts.stacked_chart([("Romandie", [3, 2])], ["Accredited Reseller", "Certified Partner"])

    assert bars.rows[0].segments[0].title == "Suisse romande\u00a0: EUR 5,790"
    assert [segment.title for segment in stacked.rows[0].segments] == [
        "Accredited Reseller\u00a0: 3",
        "Certified Partner\u00a0: 2",
    ]
