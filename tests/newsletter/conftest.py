import datetime
import itertools
from importlib import import_module

import pytest

from newsletter.models import Issue

_sequence = itertools.count(1)


@pytest.fixture
def make_issue(db, tiers, today):
    def make(
        subject: str | None = None,
        *,
        tier: str = "accredited",
        language: str = "en",
        status: str = Issue.Status.SENT,
        publish_on: datetime.date | None = None,
        body: str = "First paragraph of the issue.\n\nSecond paragraph, with news.",
    ) -> Issue:
        return Issue.objects.create(
            subject=subject or f"Issue {next(_sequence)}",
            body=body,
            min_tier=tiers[tier],
            language=language,
            status=status,
            publish_on=publish_on or today - datetime.timedelta(days=1),
        )

    return make


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as soon as they are queued, in the test's own transaction."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def programme_defaults(transactional_db):
    """The tiers the data migration creates, again: a transactional test's flush removed them."""
    from django.apps import apps

    import_module("partners.migrations.0002_programme_defaults").create_defaults(apps, None)
