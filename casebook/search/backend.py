"""The search index on each database: SQLite FTS5 or PostgreSQL tsvector + GIN.

Both hold the same tokens (casebook.search.tokenizer) in four parts: title, organizations,
word starts and body. Matching and ranking happen in one SQL statement, with no per-hit subquery.
"""

import logging

from django.db import connection

from casebook.search.documents import Document
from casebook.search.tokenizer import Query, head_tokens, index_text

logger = logging.getLogger(__name__)

# A title match outranks an organization match, which outranks a word start, then the body.
WEIGHTS = {"title": 10.0, "org": 8.0, "heads": 4.0, "body": 1.0}


def token_columns(document: Document) -> list[str]:
    heads = " ".join(head_tokens(f"{document.title} {document.org} {document.body}"))
    return [index_text(document.title), index_text(document.org), heads, index_text(document.body)]


class SQLiteFTSIndex:
    table = "casebook_search_fts"

    def store(self, entry, document: Document) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (title, org, heads, body) VALUES (%s, %s, %s, %s)",
                token_columns(document),
            )
            entry.fts_rowid = cursor.lastrowid

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
        sql = (
            f"SELECT e.page_id FROM {self.table} "
            f"JOIN casebook_search_searchentry e ON e.fts_rowid = {self.table}.rowid WHERE {self.table} MATCH %s"
        )
        return sql, [self.match(query)]

    def ranked_sql(self, query: Query, base_sql: str, base_params, cases_first: bool) -> tuple[str, list]:
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        kind_order = "CASE WHEN e.kind = 'case' THEN 0 ELSE 1 END, " if cases_first else ""
        sql = (
            f"SELECT e.page_id FROM {self.table} "
            f"JOIN casebook_search_searchentry e ON e.fts_rowid = {self.table}.rowid "
            "JOIN wagtailcore_page p ON p.id = e.page_id "
            f"WHERE {self.table} MATCH %s AND e.page_id IN ({base_sql}) "
            f"ORDER BY {kind_order}bm25({self.table}, {weights}), p.first_published_at DESC, p.id DESC"
        )
        return sql, [self.match(query), *base_params]


class PostgresIndex:
    vector_sql = (
        "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B') || "
        "setweight(to_tsvector('simple', %s), 'C') || setweight(to_tsvector('simple', %s), 'D')"
    )

    def store(self, entry, document: Document) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {self.vector_sql}", token_columns(document))
            entry.vector = cursor.fetchone()[0]

    def reset(self) -> None:
        pass

    def tsquery(self, query: Query) -> str:
        parts = []
        for term in query.terms:
            if term.prefix:
                parts.append(f"'{term.tokens[0]}':*")
            else:
                parts.append("(" + " <-> ".join(f"'{token}'" for token in term.tokens) + ")")
        return " & ".join(parts)

    def matching_sql(self, query: Query) -> tuple[str, list]:
        return "SELECT page_id FROM casebook_search_searchentry WHERE vector @@ to_tsquery('simple', %s)", [
            self.tsquery(query)
        ]

    def ranked_sql(self, query: Query, base_sql: str, base_params, cases_first: bool) -> tuple[str, list]:
        weights = "{" + ", ".join(str(WEIGHTS[k] / 10) for k in ("body", "heads", "org", "title")) + "}"
        kind_order = "CASE WHEN e.kind = 'case' THEN 0 ELSE 1 END, " if cases_first else ""
        tsquery = self.tsquery(query)
        sql = (
            "SELECT e.page_id FROM casebook_search_searchentry e "
            "JOIN wagtailcore_page p ON p.id = e.page_id "
            f"WHERE e.vector @@ to_tsquery('simple', %s) AND e.page_id IN ({base_sql}) "
            f"ORDER BY {kind_order}ts_rank('{weights}'::float4[], e.vector, to_tsquery('simple', %s)) DESC, "
            "p.first_published_at DESC, p.id DESC"
        )
        return sql, [tsquery, *base_params, tsquery]


def index_backend():
    return PostgresIndex() if connection.vendor == "postgresql" else SQLiteFTSIndex()
