from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One searchable page. The text itself is not stored again: PostgreSQL keeps a tsvector here,
    SQLite keeps a row of a contentless FTS5 table (`casebook_search_fts`) whose rowid is fts_rowid."""

    class Kind(models.TextChoices):
        CASE = "case", "事例"
        MEASURE = "measure", "重点取組事項"
        INTERVIEW = "interview", "インタビュー"

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # SQLite: the FTS5 row holding this page's tokens. A re-index writes a new row and moves this
    # pointer, because a contentless FTS5 table cannot delete a row without its original text.
    fts_rowid = models.BigIntegerField(null=True, unique=True)
    # PostgreSQL: weighted tokens (A title, B organizations, C word starts, D body), GIN-indexed.
    vector = SearchVectorField(null=True)
    # PostgreSQL: the same tokens without the body (weights A–C only), so ranking thousands of hits
    # reads a small value per hit instead of de-toasting every page's whole vector.
    rank_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "検索索引"

    def __str__(self):
        return f"{self.get_kind_display()} {self.page_id}"
