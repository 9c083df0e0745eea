"""What PostgreSQL plans for a query when it may use only indexes: for tests that an index
serves a page's or matching's query."""

from __future__ import annotations

from django.db import connection


def index_plan(sql: str, params) -> str:
    """EXPLAIN of ``sql`` with sequential and bitmap scans turned off for the moment."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
