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
