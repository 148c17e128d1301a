"""A view presents: what the case list, the browse page and the exports show for a set of filters
(chips, heading, facet options with counts, links), beside the form that reads them and the query
that runs them."""

from collections import Counter
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject

from casebook.base.core.cache import cached, content_version
from casebook.base.core.paging import page_range
from casebook.base.core.text import clean_text, normalise
from casebook.base.taxonomy.models import REGIONS, GrantProgram, Municipality, Prefecture
from cases.content.pages import CasePage
from cases.discovery.facets import (
    DEFAULT_SORT,
    FACETS,
    SORTS,
    PartnerLink,
    default_sort,
    sort_means_nothing,
    year_label,
)
from cases.discovery.filters import CaseFilterForm
from cases.discovery.japan_map import LEVELS, tiles
from cases.discovery.nearby import (
    DEFAULT_WITHIN_KM,
    MAX_CHOICES,
    WITHIN_CHOICES,
    case_distances,
    find_size,
    format_distance,
    matching_organizations,
)
from cases.discovery.query import CaseQuery

CASES_PER_PAGE = 20


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


# Facets whose values are shown without opening them; the rest start folded unless in use.
OPEN_FACETS = {"measure", "region"}


# A facet whose values grow with the library (tags) lists its most used ones, and those ticked.
MOST_USED = {"tag": 12}


@dataclass
class FacetGroup:
    name: str
    label: str
    options: list[FacetOption]
    more: int = 0  # values with cases left out of `options` (MOST_USED)

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
        more = 0
        if name in MOST_USED and len(options) > MOST_USED[name]:
            kept = sorted(options, key=lambda o: (not o.checked, -o.count))[: max(MOST_USED[name], len(selected))]
            more = len(options) - len(kept)
            options = [option for option in options if option in kept]  # in their usual order
        if options:
            groups.append(FacetGroup(name, facet.label, options, more))
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
        self.origin = query.origin
        self.within = query.within
        self.size = query.size

    @property
    def near_label(self) -> str:
        """「広島県府中市から50km以内」, or "" without `near`."""
        return f"{self.origin.full_name}から{self.within}km以内" if self.origin else ""

    @property
    def similar_label(self) -> str:
        """「広島県府中市（人口37,226人）と人口規模が近い市」, or "" without `similar`."""
        if not self.size:
            return ""
        return f"{self.size.full_name}（人口{self.size.population:,}人）と人口規模が近い{self.size.group_label}"

    def label_of(self, name: str, value: str) -> str:
        if name == "year":
            return year_label(value)
        return self.labels[name].get(value, value)

    def query_string(self, **changes) -> str:
        """The current filters as a query string, with some facets replaced; page always resets."""
        state = {name: list(values) for name, values in self.selected.items()}
        if self.q:
            state["q"] = [self.q]
        if self.origin:
            state["near"] = [self.origin.code]
            if self.within != DEFAULT_WITHIN_KM:
                state["within"] = [str(self.within)]
        if self.size:
            state["similar"] = [self.size.code]
        for key, values in changes.items():
            if values:
                state[key] = values
            else:
                state.pop(key, None)
        # The order is kept unless it is the default for what remains (distance from `near`,
        # relevance with a search term, newest first) or means nothing there.
        searching, near, similar = bool(state.get("q")), bool(state.get("near")), bool(state.get("similar"))
        if self.sort != default_sort(searching, near, similar) and not sort_means_nothing(
            self.sort, searching, near, similar
        ):
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
        if self.origin:
            chips.append(Chip("near", "近く", self.origin.code, self.near_label, self.query_string(near=[], within=[])))
        if self.size:
            chips.append(Chip("similar", "人口規模", self.size.code, self.similar_label, self.query_string(similar=[])))
        return chips

    @property
    def is_filtered(self) -> bool:
        return bool(self.selected or self.q or self.origin or self.size)

    @property
    def is_canonical(self) -> bool:
        """One value of one facet (or nothing), in the default order: a page search engines may index."""
        single = sum(len(v) for v in self.selected.values()) <= 1
        plain = not self.q and not self.origin and not self.size
        return single and plain and self.sort == DEFAULT_SORT and not self.ignored

    def subject(self) -> str:
        """「テレワークの推進 × 広島県の事例」: what the list holds, in words."""
        facets = " × ".join("・".join(self.label_of(name, v) for v in values) for name, values in self.selected.items())
        scope = "の".join(part for part in (self.near_label, self.similar_label, facets) if part)
        if self.q:
            return f"{scope}で「{self.q}」を含む事例" if scope else f"「{self.q}」を含む事例"
        return f"{scope}の事例" if scope else "すべての事例"

    def heading(self, count: int) -> str:
        """「テレワークの推進 × 広島県の事例 (1件)」."""
        return f"{self.subject()} ({count}件)"

    def description(self) -> str:
        """A short name for the filters, for file names: 「テレワークの推進×広島県」 or 「全件」."""
        parts = ["・".join(self.label_of(name, v) for v in values) for name, values in self.selected.items()]
        if self.size:
            parts.insert(0, self.similar_label)
        if self.origin:
            parts.insert(0, self.near_label)
        if self.q:
            parts.append(self.q)
        return "×".join(parts) or "全件"

    def applied(self) -> dict:
        """The filters that were honoured, for the JSON export."""
        applied = {name: list(values) for name, values in self.selected.items()}
        if self.q:
            applied["q"] = self.q
        if self.origin:
            applied["near"] = self.origin.code
            applied["within"] = self.within
        if self.size:
            applied["similar"] = self.size.code
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
        "sorts": [
            (key, label)
            for key, (label, _) in SORTS.items()
            if (key != "relevance" or query.q)
            and (key != "distance" or query.near)
            and (key != "size" or query.similar)
        ],
        "near": near_context(query, summary),
        "within_choices": WITHIN_CHOICES,
        "within_selected": query.within,
        # 「約 23 km」 per card: only worked out when the cards are not in the fragment cache.
        "distances": SimpleLazyObject(
            lambda: (
                {
                    pk: format_distance(km)
                    for pk, km in case_distances([case.pk for case in page_obj.object_list], query.nearby()).items()
                }
                if query.near
                else {}
            )
        ),
        "export_query": "" if links == "?" else links,
        # Fragments are kept per content version and per what the filters mean.
        "cache_version": content_version(),
        "state_key": query.state_key,
    }


