import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("evaluate_tiers", *args, stdout=out)
    return out.getvalue()


def test_evaluate_tiers_prints_summary_and_applies(make_partner, make_purchase, make_certified_technician, today):
    climber = make_partner("Climber AG")
    make_purchase(climber, "15000", today)
    make_certified_technician(climber)
    make_purchase(make_partner("Lapsed SA", tier="certified"), "2000", today)
    make_partner("Nominated GmbH", tier="enterprise")

    dry = run("--dry-run")

    assert dry.startswith("Dry run, nothing written. Evaluated 3 active partners: 1 upgrades")
    assert "Climber AG: Accredited Reseller -> Certified Partner (EUR 15,000, 1 certified)" in dry
    assert "Lapsed SA: Certified Partner -> Accredited Reseller; lacks EUR 8,000 more purchase volume" in dry
    assert "Nominated GmbH: Enterprise Solution Partner but lacks" in dry
    climber.refresh_from_db()
    assert climber.tier.code == "accredited"

    assert "1 upgrades" in run()
    climber.refresh_from_db()
    assert climber.tier.code == "certified"
    assert "0 upgrades" in run()


def test_evaluate_tiers_enqueue_queues_the_review_for_the_worker(settings, make_partner, make_purchase, today):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    climber = make_partner("Climber AG")
    make_purchase(climber, "15000", today)

    output = run("--enqueue")

    queued = DBTaskResult.objects.get()
    assert queued.task_path == "partners.tasks.review_tiers"
    assert f"Queued the tier review for the task worker (task {queued.id})." in output
    climber.refresh_from_db()
    assert climber.tier.code == "accredited"  # the worker applies it, not the command


def test_evaluate_tiers_refuses_a_queued_dry_run():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="cannot be queued"):
        run("--enqueue", "--dry-run")


def test_the_review_task_applies_the_review_and_reports_counts(
    make_partner, make_purchase, make_certified_technician, today, caplog
):
    from partners.tasks import review_tiers

    climber = make_partner("Climber AG")
    make_purchase(climber, "15000", today)
    make_certified_technician(climber)
    make_purchase(make_partner("Lapsed SA", tier="certified"), "2000", today)

    counts = review_tiers.call()

    assert counts == {
        "evaluated": 2,
        "upgrades": 1,
        "downgrades_applied": 0,
        "downgrades_proposed": 1,
        "proposals_withdrawn": 0,
        "flagged": 0,
    }
    climber.refresh_from_db()
    assert climber.tier.code == "certified"
    assert "Tier review: 2 evaluated, 1 upgrades" in caplog.text
