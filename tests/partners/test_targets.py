"""Regional recruitment targets: progress against hand-counted active partners, and their admin."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from partners.models import RecruitmentTarget
from partners.targets import Status, goal_display, target_progress

DAY = datetime.timedelta(days=1)


@pytest.fixture
def make_target(db, make_territory, today):
    def make(territory=None, *, starts_on=None, ends_on=None, low: int = 4, high: int | None = 6, **fields):
        return RecruitmentTarget.objects.create(
            territory=territory or make_territory(),
            starts_on=starts_on or today - 30 * DAY,
            ends_on=ends_on or today + 60 * DAY,
            more_active_min=low,
            more_active_max=high,
            **fields,
        )

    return make


@pytest.fixture
def zurich(make_territory):
    return make_territory("ch-zh", name="Zürich")


@pytest.fixture
def buying(make_partner, make_purchase):
    """A partner in `territory` with a purchase on each of `days`."""

    def make(territory, *days):
        partner = make_partner(territory=territory)
        for day in days:
            make_purchase(partner, 100, day)
        return partner

    return make


@pytest.fixture
def counted(zurich, make_territory, buying, today):
    """Start of the period: 30 days ago. Active at the start: A and E (2); active today: A, C, D, E (4)."""
    start = today - 30 * DAY
    buying(zurich, start - 10 * DAY, today - 5 * DAY)  # A: at the start and now
    buying(zurich, start - 100 * DAY)  # B: bought too long ago for either day
    buying(zurich, today - DAY)  # C: new
    buying(zurich, today - 20 * DAY)  # D: new
    buying(zurich, start - 5 * DAY)  # E: 35 days ago, still inside the 90 days today
    buying(zurich, start - 90 * DAY)  # F: exactly 90 days before the start: the window excludes it
    buying(zurich, today + 3 * DAY)  # G: invoiced after today: not yet
    buying(make_territory(), today, start)  # elsewhere
    return zurich


def test_progress_against_hand_counted_partners(counted, make_target, today):
    target = make_target(counted, low=4, high=6)

    [progress] = target_progress([target], on=today)

    assert (progress.baseline, progress.current, progress.gained) == (2, 4, 2)
    assert progress.measured_on == today
    assert progress.expected == 1  # 4 × 30/90 days, rounded down
    assert progress.status == Status.ON_TRACK
    assert (progress.goal_min, progress.goal_max) == (4, 6)


def test_partners_whose_partnership_is_not_active_do_not_count(
    counted, make_partner, make_purchase, make_target, today
):
    """Active partners are active partnerships that bought lately: a suspended partner's purchases don't count."""
    for status in ["suspended", "ended", "applied"]:
        make_purchase(make_partner(territory=counted, status=status), 100, today - DAY)
    target = make_target(counted, low=4, high=6)

    [progress] = target_progress([target], on=today)

    assert (progress.baseline, progress.current) == (2, 4)


def test_the_activity_window_is_a_setting(counted, make_target, today, settings):
    settings.EXTRANET_ACTIVE_PARTNER_DAYS = 7
    target = make_target(counted)

    [progress] = target_progress([target], on=today)

    # At the start only E (5 days before) bought within 7 days; today A (5 days ago) and C (yesterday).
    assert (progress.baseline, progress.current) == (1, 2)


@pytest.mark.parametrize(
    ("low", "days_elapsed", "status"),
    [
        (2, 30, Status.REACHED),  # gained 2 of at least 2
        (6, 30, Status.ON_TRACK),  # expected 6 × 30/90 = 2
        (9, 30, Status.BEHIND),  # expected 9 × 30/90 = 3
        (9, 89, Status.BEHIND),
    ],
)
def test_status(counted, make_target, today, low, days_elapsed, status):
    target = make_target(counted, starts_on=today - 30 * DAY, ends_on=today - 30 * DAY + 90 * DAY, low=low, high=None)
    on = target.starts_on + days_elapsed * DAY

    [progress] = target_progress([target], on=on)

    assert progress.status == status


def test_an_ended_target_is_measured_at_its_end(counted, buying, make_target, today):
    target = make_target(counted, starts_on=today - 30 * DAY, ends_on=today - 2 * DAY, low=3, high=None)

    [progress] = target_progress([target], on=today)

    # C bought yesterday, after the period: it does not count.
    assert progress.measured_on == today - 2 * DAY
    assert (progress.baseline, progress.current) == (2, 3)
    assert progress.status == Status.MISSED


def test_a_future_target_has_not_started(counted, make_target, today):
    target = make_target(counted, starts_on=today + 10 * DAY, ends_on=today + 100 * DAY)

    [progress] = target_progress([target], on=today)

    assert progress.status == Status.NOT_STARTED
    assert progress.gained == 0


def test_one_query_for_any_number_of_targets(make_target, make_territory, today, django_assert_num_queries):
    targets = [
        make_target(make_territory(), starts_on=today - days * DAY, ends_on=today + days * DAY)
        for days in (10, 20, 30, 40)
    ]
    with django_assert_num_queries(1):
        progress = target_progress(targets, on=today)
    assert [p.target for p in progress] == targets


def test_goal_display(make_target):
    assert goal_display(make_target(low=15, high=20)) == "15–20"
    assert goal_display(make_target(low=15, high=None)) == "15"
    assert goal_display(make_target(low=15, high=15)) == "15"


# Admin ---------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


CHANGELIST = "admin:partners_recruitmenttarget_changelist"
ADD = "admin:partners_recruitmenttarget_add"


def test_changelist_shows_progress(staff_client, counted, make_target):
    make_target(counted, low=15, high=20, note="German-speaking Switzerland")

    response = staff_client.get(reverse(CHANGELIST))

    assert response.status_code == HTTPStatus.OK
    row = next(line for line in response.text.splitlines() if "15–20" in line)
    cells = [cell.rsplit(">", 1)[1] for cell in row.split("</td>")[:-1]]
    # goal, at the start, now, gained, status (expected by now: 15 × 30/90 = 5)
    assert cells[-6:-1] == ["15–20", "2", "4", "2", "Behind"]


@pytest.mark.parametrize(
    ("period", "expected"),
    [("current", {"now"}), ("past", {"past"}), ("future", {"future"}), ("", {"now", "past", "future"})],
)
def test_period_filter(staff_client, make_target, today, period, expected):
    make_target(note="now")
    make_target(note="past", starts_on=today - 100 * DAY, ends_on=today - DAY)
    make_target(note="future", starts_on=today + DAY, ends_on=today + 100 * DAY)

    response = staff_client.get(reverse(CHANGELIST), {"period": period} if period else {})

    assert {target.note for target in response.context["cl"].result_list} == expected


def test_changelist_queries_do_not_grow_with_targets(staff_client, make_target, buying, make_territory, today):
    def add_some(count):
        for n in range(count):
            territory = make_territory()
            buying(territory, today - n * DAY)
            make_target(territory, starts_on=today - (n + 1) * DAY)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(reverse(CHANGELIST)).status_code == HTTPStatus.OK
        return len(captured)

    add_some(2)
    staff_client.get(reverse(CHANGELIST))  # warm the session
    few = queries()
    add_some(20)
    assert queries() == few


def form_post(client, zurich, **fields):
    data = {
        "territory": zurich.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "more_active_min": "15",
        "more_active_max": "20",
        "note": "",
    }
    return client.post(reverse(ADD), data | fields)


def test_add_a_target(staff_client, zurich):
    response = form_post(staff_client, zurich)

    assert response.status_code == HTTPStatus.FOUND
    target = RecruitmentTarget.objects.get()
    assert (target.more_active_min, target.more_active_max) == (15, 20)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_on": "2025-12-31"}, "ends_on", "The period must end after the day it starts."),
        ({"ends_on": "2026-01-01"}, "ends_on", "The period must end after the day it starts."),
        ({"more_active_max": "10"}, "more_active_max", "The upper end of the goal cannot be below its lower end (15)."),
        ({"more_active_min": "0"}, "more_active_min", "The goal is at least one more active partner."),
    ],
)
def test_bad_periods_and_ranges_are_explained(staff_client, zurich, fields, field, message):
    response = form_post(staff_client, zurich, **fields)

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors[field] == [message]
    assert not RecruitmentTarget.objects.exists()


def test_overlapping_periods_of_a_territory_are_refused(staff_client, zurich, make_target, make_territory):
    make_target(zurich, starts_on=datetime.date(2025, 7, 1), ends_on=datetime.date(2026, 3, 31))

    response = form_post(staff_client, zurich)
    elsewhere = form_post(staff_client, make_territory())

    assert response.context["adminform"].form.errors["starts_on"] == [
        "Zürich already has a target from 1 July 2025 to 31 March 2026; periods must not overlap."
    ]
    assert elsewhere.status_code == HTTPStatus.FOUND


def test_a_target_can_be_edited_without_overlapping_itself(staff_client, zurich, make_target):
    target = make_target(zurich, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    data = {
        "territory": zurich.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-06-30",
        "more_active_min": "5",
        "more_active_max": "",
        "note": "Halved",
    }

    response = staff_client.post(reverse("admin:partners_recruitmenttarget_change", args=[target.pk]), data)

    assert response.status_code == HTTPStatus.FOUND
    target.refresh_from_db()
    assert (target.ends_on, target.more_active_max) == (datetime.date(2026, 6, 30), None)


def test_the_current_period_has_its_own_wording(staff_client, make_target):
    """Not the NFR licence's "Current" ("Gültig"): a period is "Laufend", which the context lets German say."""
    make_target(note="now")

    with translation.override("de"):
        response = staff_client.get(reverse(CHANGELIST))
        period = next(spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "period")
        labels = [str(label) for _value, label in period.lookup_choices]
        assert labels[0] == pgettext("period", "Current")

    assert labels[0] != "Gültig"
