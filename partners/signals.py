"""Signals of the programme for what Django's own model signals do not announce."""

from django.dispatch import Signal

# Sent after partners were written in bulk (bulk_update, COPY...), which sends no post_save;
# the directory listens to refresh its cached listing.
partners_bulk_changed = Signal()
