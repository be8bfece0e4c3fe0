"""The schema migrates forward from the previous release's (before the programme operations) with data in it.

pytest-django builds the test database by running every migration on an empty database, so
"from empty" is proven by every run; this test goes back to the last release's partners schema
(0006), writes a partner there, and migrates forward again.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partners.models import Invitation, Nomination, SalesImport
from partners.models import Partner as CurrentPartner

PREVIOUS_RELEASE = [("partners", "0006_partner_logo")]


@pytest.mark.django_db(transaction=True)
def test_migrating_forward_from_the_previous_release_keeps_the_data():
    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS_RELEASE)
    old = executor.loader.project_state(PREVIOUS_RELEASE).apps
    Tier, Partner = old.get_model("partners", "Tier"), old.get_model("partners", "Partner")
    assert "partners_salesimport" not in connection.introspection.table_names()
    # An earlier transactional test may have emptied the tables the data migration filled.
    tier = Tier.objects.order_by("rank").first() or Tier.objects.create(code="entry", name="Entry", rank=1)
    partner = Partner.objects.create(name="Old Release AG", slug="old-release", tier=tier)

    call_command("migrate", verbosity=0)

    assert CurrentPartner.objects.get(pk=partner.pk).name == "Old Release AG"
    assert not SalesImport.objects.exists()
    assert not Nomination.objects.exists()
    assert Invitation.Role.OWNER in [choice for choice, _label in Invitation.Role.choices]
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
