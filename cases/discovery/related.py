"""Related cases worked out from data, offered on a case page under the editor's own picks: up to four
public cases that share the most with it, each with its reasons in words (「同じ重点取組事項・人口規模が近い」).

What counts, and how much (the score):

- 同じ重点取組事項: a measure in common, primary or other, on either side;
- 共通のタグ: each tag in common, up to MAX_TAGS_COUNTED of them;
- 同じ財源の種類: a grant program of the same type (交付金, 地方財政措置, …) on both;
- 人口規模が近い: a lead organization of similar size, as `similar=` defines it (casebook.base.taxonomy.sizes);
- 近くの団体: the lead organizations' town halls within NEARBY_KM (cases.discovery.nearby).

Ties go to the newer case, then the higher id, so the choice is deterministic. The candidates are scored
in one SQL statement (only cases sharing at least one trait, limited to four), so the queries do not grow
with the number of cases; the ids and reasons are cached per case and content version, and the four
cards are loaded fresh like the list's.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from casebook.base.core.cache import cached
from casebook.base.taxonomy.sizes import size_of
from cases.content.pages import NEWEST_FIRST, CasePage, CaseTag
from cases.discovery.nearby import DEFAULT_WITHIN_KM, find_origin, organizations_within

MAX_WORKED_OUT = 4
NEARBY_KM = DEFAULT_WITHIN_KM  # 50 km, the list's own default for 「近くの団体」
MAX_TAGS_COUNTED = 3
REASON_SEPARATOR = "・"

# (annotation, reason in words, weight), in the order the reasons are written. Tags weigh per tag in common.
MEASURE, TAGS, GRANT_TYPE, SIZE, NEAR = "same_measure", "shared_tags", "same_grant_type", "similar_size", "nearby"
REASONS = [
    (MEASURE, "同じ重点取組事項", 3),
    (TAGS, "共通のタグ", 1),
    (GRANT_TYPE, "同じ財源の種類", 2),
    (SIZE, "人口規模が近い", 2),
    (NEAR, "近くの団体", 2),
]
WEIGHTS = {name: weight for name, _, weight in REASONS}


@dataclass(frozen=True)
class WorkedOut:
    """A related case worked out from data, and why."""

    case: CasePage
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return REASON_SEPARATOR.join(self.reasons)


@dataclass
class RelatedCases:
    """A case page's related cases: the editor's picks (in the editor's order), then the worked-out ones."""

    picked: list = field(default_factory=list)
    worked_out: list[WorkedOut] = field(default_factory=list)
    nearby_km: int = NEARBY_KM  # what 「近くの団体」 means, for the page's note

    def __bool__(self) -> bool:
        return bool(self.picked or self.worked_out)

    def compare_with(self, limit: int = 3) -> list:
        """The cases the page's 「関連事例と比較」 puts beside it: the editor's picks first."""
        return [*self.picked, *(item.case for item in self.worked_out)][:limit]


def _traits(case: CasePage) -> dict:
    """What the case has that others may share: ids and values, read with a few bounded queries."""
    through = CasePage.other_measures.through
    others = through.objects.filter(casepage_id=case.pk).values_list("measurepage_id", flat=True)
    grants = CasePage.grant_programs.through.objects.filter(casepage_id=case.pk).exclude(grantprogram__grant_type="")
    lead = case.lead_organization
    origin = find_origin(lead.code)
    return {
        "measures": sorted({case.primary_measure_id, *others}),
        "tags": sorted(CaseTag.objects.filter(content_object_id=case.pk).values_list("tag_id", flat=True)),
        "grant_types": sorted(set(grants.values_list("grantprogram__grant_type", flat=True))),
        "size": size_of(lead),
        "near": sorted(organizations_within(origin, NEARBY_KM)) if origin else [],
    }


def _flag(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _scored(case: CasePage, exclude: list[int]) -> list[tuple[int, tuple[str, ...]]]:
    """(case id, reasons) of the best candidates, best first: one SQL statement."""
    traits = _traits(case)
    through = CasePage.other_measures.through
    other_measure = through.objects.filter(measurepage_id__in=traits["measures"]).values("casepage_id")
    conditions = {MEASURE: Q(primary_measure_id__in=traits["measures"]) | Q(pk__in=other_measure)}
    annotations = {}
    if traits["tags"]:
        # One point per tag in common, up to MAX_TAGS_COUNTED: 「at least n in common」 for each n, each an
        # uncorrelated subquery the database works out once (a count per candidate took 20,000 look-ups).
        tagged = CaseTag.objects.filter(tag_id__in=traits["tags"]).order_by().values("content_object_id")
        conditions[TAGS] = Q(pk__in=tagged)
        at_least = [
            _flag(Q(pk__in=tagged.annotate(n=Count("pk")).filter(n__gte=n).values("content_object_id")))
            for n in range(2, min(len(traits["tags"]), MAX_TAGS_COUNTED) + 1)
        ]
        annotations[TAGS] = sum(at_least, _flag(conditions[TAGS]))
    if traits["grant_types"]:
        same_type = CasePage.grant_programs.through.objects.filter(grantprogram__grant_type__in=traits["grant_types"])
        conditions[GRANT_TYPE] = Q(pk__in=same_type.values("casepage_id"))
    if traits["size"] is not None:
        conditions[SIZE] = traits["size"].q("lead_organization__")
    if traits["near"]:
        conditions[NEAR] = Q(lead_organization_id__in=traits["near"])

    for name, condition in conditions.items():
        annotations.setdefault(name, _flag(condition))
    shares_any = Q()
    for condition in conditions.values():
        shares_any |= condition
    score = sum((F(name) * WEIGHTS[name] for name in annotations), Value(0))
    rows = (
        CasePage.objects.visible()
        .filter(shares_any)
        .exclude(pk__in=[case.pk, *exclude])
        .annotate(**annotations)
        .annotate(score=score)
        .order_by("-score", *NEWEST_FIRST)
        .values_list("pk", *annotations, "score")[:MAX_WORKED_OUT]
    )
    names = list(annotations)
    found = []
    for pk, *values, _ in rows:
        flags = dict(zip(names, values, strict=True))
        found.append((pk, tuple(label for name, label, _ in REASONS if flags.get(name))))
    return found


def worked_out(case: CasePage, picked: list, preview: bool = False) -> list[WorkedOut]:
    """Up to MAX_WORKED_OUT public cases sharing the most with `case`, other than it and the editor's
    picks, each with its reasons. A fixed number of queries, and none while the content is unchanged
    but the cards' own two."""
    if case.pk is None:  # a preview of a case never saved: nothing to compare yet
        return []
    exclude = sorted(c.pk for c in picked)
    if preview:
        scored = _scored(case, exclude)  # a draft's traits: never stored where the public page reads
    else:
        scored = cached("related-worked-out", (case.pk, *exclude), lambda: _scored(case, exclude))
    if not scored:
        return []
    cases = CasePage.objects.visible().filter(pk__in=[pk for pk, _ in scored]).for_listing().in_bulk()
    return [WorkedOut(cases[pk], reasons) for pk, reasons in scored if pk in cases]


def related_cases(case: CasePage, preview: bool = False) -> RelatedCases:
    """The editor's picks the public may see, and the worked-out cases under them."""
    picked = case.related_cases()
    return RelatedCases(picked=picked, worked_out=worked_out(case, picked, preview))
