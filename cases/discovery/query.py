"""A query runs: the cases one set of honoured filters means, their order, and the facet counts.

`CaseQuery` is what the form (cases/discovery/filters.py) made of a query string. The list, its counts,
the browse page and the exports all ask it, so they always agree on which cases a URL means; its
one `state_key` names that meaning for every cache (ids, counts, rendered fragments, export files).
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import FloatField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Greatest

from casebook.base.core.cache import cached
from casebook.base.core.results import CachedResults, QuerysetResults
from casebook.base.search.backend import index_backend
from casebook.base.search.query import RankedResults
from casebook.base.search.tokenizer import Query
from casebook.base.taxonomy.sizes import SizeOf
from cases.content.pages import NEWEST_FIRST, CasePage
from cases.discovery.facets import DEFAULT_SORT, FACETS, SORTS, PartnerLink
from cases.discovery.nearby import (
    DEFAULT_WITHIN_KM,
    DistanceResults,
    Origin,
    find_origin,
    find_size,
    organizations_within,
)

# The key under which counts() also gives the number of matching cases.
TOTAL = "_total"


@dataclass(frozen=True)
class CaseQuery:
    selected: dict[str, list[str]] = field(default_factory=dict)
    q: str = ""
    search_query: Query = field(default_factory=Query)
    sort: str = DEFAULT_SORT
    # 「自分の自治体から探す」: an LG code the form found, and the radius in km.
    near: str = ""
    within: int = DEFAULT_WITHIN_KM
    # 「人口規模が近い団体の事例」: an LG code with a population, whose kind group and size the lead must share.
    similar: str = ""

    @property
    def origin(self) -> Origin | None:
        return find_origin(self.near) if self.near else None

    @property
    def size(self) -> SizeOf | None:
        return find_size(self.similar) if self.similar else None

    def nearby(self) -> dict[int, float]:
        """Organization id → km, for the local governments within reach of `near`."""
        origin = self.origin
        return organizations_within(origin, self.within) if origin else {}

    @property
    def state_key(self) -> str:
        """What the query means, the same whichever way the URL spelled it (「02021」 and 「2021」, junk
        parameters, which facet comes first)."""
        # Values in the order given: the JSON export repeats them, so a file kept for one order
        # must not answer for another.
        facets = "&".join(f"{name}={','.join(values)}" for name, values in sorted(self.selected.items()))
        near = f"|near={self.near}/{self.within}" if self.near else ""
        similar = f"|similar={self.similar}" if self.similar else ""
        return f"{facets}|q={self.q}{near}{similar}|sort={self.sort}"

    @property
    def filter_key(self) -> str:
        """The state without the order: counts do not depend on it."""
        return self.state_key.rsplit("|sort=", 1)[0]

    def base(self):
        return CasePage.objects.visible()

    def filtered(self, exclude: str | None = None, with_text: bool = True):
        queryset = self.base()
        for name, values in self.selected.items():
            if name != exclude:
                queryset = queryset.filter(FACETS[name].lookup(values))
        if self.near:
            ids = list(self.nearby())
            partners = PartnerLink.objects.filter(municipality_id__in=ids).order_by().values("casepage_id")
            queryset = queryset.filter(Q(lead_organization_id__in=ids) | Q(pk__in=partners))
        size = self.size
        if size:
            queryset = queryset.filter(size.q("lead_organization__"))
        if self.search_query and with_text:
            sql, params = index_backend().matching_sql(self.search_query)
            queryset = queryset.filter(pk__in=RawSQL(sql, params))
        return queryset

    def size_order(self):
        """Nearest in size first: the larger of the two ratios of populations, smallest first."""
        if self.size is None:
            return NEWEST_FIRST
        population = Cast("lead_organization__population", FloatField())
        chosen = Value(float(self.size.population), output_field=FloatField())
        return [Greatest(population / chosen, chosen / population).asc(), *NEWEST_FIRST]

    def results(self) -> CachedResults:
        """The matching cases in the order the list shows them; count and ids cached per content version."""

        def fetch(ids):
            return CasePage.objects.filter(pk__in=ids).for_listing()

        if self.sort == "relevance":
            source = RankedResults(self.search_query, self.filtered(with_text=False), fetch=fetch)
        elif self.sort == "distance":
            source = DistanceResults(self.filtered(), self.nearby(), fetch, self.state_key)
        elif self.sort == "size":
            source = QuerysetResults(self.filtered().for_listing().order_by(*self.size_order()), fetch)
        else:
            source = QuerysetResults(self.filtered().for_listing().order_by(*SORTS[self.sort][1]), fetch)
        return CachedResults("case-results", self.state_key, source, count=self.total)

    def total(self) -> int:
        """How many cases match: counted by the facet query, so the list needs no COUNT of its own."""
        return self.counts()[TOTAL][""]

    def result_ids(self) -> list[int]:
        """The ids of every matching case in list order, for the exports."""
        return self.results().ids()

    def counts(self) -> dict[str, dict[str, int]]:
        """For each facet value: how many cases the list would hold if it were picked too; and,
        under TOTAL, how many it holds now. Cached per content version."""
        return cached("facet-counts", self.filter_key, lambda: count_facets(self))


def in_base(base: str) -> str:
    """The pairs of the cases in `base` (which holds each case once), in the shape each planner does well
    with. PostgreSQL, given `IN (SELECT …)`, guessed 200 cases in a base of 200,000 and looked each pair's
    case up by index (0.8 s a facet instead of 0.25 s as a join); SQLite, given the join, ran a search's
    counts in 9.6 s instead of 0.18 s at 20,000 cases."""
    if connection.vendor == "postgresql":
        return f"JOIN {base} b ON b.id = p.c"
    return f"WHERE p.c IN (SELECT id FROM {base})"


def count_facets(query: CaseQuery) -> dict[str, dict[str, int]]:
    """All facets counted in one SQL statement, each against the cases that match every *other*
    active filter, the search text matched once in a CTE.

    Raw SQL on purpose: the ORM cannot share one materialized set of cases between facets. One
    statement for all seven facets and the total took an uncached `/cases/?q=交付金` at 20,000
    cases on PostgreSQL from 1.8 s (a query per facet) to 0.56 s (README, Scale). The parts are
    still built by the ORM (each facet's pairs and base), only glued here.
    """
    ctes, cte_params, parts, part_params = [], [], [], []
    if query.search_query:
        match_sql, match_params = index_backend().matching_sql(query.search_query)
        ctes.append(f"matched AS MATERIALIZED ({match_sql})")
        cte_params.extend(match_params)
    # Facets whose other filters are the same share one materialized set of cases: with
    # nothing selected, all seven count against one.
    bases: dict[tuple, str] = {}
    for name, facet in FACETS.items():
        base = query.filtered(exclude=name, with_text=False).order_by().values("pk")
        base_sql, base_params = base.query.sql_with_params()
        key = (base_sql, tuple(base_params))
        if key not in bases:
            cte = bases[key] = f"base{len(bases)}"
            if query.search_query:
                base_sql = f"SELECT page_id FROM matched WHERE page_id IN ({base_sql})"
            ctes.append(f"{cte} (id) AS MATERIALIZED ({base_sql})")
            cte_params.extend(base_params)
        pair_sqls = []
        for pairs in facet.pairs():
            sql, pair_params = pairs.query.sql_with_params()
            pair_sqls.append(sql)
            part_params.extend(pair_params)
        union = " UNION ALL ".join(f"SELECT u{i}.c, u{i}.v FROM ({sql}) AS u{i}" for i, sql in enumerate(pair_sqls))
        parts.append(
            f"SELECT '{name}', p.v, COUNT(DISTINCT p.c) FROM ({union}) AS p {in_base(bases[key])} GROUP BY p.v"
        )
    full_sql, full_params = query.filtered(with_text=False).order_by().values("pk").query.sql_with_params()
    if query.search_query:
        full_sql = f"SELECT page_id FROM matched WHERE page_id IN ({full_sql})"
    parts.append(f"SELECT '{TOTAL}', '', COUNT(*) FROM ({full_sql}) AS t")
    part_params.extend(full_params)
    counts: dict[str, dict[str, int]] = {name: {} for name in [*FACETS, TOTAL]}
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {' UNION ALL '.join(parts)}", cte_params + part_params)
        for name, value, count in cursor.fetchall():
            if value is not None:
                counts[name][str(value)] = count
    return counts
