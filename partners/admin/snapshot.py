"""One view of the programme per request, so every row and column of a page agrees."""

import datetime

from django.http import HttpRequest
from django.utils import timezone

from ..evaluation import Evaluation, Programme
from ..models import Partner


def evaluation_day(request: HttpRequest) -> datetime.date:
    """The day metrics are computed for, fixed once per request."""
    if not hasattr(request, "_partners_evaluation_day"):
        request._partners_evaluation_day = timezone.localdate()
    return request._partners_evaluation_day


def programme_for(request: HttpRequest) -> Programme:
    """The tiers and margin bands, loaded once per request (two queries) however many partners are shown."""
    if not hasattr(request, "_partners_programme"):
        request._partners_programme = Programme.load()
    return request._partners_programme


def evaluate(request: HttpRequest, partner: Partner) -> Evaluation:
    """Evaluate a partner fetched through `PartnerAdmin.get_queryset` (annotated with its metrics)."""
    return programme_for(request).evaluate(partner, evaluation_day(request))
