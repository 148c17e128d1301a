from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from casebook.search.documents import snippet_source
from casebook.search.query import RankedResults
from casebook.search.snippets import highlight
from casebook.search.tokenizer import parse_query
from casebook.visibility import visible
from cases.filters import MAX_QUERY_LENGTH, clean_text

RESULTS_PER_PAGE = 20
KIND_LABELS = {"casepage": "事例", "measurepage": "重点取組事項", "interviewpage": "インタビュー"}


@require_GET
def search(request):
    """Cases, measures and interviews together; cases first, each group by relevance."""
    notes = []
    q = clean_text(" ".join(request.GET.getlist("q")))
    if len(q) > MAX_QUERY_LENGTH:
        notes.append(f"検索語が長すぎるため、先頭の{MAX_QUERY_LENGTH}文字で検索しました。")
        q = q[:MAX_QUERY_LENGTH]
    query = parse_query(q)
    if q and not query:
        notes.append("検索できる文字（漢字・かな・英数字）が含まれていません。")
    results = RankedResults(
        query,
        visible(Page.objects.all()),
        cases_first=True,
        fetch=lambda ids: Page.objects.filter(pk__in=ids).specific(),
    )
    page_obj = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    hits = [
        {
            "page": page,
            "kind": KIND_LABELS.get(page._meta.model_name, ""),
            "title": highlight(page.title, query.words, width=200),
            "snippet": highlight(snippet_source(page), query.words),
        }
        for page in page_obj.object_list
    ]
    response = TemplateResponse(
        request, "search/search.html", {"q": q, "page_obj": page_obj, "hits": hits, "notes": notes}
    )
    response["X-Robots-Tag"] = "noindex, follow"
    return response
