from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET
from wagtail.models import Page

from casebook.base.core.cache import content_version
from casebook.base.core.paging import page_range
from casebook.base.core.results import CachedResults
from casebook.base.core.visibility import visible
from casebook.base.search.documents import snippet_source
from casebook.base.search.query import RankedResults, clean_search_text
from casebook.base.search.snippets import highlight

RESULTS_PER_PAGE = 20


@require_GET
def search(request):
    """Cases, measures and interviews together; cases first, each group by relevance."""
    q, query, notes = clean_search_text(request.GET.getlist("q"))
    results = CachedResults(
        "search-results",
        (q,),
        RankedResults(
            query,
            visible(Page.objects.all()),
            cases_first=True,
            fetch=lambda ids: Page.objects.filter(pk__in=ids).specific(),
        ),
    )
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    # Built only if the template's fragment cache has no rendering of this page of hits yet.
    hits = SimpleLazyObject(
        lambda: [
            {
                "page": page,
                "kind": page._meta.verbose_name,
                "title": highlight(page.title, query.words, width=200),
                "snippet": highlight(snippet_source(page), query.words),
            }
            for page in page_obj.object_list
        ]
    )
    context = {"q": q, "page_obj": page_obj, "page_range": page_range(page_obj), "hits": hits, "notes": notes}
    response = TemplateResponse(request, "search/search.html", {**context, "cache_version": content_version()})
    response["X-Robots-Tag"] = "noindex, follow"
    return response
