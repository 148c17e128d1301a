"""What the case list, the browse page and the exports show for a set of filters."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject

from casebook.core.cache import content_version
from casebook.core.paging import page_range
from casebook.taxonomy.models import REGIONS, Prefecture
from cases.filters import FACETS, SORTS, CaseFilter

CASES_PER_PAGE = 20


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


# Facets whose values are shown without opening them; the rest start folded unless in use.
OPEN_FACETS = {"measure", "region"}


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def selected_count(self) -> int:
        return sum(option.checked for option in self.options)

    @property
    def open(self) -> bool:
        return self.name in OPEN_FACETS or self.selected_count > 0


def facet_groups(case_filter: CaseFilter, counts: dict[str, dict[str, int]]) -> list[FacetGroup]:
    """Each facet's values with their counts; values that would empty the list are left out."""
    groups = []
    for name, facet in FACETS.items():
        selected = case_filter.selected.get(name, [])
        if name == "year":
            values = sorted(set(counts[name]) | set(selected), reverse=True)
        else:
            values = list(case_filter.labels[name])
        options = [
            FacetOption(value, case_filter.label_of(name, value), counts[name].get(value, 0), value in selected)
            for value in values
            if counts[name].get(value) or value in selected
        ]
        if options:
            groups.append(FacetGroup(name, facet.label, options))
    return groups


def list_context(case_filter: CaseFilter, request) -> dict:
    results = case_filter.results()
    page_obj = Paginator(results, CASES_PER_PAGE).get_page(request.GET.get("page"))
    count = page_obj.paginator.count
    query = case_filter.query_string()
    return {
        "case_filter": case_filter,
        "page_obj": page_obj,
        "page_range": page_range(page_obj),
        # Built only when the filter form is not in the fragment cache.
        "facet_groups": SimpleLazyObject(lambda: facet_groups(case_filter, case_filter.counts())),
        "heading": case_filter.heading(count),
        "sorts": [(key, label) for key, (label, _) in SORTS.items() if key != "relevance" or case_filter.q],
        "export_query": "" if query == "?" else query,
        "cache_version": content_version(),
    }


def browse_context(request) -> dict:
    """The 47 prefectures by region and the grant programs, each with its number of cases."""
    case_filter = CaseFilter(QueryDict())
    counts = case_filter.counts()
    prefectures = list(Prefecture.objects.order_by("code"))
    regions = [
        {
            "slug": slug,
            "name": name,
            "count": counts["region"].get(slug, 0),
            "prefectures": [
                {"code": p.code, "name": p.name, "count": counts["prefecture"].get(p.code, 0)}
                for p in prefectures
                if p.region == slug
            ],
        }
        for slug, name in REGIONS
    ]
    grants = [
        {"slug": slug, "name": name, "count": counts["grant"].get(slug, 0)}
        for slug, name in case_filter.labels["grant"].items()
    ]
    return {"regions": regions, "grants": grants}
