"""A view presents: what the case list, the browse page and the exports show for a set of filters
(chips, heading, facet options with counts, links), beside the form that reads them and the query
that runs them."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject

from casebook.core.cache import content_version
from casebook.core.paging import page_range
from casebook.taxonomy.models import REGIONS, GrantProgram, Prefecture
from cases.facets import DEFAULT_SORT, FACETS, SORTS, year_label
from cases.filters import CaseFilterForm
from cases.query import CaseQuery

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


def facet_groups(summary: "FilterSummary", counts: dict[str, dict[str, int]]) -> list[FacetGroup]:
    """Each facet's values with their counts; values that would empty the list are left out."""
    groups = []
    for name, facet in FACETS.items():
        selected = summary.selected.get(name, [])
        if name == "year":
            values = sorted(set(counts[name]) | set(selected), reverse=True)
        else:
            values = list(summary.labels[name])
        options = [
            FacetOption(value, summary.label_of(name, value), counts[name].get(value, 0), value in selected)
            for value in values
            if counts[name].get(value) or value in selected
        ]
        if options:
            groups.append(FacetGroup(name, facet.label, options))
    return groups


@dataclass
class Chip:
    facet: str
    facet_label: str
    value: str
    label: str
    remove_url: str


class FilterSummary:
    """The honoured filters in words and links, for the list, its chips and the exports' names."""

    def __init__(self, query: CaseQuery, labels: dict[str, dict[str, str]], ignored: list[str]):
        self.query = query
        self.labels = labels
        self.ignored = ignored  # Japanese notes on what could not be honoured
        self.selected = query.selected
        self.q = query.q
        self.sort = query.sort

    def label_of(self, name: str, value: str) -> str:
        if name == "year":
            return year_label(value)
        return self.labels[name].get(value, value)

    def query_string(self, **changes) -> str:
        """The current filters as a query string, with some facets replaced; page always resets."""
        state = {name: list(values) for name, values in self.selected.items()}
        if self.q:
            state["q"] = [self.q]
        for key, values in changes.items():
            if values:
                state[key] = values
            else:
                state.pop(key, None)
        # The order is kept unless it is the default for what remains: relevance with a search
        # term, newest first without one (where relevance means nothing).
        searching = bool(state.get("q"))
        if self.sort != ("relevance" if searching else DEFAULT_SORT) and (searching or self.sort != "relevance"):
            state["sort"] = [self.sort]
        pairs = [(key, value) for key, values in state.items() for value in values]
        return f"?{urlencode(pairs)}" if pairs else "?"

    @property
    def chips(self) -> list[Chip]:
        chips = [
            Chip(
                name,
                FACETS[name].label,
                value,
                self.label_of(name, value),
                self.query_string(**{name: [v for v in values if v != value]}),
            )
            for name, values in self.selected.items()
            for value in values
        ]
        if self.q:
            chips.append(Chip("q", "検索語", self.q, f"「{self.q}」", self.query_string(q=[])))
        return chips

    @property
    def is_filtered(self) -> bool:
        return bool(self.selected or self.q)

    @property
    def is_canonical(self) -> bool:
        """One value of one facet (or nothing), in the default order: a page search engines may index."""
        single = sum(len(v) for v in self.selected.values()) <= 1
        return single and not self.q and self.sort == DEFAULT_SORT and not self.ignored

    def heading(self, count: int) -> str:
        """「テレワークの推進 × 広島県の事例 (1件)」: what the list holds, in words."""
        facets = " × ".join("・".join(self.label_of(name, v) for v in values) for name, values in self.selected.items())
        if self.q:
            subject = f"{facets}で「{self.q}」を含む事例" if facets else f"「{self.q}」を含む事例"
        else:
            subject = f"{facets}の事例" if facets else "すべての事例"
        return f"{subject} ({count}件)"

    def description(self) -> str:
        """A short name for the filters, for file names: 「テレワークの推進×広島県」 or 「全件」."""
        parts = ["・".join(self.label_of(name, v) for v in values) for name, values in self.selected.items()]
        if self.q:
            parts.append(self.q)
        return "×".join(parts) or "全件"

    def applied(self) -> dict:
        """The filters that were honoured, for the JSON export."""
        applied = {name: list(values) for name, values in self.selected.items()}
        if self.q:
            applied["q"] = self.q
        applied["sort"] = self.sort
        return applied


def read_filters(params) -> tuple[CaseQuery, FilterSummary]:
    """A query string read by the form: the query to run and its summary."""
    form = CaseFilterForm(params)
    query = form.query()
    return query, FilterSummary(query, form.labels, form.notes)


def list_context(query: CaseQuery, summary: FilterSummary, request) -> dict:
    page_obj = Paginator(query.results(), CASES_PER_PAGE).get_page(request.GET.get("page"))
    links = summary.query_string()
    return {
        "case_filter": summary,  # the template's name for what the filters say
        "page_obj": page_obj,
        "page_range": page_range(page_obj),
        # Built only when the filter form is not in the fragment cache.
        "facet_groups": SimpleLazyObject(lambda: facet_groups(summary, query.counts())),
        "heading": summary.heading(page_obj.paginator.count),
        "sorts": [(key, label) for key, (label, _) in SORTS.items() if key != "relevance" or query.q],
        "export_query": "" if links == "?" else links,
        # Fragments are kept per content version and per what the filters mean.
        "cache_version": content_version(),
        "state_key": query.state_key,
    }


def browse_context(request) -> dict:
    """The 47 prefectures by region, and the grant types with their programs, each with its number of cases."""
    query, summary = read_filters(QueryDict())
    counts = query.counts()
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
    type_of = dict(GrantProgram.objects.values_list("slug", "grant_type"))
    grant_types = [
        {
            "slug": slug,
            "name": name,
            "count": counts["grant_type"].get(slug, 0),
            "programs": [
                {"slug": program, "name": program_name, "count": counts["grant"].get(program, 0)}
                for program, program_name in summary.labels["grant"].items()
                if type_of.get(program) == slug
            ],
        }
        for slug, name in summary.labels["grant_type"].items()
    ]
    untyped = [
        {"slug": program, "name": program_name, "count": counts["grant"].get(program, 0)}
        for program, program_name in summary.labels["grant"].items()
        if not type_of.get(program)
    ]
    return {"regions": regions, "grant_types": grant_types, "untyped_grants": untyped}