def map_context(query: CaseQuery, summary: FilterSummary, list_url: str) -> dict:
    """The 47 prefectures coloured by how many cases of the list are in each (a partner's prefecture
    counts, as in the facet), each one linking to the list (at `list_url`) narrowed to it."""
    counts = query.counts()["prefecture"]
    prefectures = list(summary.labels["prefecture"].items())
    found = tiles(prefectures, counts, lambda code: list_url + summary.query_string(prefecture=[code]))
    return {"tiles": found, "levels": [label for _, label in LEVELS], "with_cases": [t for t in found if t.count]}


def near_context(query: CaseQuery, summary: FilterSummary) -> dict | None:
    """What 「自分の自治体から探す」 shows once an origin is chosen: other radii, and the same kind of
    organization or the same prefecture one click away."""
    origin = summary.origin
    if origin is None:
        return None
    return {
        "origin": origin,
        "within": query.within,
        "default_within": DEFAULT_WITHIN_KM,
        "radii": [(km, summary.query_string(within=[str(km)]), km == query.within) for km in WITHIN_CHOICES],
        "same_kind_url": summary.query_string(kind=[origin.kind]),
        "same_prefecture_url": summary.query_string(prefecture=[origin.prefecture_code]),
        # Towns of its size, the other half of 「自分の自治体から探す」 (with every other filter, without `near`).
        "similar_url": summary.query_string(near=[], within=[], similar=[origin.code])
        if find_size(origin.code)
        else "",
        # Only read when nothing lies within reach (the empty list's fragment).
        "beyond": SimpleLazyObject(lambda: nearest_beyond(query, summary)),
    }


# How many of the nearest cases beyond the chosen distance an empty list shows.
NEAREST_BEYOND = 3


