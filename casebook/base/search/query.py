"""Running a search: ranked page ids from the index, pages fetched only for what is shown."""

from casebook.base.core.text import clean_text
from casebook.base.search.backend import index_backend
from casebook.base.search.tokenizer import Query, parse_query

MAX_QUERY_LENGTH = 200


def clean_search_text(values) -> tuple[str, Query, list[str]]:
    """The search text of a request, its parsed query, and Japanese notes on what was changed."""
    notes = []
    text = clean_text(" ".join(values))
    if len(text) > MAX_QUERY_LENGTH:
        notes.append(f"検索語が長すぎるため、先頭の{MAX_QUERY_LENGTH}文字で検索しました。")
        text = text[:MAX_QUERY_LENGTH]
    query = parse_query(text)
    if text and not query:
        notes.append(
            f"検索語「{text[:30]}」には検索できる文字（漢字・かな・英数字）がないため、検索語なしで表示しています。"
        )
        text = ""
    return text, query, notes


class RankedResults:
    """A lazy, sliceable list of pages in relevance order, for Paginator and exports.

    `base` is a queryset of the pages allowed (visible, filtered); ranking and counting happen in
    the database, and only the pages of a requested slice are loaded.
    """

    def __init__(self, query: Query, base, *, cases_first: bool = False, fetch=None):
        self.query = query
        self.base = base
        self.cases_first = cases_first
        # How to load pages for ids (e.g. with select_related); defaults to the base model.
        self.fetch = fetch or (lambda ids: base.model.objects.filter(pk__in=ids))
        self._count = None

    def _ranked_sql(self):
        base_sql, base_params = self.base.order_by().values("pk").query.sql_with_params()
        return index_backend().ranked_sql(self.query, base_sql, base_params, self.cases_first)

    def ids(self, limit: int | None = None, offset: int = 0) -> list[int]:
        if not self.query:
            return []
        sql, params = self._ranked_sql()
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        with index_backend().matching_cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def count(self) -> int:
        if self._count is None:
            if not self.query:
                self._count = 0
            else:
                base_sql, base_params = self.base.order_by().values("pk").query.sql_with_params()
                sql, params = index_backend().count_sql(self.query, base_sql, base_params)
                with index_backend().matching_cursor() as cursor:
                    cursor.execute(sql, params)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self):
        return self.count()

    def pages(self, ids: list[int]) -> list:
        by_id = {page.pk: page for page in self.fetch(ids)}
        return [by_id[pk] for pk in ids if pk in by_id]

    def __getitem__(self, item):
        if isinstance(item, slice):
            start = item.start or 0
            stop = item.stop if item.stop is not None else self.count()
            return self.pages(self.ids(limit=max(stop - start, 0), offset=start))
        return self[item : item + 1][0]
