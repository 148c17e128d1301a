"""The query planner's statistics after a deploy's migrate.

SQLite rebuilds a table to add a column (cases 0009 added eight to the case table), and the rebuilt
table has no statistics until ANALYZE runs again: the planner then picked plans that made the list's
uncached facet counts at 20,000 cases twice as slow (249 → 400+ ms, bench/). So every migrate ends
with ANALYZE on SQLite (0.3 s at 20,000 cases). PostgreSQL keeps its statistics and autovacuum
refreshes them.
"""

from django.db import connections


def analyze_after_migrate(sender, using="default", **kwargs):
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
