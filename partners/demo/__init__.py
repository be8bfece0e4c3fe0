"""The demo programme: `manage.py load_demo` loads the article's Switzerland."""

from .data import DEMO_PASSWORD, partner_specs
from .load import DemoError, demo_load, foreign_partners

__all__ = ["DEMO_PASSWORD", "DemoError", "demo_load", "foreign_partners", "partner_specs"]
