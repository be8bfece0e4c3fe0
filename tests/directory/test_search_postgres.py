"""The search indexes of migration directory 0002, and that the directory's search queries use them.

PostgreSQL only; the suite runs there with `DATABASE_URL=postgres://...`. On SQLite the migration
does nothing and the search is a plain scan (tests/directory/test_search.py covers its results).
"""

import pytest
from django.db import connection
from django.urls import reverse

from directory.filters import PartnerFilter
from directory.search import partner_search
from partners.models import Partner

from .conftest import card_slugs

INDEXES = {
    "directory_partner_search": "gin (to_tsvector(",
    "directory_partner_name_trgm": "gin (name gin_trgm_ops)",
    "directory_partner_city_trgm": "gin (city gin_trgm_ops)",
}
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search indexes")


def search_plan(term: str) -> str:
    """EXPLAIN of the search condition alone, where only bitmap scans are allowed.

    The test tables are small, where a sequential scan is cheaper and the planner rightly picks
    it; pricing the other paths out asks whether the indexes *can* serve the search, which is
    what breaks when the expressions in directory.search and in the migration drift apart.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    try:
        return partner_search(Partner.objects.order_by(), term).explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")


def copies_insert(partner: Partner, count: int) -> None:
    """`count` copies of `partner` under other names and slugs, in one INSERT ... SELECT."""
    columns = [field.column for field in Partner._meta.concrete_fields if not field.primary_key]
    copied = [
        {"name": "'Copy ' || n", "slug": "'copy-' || n", "uid": "''", "city": "'Zürich'", "postcode": "'8005'"}.get(
            column, connection.ops.quote_name(column)
        )
        for column in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO partners_partner ({', '.join(map(connection.ops.quote_name, columns))}) "
            f"SELECT {', '.join(copied)} FROM partners_partner, generate_series(1, %s) AS n WHERE id = %s",
            [count, partner.pk],
        )
        cursor.execute("ANALYZE partners_partner")


@on_postgresql
@pytest.mark.django_db
def test_the_migration_created_the_search_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'partners_partner' AND indexname = ANY(%s)",
            [list(INDEXES)],
        )
        definitions = dict(cursor.fetchall())
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        trigram_extension = cursor.fetchone()

    assert trigram_extension
    assert set(definitions) == set(INDEXES)
    for name, expected in INDEXES.items():
        assert expected in definitions[name].lower(), definitions[name]
    assert "'simple'::regconfig" in definitions["directory_partner_search"]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("term", ["Aare", "firewall Bern", "Zurich"])
def test_the_search_can_use_every_index(make_listed, term):
    make_listed("Aare Informatik AG")

    explained = search_plan(term)

    for index in INDEXES:
        assert f"Bitmap Index Scan on {index}" in explained, explained
    assert "Seq Scan" not in explained, explained


@on_postgresql
@pytest.mark.django_db
def test_a_search_naming_a_service_can_use_the_indexes_too(make_listed):
    make_listed("Aare Informatik AG", offers=("training",))

    explained = search_plan("training")

    for index in INDEXES:
        assert f"Bitmap Index Scan on {index}" in explained, explained
    assert "Seq Scan on partners_partner " not in explained, explained


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"q": "Aare"}, {"q": "Aare Thun", "language": "de", "tier": "certified"}])
def test_on_a_large_table_the_directory_query_uses_the_search_index(client, make_listed, query):
    wanted = make_listed("Aare Informatik AG", city="Thun", postcode="3600")
    copies_insert(make_listed("Limmat Partner AG", city="Zürich", description="Printers and backups."), 20_000)

    explained = PartnerFilter(query, queryset=Partner.objects.for_directory()).qs.explain()

    assert "Bitmap Index Scan on directory_partner_search" in explained, explained
    assert "Seq Scan on partners_partner" not in explained, explained
    assert card_slugs(client.get(reverse("directory:partner-list"), query)) == [wanted.slug]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(("term", "city"), [("Zurich", "Zürich"), ("geneve", "Genève"), ("Lausane", "Lausanne")])
def test_a_similar_spelling_finds_the_city(client, make_listed, term, city):
    # What directory.search promises on PostgreSQL: trigram similarity to the name or the city.
    partner = make_listed("Some Partner AG", city=city, postcode="1000")
    make_listed("Other Partner AG", city="Basel", postcode="4051")

    assert card_slugs(client.get(reverse("directory:partner-list"), {"q": term})) == [partner.slug]


@on_postgresql
@pytest.mark.django_db
def test_a_similar_spelling_still_needs_every_other_word(client, make_listed):
    firewall = make_listed("Limmat IT AG", city="Zürich", postcode="8005", description="Firewall projects.")
    make_listed("Sihl IT AG", city="Zürich", postcode="8004", description="Printers.")

    assert card_slugs(client.get(reverse("directory:partner-list"), {"q": "Zurich firewall"})) == [firewall.slug]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
@pytest.mark.django_db
def test_on_sqlite_the_migration_creates_no_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'directory_partner_%'")
        assert cursor.fetchall() == []