def nearest_beyond(query: CaseQuery, summary: FilterSummary) -> dict:
    """For a list with nothing within `within` km: the next of the distances on offer that finds cases
    (with every other filter kept), its link, and its nearest few with their distances. A fixed number of
    queries: at most one count per distance on offer (each cached), then one page of the wider list."""
    for km in (km for km in WITHIN_CHOICES if km > query.within):
        wider = replace(query, within=km, sort="distance")
        if not wider.total():
            continue
        cases = list(Paginator(wider.results(), NEAREST_BEYOND).page(1).object_list)
        distances = case_distances([case.pk for case in cases], wider.nearby())
        shown = [(case, format_distance(distances[case.pk])) for case in cases if case.pk in distances]
        return {"km": km, "url": summary.query_string(within=[str(km)]), "cases": shown, "count": wider.total()}
    return {"km": None, "max_km": WITHIN_CHOICES[-1], "cases": []}


def municipality_lookup(params) -> tuple[str | None, dict]:
    """「自分の自治体から探す」 without JavaScript: the text typed (name, kana or LG code) as a URL to
    go to when it means one local government, or else the choices or a Japanese note to show."""
    text = clean_text(normalise(str(params.get("municipality", ""))))[:100]
    rest = params.copy()
    for key in ("municipality", "near", "page"):
        rest.pop(key, None)
    if rest.get("within") == str(DEFAULT_WITHIN_KM):  # the form's default: not worth a parameter
        rest.pop("within")
    if not text:
        return None, {
            "municipality_note": "自治体名・よみ・団体コードのどれかを入力してください"
            "（例: 府中市、ふちゅうし、342084）。"
        }
    matches = matching_organizations(text)
    if len(matches) == 1:
        rest["near"] = matches[0].code
        return f"?{rest.urlencode()}", {}
    if not matches:
        note = (
            f"「{text}」に当たる自治体は見つかりませんでした。"
            "自治体名（例: 府中市）、よみ（例: ふちゅうし）、団体コード（例: 342084）で入力してください。"
        )
        return None, {"municipality_note": note, "municipality_text": text}
    choices = []
    more = len(matches) >= MAX_CHOICES
    for org in matches:
        rest["near"] = org.code
        choices.append(
            {"name": org.full_name, "kind": org.get_kind_display(), "code": org.code, "url": f"?{rest.urlencode()}"}
        )
    return None, {"municipality_choices": choices, "municipality_choices_more": more, "municipality_text": text}


def municipalities_with_cases() -> dict[str, list[dict]]:
    """Prefecture code → the local governments (below the prefecture) that lead or join a public
    case, with how many: of 1,741, only these are worth a link on the browse page."""
    cases = CasePage.objects.visible()
    counts = Counter(dict(cases.values_list("lead_organization_id").annotate(n=Count("pk")).order_by()))
    partners = PartnerLink.objects.filter(casepage_id__in=cases.values("pk")).values_list("municipality_id")
    counts.update(dict(partners.annotate(n=Count("casepage_id", distinct=True)).order_by()))
    found: dict[str, list[dict]] = {}
    # Only those with a known position: the link lists cases near it (?near=).
    rows = Municipality.objects.positioned().filter(pk__in=list(counts)).exclude(kind=Municipality.Kind.PREFECTURE)
    for org in rows.order_by("code"):
        found.setdefault(org.prefecture.code, []).append({"code": org.code, "name": org.name, "count": counts[org.pk]})
    return found


def browse_context(request) -> dict:
    """The 47 prefectures by region, and the grant types with their programs, each with its number of cases."""
    query, summary = read_filters(QueryDict())
    counts = query.counts()
    prefectures = list(Prefecture.objects.order_by("code"))
    municipalities = cached("browse-municipalities", (), municipalities_with_cases)
    regions = [
        {
            "slug": slug,
            "name": name,
            "count": counts["region"].get(slug, 0),
            "prefectures": [
                {
                    "code": p.code,
                    "name": p.name,
                    "count": counts["prefecture"].get(p.code, 0),
                    "municipalities": municipalities.get(p.code, []),
                }
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
