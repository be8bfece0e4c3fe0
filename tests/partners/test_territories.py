"""No two active distributors serve the same territory."""

import pytest
from django.core.exceptions import ValidationError

from partners.models import Distributor
from partners.services import distributor_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def german_swiss(make_territory):
    return make_territory("ch-de", name="German-speaking Switzerland", regions="ZH, BE, LU")


@pytest.fixture
def served(german_swiss, make_distributor):
    return make_distributor("alpsec", name="Alpsec Distribution AG", territories=[german_swiss])


def test_second_distributor_for_a_served_territory_is_refused(served, german_swiss):
    newcomer = Distributor(code="newco", name="Newco AG")

    with pytest.raises(ValidationError) as refused:
        distributor_save(distributor=newcomer, territories=[german_swiss])

    assert "already served by Alpsec Distribution AG" in str(refused.value)
    assert not Distributor.objects.filter(code="newco").exists()


def test_overlapping_cantons_are_refused(served, make_territory):
    zurich = make_territory("zh", name="Zurich", regions="ZH")

    with pytest.raises(ValidationError, match="Alpsec Distribution AG"):
        distributor_save(distributor=Distributor(code="zh-dist", name="ZH Dist"), territories=[zurich])


def test_whole_country_overlaps_its_regions(served, make_territory):
    switzerland = make_territory("ch", name="Switzerland", regions="")

    with pytest.raises(ValidationError, match="Alpsec Distribution AG"):
        distributor_save(distributor=Distributor(code="ch-dist", name="CH Dist"), territories=[switzerland])


def test_disjoint_territories_and_other_countries_are_fine(served, make_territory):
    romandie = make_territory("ch-fr", regions="GE, VD")
    germany = make_territory("de", country="DE")

    saved = distributor_save(distributor=Distributor(code="leman", name="Leman SA"), territories=[romandie, germany])

    assert set(saved.territories.all()) == {romandie, germany}


def test_inactive_distributors_do_not_block_and_may_overlap(served, german_swiss):
    served.is_active = False
    served.save()

    newcomer = distributor_save(distributor=Distributor(code="newco", name="Newco AG"), territories=[german_swiss])
    old = distributor_save(
        distributor=Distributor(code="old", name="Old AG", is_active=False), territories=[german_swiss]
    )

    assert list(newcomer.territories.all()) == list(old.territories.all()) == [german_swiss]


def test_reactivating_into_a_served_territory_is_refused(served, german_swiss, make_distributor):
    sleeper = make_distributor("sleeper", name="Sleeper AG", is_active=False, territories=[german_swiss])
    sleeper.is_active = True

    with pytest.raises(ValidationError, match="Alpsec Distribution AG"):
        distributor_save(distributor=sleeper, territories=[german_swiss])


def test_a_distributor_does_not_conflict_with_itself(served, german_swiss):
    served.name = "Alpsec Distribution AG (renamed)"

    distributor_save(distributor=served, territories=[german_swiss])

    served.refresh_from_db()
    assert served.name.endswith("(renamed)")
