"""The plan's editions as the public sees them: which measures each edition numbers, and how a
measure of an earlier edition lives on in a later one (the crosswalk). The one place that answers
"what is measure N" and "which cases does a measure cover".

Plain values, built from rows that measures.models reads (`current_plan()`: once per content version,
only measures the public may see); this module imports no model.
"""

import datetime
from dataclasses import dataclass, field

# How far a chain of successors (2020 → 第2.3版 → …) is followed; the admin refuses longer chains.
MAX_SUCCESSION = 3
# Units a statistic or a target is a share in (drawn on a 0–100 axis).
PERCENT_UNITS = {"%", "％", "パーセント"}
ENTRY, VERSION = "plan_entries__", "plan_entries__version__"
# The values() a plan is built from: a measure, and one of its entries with the entry's edition.
PLAN_ROW_FIELDS = (
    "pk",
    "slug",
    "title",
    "short_name",
    "successor_id",
    f"{ENTRY}number",
    f"{ENTRY}title",
    f"{VERSION}id",
    f"{VERSION}slug",
    f"{VERSION}name",
    f"{VERSION}short_name",
    f"{VERSION}issued_on",
    f"{VERSION}source_title",
    f"{VERSION}source_url",
)
PLAN_ROW_ORDER = (f"-{VERSION}issued_on", f"{ENTRY}sort_order", f"{ENTRY}number", "path")


@dataclass(frozen=True)
class Entry:
    number: int
    title: str


@dataclass(frozen=True)
class Version:
    slug: str
    name: str
    short_name: str
    issued_on: datetime.date
    source_title: str
    source_url: str
    # measure id → its number and title in this edition, in the edition's order
    entries: dict[int, Entry] = field(default_factory=dict)

    def number(self, measure_id: int) -> int | None:
        entry = self.entries.get(measure_id)
        return entry.number if entry else None


@dataclass(frozen=True)
class Measure:
    pk: int
    slug: str
    title: str
    short_name: str
    successor: int | None


@dataclass(frozen=True)
class Numbering:
    """A measure's number in one edition, for the exports and the measure page."""

    version: Version
    number: int
    title: str


