"""The directory's search box: indexed full text and trigrams on PostgreSQL, `icontains` elsewhere.

On PostgreSQL, migration 0002 creates the indexes these queries use (EXPLAIN shows them):
a GIN index on `search_document()` and trigram GIN indexes on `name` and `city`.
Change the expressions here and there together, or the planner falls back to a full scan.
"""

import re
from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext

from partners.models import Partner, Service

MIN_TERM_LENGTH = 2
MAX_WORDS = 8
WORD = re.compile(r"\w+")

# The fields the search document covers; services match by name separately (a many-to-many
# relation cannot be part of an index on the partner table).
DOCUMENT_FIELDS = ("name", "city", "postcode", "description")
# 'simple': no stemming, the directory mixes German, French and English names and places.
SEARCH_CONFIG = "simple"


def search_words(term: str) -> list[str]:
    """The words of `term` worth searching: letters or digits, at least MIN_TERM_LENGTH long."""
    return [word for word in WORD.findall(term.casefold()) if len(word) >= MIN_TERM_LENGTH][:MAX_WORDS]


def is_searchable(term: str) -> bool:
    return bool(search_words(term))


def search_document():
    """The expression the PostgreSQL GIN index is built on (see migration 0002)."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*DOCUMENT_FIELDS, config=SEARCH_CONFIG)


def matching_service_ids(term: str) -> list[int]:
    """Services whose name, as typed by staff or in the visitor's language, contains the whole term.

    The service table is a short list, read in one query.
    """
    needle = " ".join(term.split()).casefold()
    return [
        service.pk
        for service in Service.objects.only("pk", "name")
        if needle in service.name.casefold() or needle in gettext(service.name).casefold()
    ]


def offering_any(service_ids: list[int]):
    through = Partner.services.through
    return Exists(through.objects.filter(partner=OuterRef("pk"), service__in=service_ids))


def partner_search(queryset: QuerySet, term: str) -> QuerySet:
    """Partners of `queryset` matching `term`; unchanged when the term has no searchable word.

    PostgreSQL: every word as a prefix in name, city, postcode or description (full text) or
    similar to the name or the city (trigrams: "Zurich" finds Zürich), or a service named like
    the term. Elsewhere: every word contained in one of those fields, or a service named like the term.
    """
    words = search_words(term)
    if not words:
        return queryset
    service_ids = matching_service_ids(term)
    if connections[queryset.db].vendor == "postgresql":
        return _postgres_search(queryset, words, service_ids)
    return _plain_search(queryset, words, service_ids)


def _postgres_word(word: str) -> Q:
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.contrib.postgres.search import Lexeme, SearchQuery, SearchVectorExact

    text = SearchVectorExact(search_document(), SearchQuery(Lexeme(word, prefix=True), config=SEARCH_CONFIG))
    # Trigram matches are lossy: PostgreSQL rechecks the whole condition on each candidate row, in
    # this order. The cheap similarities first spare most rows computing the document's tsvector
    # (on 100,000 partners, "zurich" took ~150 ms with the tsvector first, ~40 ms like this).
    return Q(TrigramSimilar(F("name"), Value(word))) | Q(TrigramSimilar(F("city"), Value(word))) | Q(text)


def _postgres_search(queryset: QuerySet, words: list[str], service_ids: list[int]) -> QuerySet:
    # Word by word: a similar spelling stands in for one word, never for the others. (The whole
    # term similar to a short city let "firewall Bern" find every partner in Bern.)
    matches = reduce(and_, [_postgres_word(word) for word in words])
    if not service_ids:
        return queryset.filter(matches)
    # A UNION of the two id sets lets each side use its own index; an OR with EXISTS would not.
    by_text = Partner.objects.filter(matches).values("pk")
    by_service = Partner.services.through.objects.filter(service__in=service_ids).values("partner_id")
    return queryset.filter(pk__in=by_text.union(by_service))


def _plain_search(queryset: QuerySet, words: list[str], service_ids: list[int]) -> QuerySet:
    per_word = [reduce(or_, [Q(**{f"{field}__icontains": word}) for field in DOCUMENT_FIELDS]) for word in words]
    matches = reduce(and_, per_word)
    if service_ids:
        matches |= offering_any(service_ids)
    return queryset.filter(matches)
