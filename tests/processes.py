"""For tests that run the app in real processes (commands, workers, servers) on the test database."""

from urllib.parse import quote

from django.db import connection


def database_url() -> str:
    """DATABASE_URL of the test database this test runs on (PostgreSQL)."""
    db = connection.settings_dict
    credentials = f"{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
