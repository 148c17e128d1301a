"""Keeping the search index in step with the pages."""

import logging

from django.db import transaction
from wagtail.models import Page

from casebook.base.core.cache import invalidate_content
from casebook.base.search.backend import index_backend
from casebook.base.search.documents import BUILDERS, PART_OF_PARENT, document_for
from casebook.base.search.models import SearchEntry

logger = logging.getLogger(__name__)


def index_page(page) -> bool:
    """(Re)index one page from its live content. Returns False when the page type is not searchable."""
    page = page.specific
    document = document_for(page)
    if document is None:
        return False
    with transaction.atomic():
        entry = SearchEntry.objects.filter(page_id=page.pk).first() or SearchEntry(page_id=page.pk)
        entry.kind = document.kind
        index_backend().store(entry, document)
        entry.save()
    return True


def remove_page(page_id: int) -> None:
    SearchEntry.objects.filter(page_id=page_id).delete()


def index_page_safely(page) -> bool:
    """Index a page; a failure is logged, never raised, so publishing and rebuilds go on."""
    try:
        return index_page(page)
    except Exception:
        logger.exception("検索索引の更新に失敗しました: page %s", getattr(page, "pk", page))
        return False


def rebuild(stdout=None) -> tuple[int, int]:
    """Index every live searchable page again from scratch. Returns (indexed, failed)."""
    index_backend().reset()
    SearchEntry.objects.all().delete()
    indexed = failed = 0
    for model in BUILDERS:
        for page in model.objects.live().iterator(chunk_size=200):
            if index_page_safely(page):
                indexed += 1
            else:
                failed += 1
    invalidate_content()  # cached search results came from the old index
    if stdout is not None:
        stdout.write(f"検索索引: {indexed}ページを登録しました（失敗 {failed}件）。")
    return indexed, failed


def pages_to_reindex(page) -> list[Page]:
    """A page and the pages whose search text includes it (an interview is part of its case)."""
    page = page.specific
    if type(page) in PART_OF_PARENT:
        return [page, page.get_parent().specific]
    return [page]
