"""「自分の自治体から探す」: cases led or joined by local governments near one, nearest first; and cases led
by local governments of the same size (`similar=`, the rule in casebook/base/taxonomy/sizes.py).

Distance is the great-circle distance between town halls (the national list's positions). The
positions of all 1,788 local governments are few enough to measure in Python: the organizations
within reach are worked out once per origin, radius and content version, and the list's queries
filter on their ids.
"""

import math
from dataclasses import dataclass

from django.db.models import Q

from casebook.base.core.cache import cached
from casebook.base.core.text import normalise
from casebook.base.core.validators import is_valid_lg_code
from casebook.base.taxonomy.models import Municipality
from casebook.base.taxonomy.sizes import SizeOf, size_of
from cases.content.pages import NEWEST_FIRST, CasePage
from cases.discovery.facets import PartnerLink

DEFAULT_WITHIN_KM = 50
MAX_WITHIN_KM = 300
WITHIN_CHOICES = [10, 30, 50, 100, 300]
EARTH_RADIUS_KM = 6371.0088  # the mean radius
# How many candidates 「自分の自治体から探す」 lists when a name matches several.
MAX_CHOICES = 20


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance by the haversine formula."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def format_distance(km: float) -> str:
    """「約 23 km」; 「1 km未満」 for the chosen local government itself and its close neighbours."""
    return "1 km未満" if km < 1 else f"約 {round(km)} km"


@dataclass(frozen=True)
class Origin:
    code: str
    full_name: str
    kind: str
    kind_label: str
    prefecture_code: str
    prefecture_name: str
    latitude: float
    longitude: float


def _origin(code: str) -> Origin | None:
    org = Municipality.objects.positioned().filter(code=code).first()
    if org is None:
        return None
    return Origin(
        org.code,
        org.full_name,
        org.kind,
        org.get_kind_display(),
        org.prefecture.code,
        org.prefecture.name,
        org.latitude,
        org.longitude,
    )


def find_origin(code: str) -> Origin | None:
    """The local government of an LG code, if it has a known position."""
    if not is_valid_lg_code(code):
        return None
    return cached("near-origin", code, lambda: _origin(code), small=True)


def find_size(code: str) -> SizeOf | None:
    """The size of the local government of an LG code, if it has a population."""
    if not is_valid_lg_code(code):
        return None
    return cached("similar-origin", code, lambda: size_of(Municipality.objects.filter(code=code).first()), small=True)


def organizations_within(origin: Origin, km: int) -> dict[int, float]:
    """Municipality id → distance in km, for every local government within `km` of the origin."""

    def measure():
        rows = Municipality.objects.positioned().values_list("pk", "latitude", "longitude")
        return {pk: distance_km(origin.latitude, origin.longitude, lat, lng) for pk, lat, lng in rows}

    # Per origin, whatever the radius (so odd radii cannot crowd the process memory), and in process
    # memory too: the list's filters ask once per facet.
    distances = cached("near-distances", origin.code, measure, small=True)
    return {pk: d for pk, d in distances.items() if d <= km}


def case_distances(case_ids, within: dict[int, float]) -> dict[int, float]:
    """Case id → distance of its nearest lead or partner organization within reach."""
    ids = list(case_ids)
    best: dict[int, float] = {}

    def offer(case_id, org_id):
        if org_id in within and within[org_id] < best.get(case_id, math.inf):
            best[case_id] = within[org_id]

    for case_id, org_id in CasePage.objects.filter(pk__in=ids).values_list("pk", "lead_organization_id"):
        offer(case_id, org_id)
    for case_id, org_id in PartnerLink.objects.filter(casepage_id__in=ids).values_list(
        "casepage_id", "municipality_id"
    ):
        offer(case_id, org_id)
    return best


class DistanceResults:
    """Matching cases nearest first (newest first among equals), as CachedResults' source. The
    whole order is worked out once per `key` (what the query means) and content version; each
    page is a slice of it."""

    def __init__(self, queryset, within: dict[int, float], fetch, key: str):
        self.queryset = queryset
        self.within = within
        self.fetch = fetch
        self.key = key

    def count(self) -> int:
        return self.queryset.count()

    def order(self) -> list[int]:
        ordered = list(self.queryset.order_by(*NEWEST_FIRST).values_list("pk", flat=True))
        distances = case_distances(ordered, self.within)
        # sort() is stable: among equal distances the newest first order stays.
        ordered.sort(key=lambda pk: distances.get(pk, math.inf))
        return ordered

    def ids(self, limit: int | None = None, offset: int = 0) -> list[int]:
        ordered = cached("case-distance-order", self.key, self.order)
        return ordered[offset : offset + limit] if limit is not None else ordered[offset:]

    def pages(self, ids: list[int]) -> list:
        by_id = {page.pk: page for page in self.fetch(ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def matching_organizations(text: str) -> list[Municipality]:
    """Local governments a typed name, reading or LG code means: exact matches if there are any
    (「府中市」 → the two 府中市), else those containing every word, up to MAX_CHOICES."""
    text = normalise(text).strip()
    if not text:
        return []
    located = Municipality.objects.positioned()
    if text.isascii() and text.isdigit():
        if len(text) == 6:
            return list(located.filter(code=text))
        if len(text) == 5:  # the code without its check digit
            return list(located.filter(code__startswith=text))
    names = {text, text.removesuffix("役所"), text.removesuffix("役場")}
    # 「広島県府中市」: a prefecture's name (3 or 4 characters) before the municipality's.
    full = Q(prefecture__name=text[:3], name=text[3:]) | Q(prefecture__name=text[:4], name=text[4:])
    exact = list(located.filter(Q(name__in=names) | Q(name_kana=text) | full).order_by("code"))
    if exact:
        return exact
    return list(located.matching(text).order_by("code")[:MAX_CHOICES])


def suggestions(text: str, limit: int = 10) -> list[dict]:
    """For the field's suggestions as one types: exact matches first, then names containing the text."""
    text = normalise(text).strip()[:100]
    if not text:
        return []
    exact = matching_organizations(text)
    more = Municipality.objects.positioned().matching(text).exclude(pk__in=[org.pk for org in exact]).order_by("code")
    found = (exact + list(more[:limit]))[:limit]
    return [{"code": org.code, "name": org.full_name, "kind": org.get_kind_display()} for org in found]
