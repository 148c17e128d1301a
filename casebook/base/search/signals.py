from wagtail.signals import page_published, page_unpublished

from casebook.base.search.index import index_page_safely, pages_to_reindex, remove_page


def page_changed(sender, instance, **kwargs):
    for page in pages_to_reindex(instance):
        if page.live:
            index_page_safely(page)
        else:
            remove_page(page.pk)


def connect():
    page_published.connect(page_changed, dispatch_uid="casebook-search-published")
    page_unpublished.connect(page_changed, dispatch_uid="casebook-search-unpublished")