@dataclass(frozen=True)
class Plan:
    versions: list[Version]  # newest first
    measures: dict[int, Measure]

    @property
    def latest(self) -> Version | None:
        return self.versions[0] if self.versions else None

    def version(self, slug: str) -> Version | None:
        return next((v for v in self.versions if v.slug == slug), None)

    def by_slug(self, slug: str) -> Measure | None:
        return next((m for m in self.measures.values() if m.slug == slug), None)

    def successors(self, measure_id: int) -> list[Measure]:
        """The measures that took this one over, nearest first (行政手続のオンライン化 → フロントヤード改革)."""
        chain, current = [], self.measures.get(measure_id)
        while current and current.successor in self.measures and len(chain) < MAX_SUCCESSION:
            current = self.measures[current.successor]
            if current in chain or current.pk == measure_id:
                break
            chain.append(current)
        return chain

    def longest_succession(self) -> int:
        """How many steps the longest chain of successors has (0 without any crosswalk)."""
        return max((len(self.successors(pk)) for pk in self.measures), default=0)

    def covered_slugs(self, slugs: list[str]) -> list[str]:
        """The slugs a filter on `slugs` finds cases of: each one and every predecessor of it."""
        covered = list(slugs)
        for measure in self.measures.values():
            if measure.slug not in covered and any(s.slug in slugs for s in self.successors(measure.pk)):
                covered.append(measure.slug)
        return covered

    def current(self, measure_id: int) -> Measure | None:
        """The measure as the latest edition names it: itself, or the successor that is in it."""
        latest = self.latest
        for measure in [self.measures.get(measure_id), *self.successors(measure_id)]:
            if measure and latest and measure.pk in latest.entries:
                return measure
        return None

    def positions(self) -> dict[int, int]:
        """Measure id → its place in order(), for sorting a case's measures."""
        return {pk: position for position, pk in enumerate(self.order())}

    def order(self) -> list[int]:
        """Measure ids in the latest edition's order, then those of earlier editions only."""
        ordered = list(self.latest.entries) if self.latest else []
        for version in self.versions[1:]:
            ordered += [pk for pk in version.entries if pk not in ordered]
        return ordered + [pk for pk in self.measures if pk not in ordered]

    def listing(self, measure_id: int) -> list[Version]:
        """The editions that list the measure, newest first."""
        return [v for v in self.versions if measure_id in v.entries]

    def label(self, measure_id: int) -> str:
        """The measure's title, with the edition that lists it when the latest does not: 「…（2020年版）」."""
        measure = self.measures[measure_id]
        listing = self.listing(measure_id)
        if self.latest is None or measure_id in self.latest.entries or not listing:
            return measure.title
        return f"{measure.title}（{listing[0].short_name}）"

    def filed_version(self, measure_id: int, fiscal_year: int | None) -> Version | None:
        """The edition a case of that measure was filed under: the newest one listing the measure that
        was out by the end of the case's fiscal year (31 March); without a year, or before any
        edition, the newest listing it (so no other edition's number is claimed without a basis)."""
        listing = self.listing(measure_id)
        if fiscal_year:
            year_end = datetime.date(fiscal_year + 1, 3, 31)
            in_force = [v for v in listing if v.issued_on <= year_end]
            if in_force:
                return in_force[0]
        return listing[0] if listing else None

    def numbers_of(self, measure_id: int) -> list[Numbering]:
        """The measure's number in each edition that lists it, newest first."""
        return [
            Numbering(v, v.entries[measure_id].number, v.entries[measure_id].title) for v in self.listing(measure_id)
        ]

    def crosswalk_note(self, measure_id: int) -> str:
        """「2020年版の『行政手続のオンライン化』として登録」 for a measure the latest edition does not list."""
        latest = self.latest
        if latest is None or measure_id in latest.entries or measure_id not in self.measures:
            return ""
        listing = self.listing(measure_id)
        where = listing[0].short_name if listing else "以前の版"
        return f"{where}の『{self.measures[measure_id].short_name}』として登録"

    def numbered_pages(self, pages: dict, version: Version | None) -> list[tuple[int | None, str, object]]:
        """(number, title in that edition, page) for each visible page the edition lists, in its
        order; with no edition to show, every page unnumbered."""
        if version is None:
            return [(None, page.title, page) for page in pages.values()]
        return [(entry.number, entry.title, pages[pk]) for pk, entry in version.entries.items() if pk in pages]

    def pages_outside(self, pages: dict, version: Version | None) -> list[tuple[object, Measure | None]]:
        """Visible pages the edition does not list, each with the measure that took it over in that edition."""
        listed = version.entries if version else {}
        outside = []
        for pk in self.order():
            if pk in pages and pk not in listed:
                successor = next((s for s in self.successors(pk) if s.pk in listed), None)
                outside.append((pages[pk], successor))
        return outside


def plan_from_rows(rows) -> Plan:
    """A plan from rows of PLAN_ROW_FIELDS in PLAN_ROW_ORDER: each public measure with its entries in every
    edition (a measure no edition lists comes once, without one)."""
    entry, version = ENTRY, VERSION
    measures, versions = {}, {}
    for row in rows:
        measures[row["pk"]] = Measure(row["pk"], row["slug"], row["title"], row["short_name"], row["successor_id"])
        if row[f"{version}id"] is None:
            continue
        found = versions.setdefault(
            row[f"{version}id"],
            Version(
                *(row[f"{version}{name}"] for name in ("slug", "name", "short_name", "issued_on", "source_title")),
                row[f"{version}source_url"],
            ),
        )
        found.entries[row["pk"]] = Entry(row[f"{entry}number"], row[f"{entry}title"])
    # Only editions with a public measure: one whose measures are all drafts (or that has none yet)
    # is not shown, and never becomes the latest; the site keeps the last edition it can show whole.
    return Plan(sorted(versions.values(), key=lambda v: v.issued_on, reverse=True), measures)
