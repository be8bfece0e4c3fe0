#!/usr/bin/env python
"""`scripts/pg_database.py URL`: create the PostgreSQL database URL names when it does not exist.

For the scripts that run on a database of their own (loadtest.sh, audit.sh). Connects to the
server's "postgres" database with the same credentials; exits 1 with the reason when it cannot.
"""

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def main(url: str) -> int:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True, connect_timeout=5) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created database {name}.")
    except psycopg.Error as error:
        print(f"PostgreSQL at {url}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
