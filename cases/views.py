from django.http import Http404
from django.http.request import split_domain_port
from django.views.decorators.http import require_GET

from cases.export import csv_response, json_response
from cases.filters import CaseFilter
from cases.models import CaseIndexPage


def _index_url(request) -> str:
    index = CaseIndexPage.objects.live().first()
    if index is None:
        raise Http404("事例の一覧がありません。")
    return request.build_absolute_uri(index.get_url(request))


def _host_names_our_port(request) -> bool:
    """A Host header whose port is not the one the request came in on is junk, not a site to keep exports for."""
    _, port = split_domain_port(request.get_host())
    return not port or port == str(request.get_port())


def _export(request, respond):
    response = respond(CaseFilter(request.GET), _index_url(request), keep=_host_names_our_port(request))
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def export_csv(request):
    return _export(request, csv_response)


@require_GET
def export_json(request):
    return _export(request, json_response)
