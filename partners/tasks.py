"""Background work for the programme, run by the task worker (`manage.py db_worker`)."""

import logging

from django.tasks import task

from .services import tier_review

logger = logging.getLogger(__name__)


@task
def review_tiers() -> dict[str, int]:
    """The monthly tier review (see `services.tier_review`); returns and logs how many partners each outcome has.

    Queued by `manage.py evaluate_tiers --enqueue`, which cron runs once a month.
    """
    summary = tier_review()
    counts = {
        "evaluated": summary.evaluated,
        "upgrades": len(summary.upgrades),
        "downgrades_applied": len(summary.applied_downgrades),
        "downgrades_proposed": len(summary.proposed_downgrades),
        "proposals_withdrawn": len(summary.withdrawn_proposals),
        "flagged": len(summary.flags),
    }
    logger.info("Tier review: %s", ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items()))
    return counts
