"""The demo's year of newsletters: sent in the past, without emailing anybody, loaded once."""

import datetime

from newsletter.demo import newsletter_demo_load
from newsletter.models import Delivery, Issue


def test_a_year_of_monthly_issues_in_english_and_the_last_three_also_in_german_and_french(tiers, mailoutbox):
    today = datetime.date(2026, 3, 2)

    outcome = newsletter_demo_load(today=today)

    assert outcome == {"created": 18}
    english = Issue.objects.filter(language="en").order_by("publish_on")
    assert [issue.publish_on for issue in english] == [datetime.date(2025, month, 5) for month in range(3, 13)] + [
        datetime.date(2026, 1, 5),
        datetime.date(2026, 2, 5),
    ]
    for language in ["de", "fr"]:
        assert list(
            Issue.objects.filter(language=language).order_by("publish_on").values_list("publish_on", flat=True)
        ) == [
            datetime.date(2025, 12, 5),
            datetime.date(2026, 1, 5),
            datetime.date(2026, 2, 5),
        ]
    assert set(Issue.objects.values_list("status", flat=True)) == {Issue.Status.SENT}
    assert all(issue.sent_at.date() == issue.publish_on for issue in Issue.objects.all())
    assert Issue.objects.filter(min_tier=tiers["certified"]).count() == 6  # 3 in English, the last one in 3 languages
    assert not Delivery.objects.exists()
    assert mailoutbox == []


def test_loading_again_changes_nothing_and_a_later_month_moves_the_year(tiers):
    newsletter_demo_load(today=datetime.date(2026, 3, 2))

    assert newsletter_demo_load(today=datetime.date(2026, 3, 20)) == {"unchanged": 18}
    assert newsletter_demo_load(today=datetime.date(2026, 4, 6)) == {"updated": 18}
    assert Issue.objects.count() == 18
    assert Issue.objects.order_by("-publish_on").first().publish_on == datetime.date(2026, 3, 5)


def test_the_archive_of_an_accredited_reseller_lacks_the_certified_issues(tiers, make_partner):
    newsletter_demo_load()

    accredited = Issue.objects.readable_by(make_partner(tier="accredited")).count()
    certified = Issue.objects.readable_by(make_partner(tier="certified")).count()

    assert (accredited, certified) == (12, 18)
