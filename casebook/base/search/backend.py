"""The search index on each database: SQLite FTS5 or PostgreSQL tsvector + GIN.

Both hold the same tokens (casebook.base.search.tokenizer) in four parts: title, organizations,
word starts and body. Matching and ranking happen in one SQL statement, with no per-hit subquery.
"""

from contextlib import contextmanager

from django.db import connection, transaction

from casebook.base.search.documents import Document
from casebook.base.search.tokenizer import Query, head_tokens, index_text

# A title match outranks an organization match, which outranks a word start, then the body.
WEIGHTS = {"title": 10.0, "org": 8.0, "heads": 4.0, "body": 1.0}


def token_columns(document: Document) -> list[str]:
    heads = " ".join(head_tokens(f"{document.title} {document.org} {document.body}"))
    return [index_text(document.title), index_text(document.org), heads, index_text(document.body)]


class SQLiteFTSIndex:
    table = "casebook_search_fts"

    @contextmanager
    def matching_cursor(self):
        """A cursor for queries that match text; FTS5 always matches through its own index."""
        with connection.cursor() as cursor:
            yield cursor

    def store(self, entry, document: Document) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (title, org, heads, body) VALUES (%s, %s, %s, %s)",
                token_columns(document),
            )
            entry.fts_rowid = cursor.lastrowid

    def store_many(self, items) -> None:
        """Index many new pages at once: items are (page_id, kind, token_columns(document))."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {self.table} ORDER BY rowid DESC LIMIT 1")
            row = cursor.fetchone()
            first = (row[0] if row else 0) + 1
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, title, org, heads, body) VALUES (%s, %s, %s, %s, %s)",
                [[first + i, *columns] for i, (_, _, columns) in enumerate(items)],
            )
            cursor.executemany(
                "INSERT INTO casebook_search_searchentry (page_id, kind, fts_rowid) VALUES (%s, %s, %s)",
                [[page_id, kind, first + i] for i, (page_id, kind, _) in enumerate(items)],
            )

    def reset(self) -> None:
        """Drop every FTS row, stale ones included: a rebuild starts from an empty table."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.table} ({self.table}) VALUES ('delete-all')")

    def match(self, query: Query) -> str:
        parts = []
        for term in query.terms:
            phrase = '"' + " ".join(term.tokens) + '"'
            parts.append(phrase + "*" if term.prefix else phrase)
        return " AND ".join(parts)

    def matching_sql(self, query: Query) -> tuple[str, list]:
        # The MATCH runs once as a subquery; joined to the entries table, SQLite would run it per row.
        sql = (
            "SELECT e.page_id FROM casebook_search_searchentry e "
            f"WHERE e.fts_rowid IN (SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s)"
        )
        return sql, [self.match(query)]

    def count_sql(self, query: Query, base_sql: str, base_params) -> tuple[str, list]:
        """Matches within the allowed pages; counting needs no ranking."""
        match_sql, match_params = self.matching_sql(query)
        # As in ranked_sql, the unary + keeps the IN list from driving the lookups.
        return f"SELECT COUNT(*) FROM ({match_sql}) AS m WHERE +m.page_id IN ({base_sql})", [
            *match_params,
            *base_params,
        ]

    def ranked_sql(self, query: Query, base_sql: str, base_params, cases_first: bool) -> tuple[str, list]:
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        kind_order = "CASE WHEN e.kind = 'case' THEN 0 ELSE 1 END, " if cases_first else ""
        # Score every hit once in a materialized CTE, then join: no per-row MATCH, no per-hit subquery.
        sql = (
            f"WITH hits (fts_rowid, score) AS MATERIALIZED ("
            f"SELECT rowid, bm25({self.table}, {weights}) FROM {self.table} WHERE {self.table} MATCH %s) "
            "SELECT e.page_id FROM hits "
            "JOIN casebook_search_searchentry e ON e.fts_rowid = hits.fts_rowid "
            "JOIN wagtailcore_page p ON p.id = e.page_id "
            # The unary + keeps SQLite from driving the join by the IN list (hits × list lookups).
            f"WHERE +e.page_id IN ({base_sql}) "
            f"ORDER BY {kind_order}hits.score, p.first_published_at DESC, p.id DESC"
        )
        return sql, [self.match(query), *base_params]


class PostgresIndex:
    vector_sql = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
        "setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D')"
    )

    # The ranking tokens: title, organizations and word starts, not the body.
    rank_sql = "ts_filter(v, '{a,b,c}')"

    def store(self, entry, document: Document) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT v, {self.rank_sql} FROM (SELECT {self.vector_sql} AS v) AS s", token_columns(document)
            )
            entry.vector, entry.rank_vector = cursor.fetchone()

    def store_many(self, items) -> None:
        """Index many new pages at once: items are (page_id, kind, token_columns(document))."""
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO casebook_search_searchentry (page_id, kind, vector, rank_vector) "
                f"SELECT p, k, v, {self.rank_sql} FROM (SELECT %s AS p, %s AS k, {self.vector_sql} AS v) AS s",
                [[page_id, kind, *columns] for page_id, kind, columns in items],
            )

    @contextmanager
    def matching_cursor(self):
        """A cursor for queries that match text, with the planner told to use the GIN index.

        A query that hits a third of the pages looks cheaper to the planner as a sequential scan,
        but that scan de-toasts every page's vector (0.15 s at 20,000 cases); the bitmap index
        scan needs no recheck for plain words and takes a few milliseconds. SET LOCAL ends with
        the transaction, so nothing else is affected.
        """
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            yield cursor

    def reset(self) -> None:
        pass

    def tsquery(self, query: Query) -> str:
        parts = []
        for term in query.terms:
            tokens = [f"'{token}'" for token in term.tokens]
            if term.prefix:
                tokens[-1] += ":*"
            parts.append("(" + " <-> ".join(tokens) + ")")
        return " & ".join(parts)

    def matching_sql(self, query: Query) -> tuple[str, list]:
        return "SELECT page_id FROM casebook_search_searchentry WHERE vector @@ to_tsquery('simple', %s)", [
            self.tsquery(query)
        ]

    def count_sql(self, query: Query, base_sql: str, base_params) -> tuple[str, list]:
        match_sql, match_params = self.matching_sql(query)
        return f"SELECT COUNT(*) FROM ({match_sql}) AS m WHERE m.page_id IN ({base_sql})", [*match_params, *base_params]

    def ranked_sql(self, query: Query, base_sql: str, base_params, cases_first: bool) -> tuple[str, list]:
        weights = "{" + ", ".join(str(WEIGHTS[k] / 10) for k in ("body", "heads", "org", "title")) + "}"
        kind_order = "CASE WHEN e.kind = 'case' THEN 0 ELSE 1 END, " if cases_first else ""
        tsquery = self.tsquery(query)
        sql = (
            "SELECT e.page_id FROM casebook_search_searchentry e "
            "JOIN wagtailcore_page p ON p.id = e.page_id "
            f"WHERE e.vector @@ to_tsquery('simple', %s) AND e.page_id IN ({base_sql}) "
            f"ORDER BY {kind_order}"
            f"COALESCE(ts_rank('{weights}'::float4[], e.rank_vector, to_tsquery('simple', %s)), 0) DESC, "
            "p.first_published_at DESC, p.id DESC"
        )
        return sql, [tsquery, *base_params, tsquery]


def index_backend():
    return PostgresIndex() if connection.vendor == "postgresql" else SQLiteFTSIndex()
