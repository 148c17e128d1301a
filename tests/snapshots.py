"""Copies of the whole test database, taken once per process and put back in a fraction of a second,
so that the seed content (seconds to load) is loaded once per process however many tests need it."""

import sqlite3

from django.db import connection, transaction


class Snapshot:
    """A copy of the whole test database that can be put back in a fraction of a second: SQLite's backup
    API into a second in-memory database; on PostgreSQL, a schema holding a copy of each table with rows,
    and the sequences' values."""

    def __init__(self, name: str):
        self.name = name
        self.copy = None
        self.tables: list[tuple[str, str]] = []
        self.sequences: list[tuple[str, int | None]] = []

    @classmethod
    def take(cls, name: str) -> "Snapshot":
        snapshot = cls(name)
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            snapshot.copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(snapshot.copy)
            return snapshot
        schema = f"snapshot_{name}"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
            for table in public_tables(cursor):
                cursor.execute(f'SELECT EXISTS (SELECT 1 FROM public."{table}")')
                if cursor.fetchone()[0]:
                    columns = ", ".join(f'"{column}"' for column in writable_columns(cursor, table))
                    cursor.execute(
                        f'CREATE UNLOGGED TABLE {schema}."{table}" AS SELECT {columns} FROM public."{table}"'
                    )
                    snapshot.tables.append((table, columns))
            cursor.execute(
                "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            )
            snapshot.sequences = cursor.fetchall()
        return snapshot

    def put(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self.copy.backup(connection.connection)
            return
        schema = f"snapshot_{self.name}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(f'public."{t}"' for t in public_tables(cursor)))
            for table, columns in self.tables:
                cursor.execute(f'INSERT INTO public."{table}" ({columns}) SELECT {columns} FROM {schema}."{table}"')
            for sequence, value in self.sequences:
                cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value or 1, value is not None])


def public_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def writable_columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
        "AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cursor.fetchall()]
