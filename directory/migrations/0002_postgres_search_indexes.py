"""Search and listing indexes on partners, on PostgreSQL only (SQLite scans its small tables).

- a GIN index on the full-text document `directory.search.search_document()`;
- trigram GIN indexes on name and city (pg_trgm), for similar spellings ("Zurich" finds Zürich);
- a partial index of the partners the directory may list (`Partner.objects.listed()` without
  the tier's flag, which lives in another table): the paginator counts them and orders a page
  of their ids, filtered by tier, canton, country or territory, from the index alone (an
  index-only scan), instead of reading a row per partner. On 100,000 partners the count and the
  first page took 35 and 47 ms without it, 2 and 1 ms with it; see docs/performance.md.

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it without
superuser rights. If the role may not, ask an administrator for `CREATE EXTENSION pg_trgm;`.
The expressions are copied here, not imported, so that this migration keeps meaning what it did;
tests/directory/test_search_postgres.py checks that the search queries use these indexes.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Index, Q

INDEXES = [
    GinIndex(
        SearchVector("name", "city", "postcode", "description", config="simple"),
        name="directory_partner_search",
    ),
    GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="directory_partner_name_trgm"),
    GinIndex(fields=["city"], opclasses=["gin_trgm_ops"], name="directory_partner_city_trgm"),
    Index(
        fields=["tier", "region"],
        include=["name", "id", "country", "territory"],
        condition=Q(status="active", directory_consent=True),
        name="directory_partner_listed",
    ),
]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    partner = apps.get_model("partners", "Partner")
    for index in INDEXES:
        schema_editor.add_index(partner, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    partner = apps.get_model("partners", "Partner")
    for index in INDEXES:
        schema_editor.remove_index(partner, index)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("partners", "0006_partner_logo"),
    ]

    operations = [
        # Does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
