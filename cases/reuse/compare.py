"""Two to four cases side by side: /cases/compare/?cases=<slug>&cases=<slug> (or cases=a,b), and the
same table as /cases/compare.csv. Rows aligned: 「不明」 where a case does not say, 「記載なし」 where it
lists nothing (no partners named is not an unknown partner)."""

import csv
from dataclasses import dataclass, field

from django.http import HttpResponse

from casebook.base.core.formatting import format_fiscal_year, format_yen
from casebook.base.core.spreadsheet import spreadsheet_cell
from casebook.base.core.text import clean_text, normalise
from cases.content.pages import CasePage, soumu_credit

MIN_CASES, MAX_CASES = 2, 4
UNKNOWN = "不明"
NONE_LISTED = "記載なし"


@dataclass
class Comparison:
    cases: list = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return len(self.cases) >= MIN_CASES

    @property
    def credit(self) -> str:
        """The credit of the population and 財政力指数 rows (総務省), with their reference dates."""
        return soumu_credit(case.lead_organization for case in self.cases)

    def rows(self) -> list[tuple[str, list[str]]]:
        """(label, one text per case) for each aspect compared."""
        return [
            (label, [value(case) or (NONE_LISTED if label in LIST_ROWS else UNKNOWN) for case in self.cases])
            for label, value in ROWS
        ]


def _joined(items) -> str:
    return "、".join(item for item in items if item)


def _cost(case) -> str:
    if case.project_cost_yen is None:
        return ""
    year = f"（{format_fiscal_year(case.cost_fiscal_year)}）" if case.cost_fiscal_year else ""
    return f"{format_yen(case.project_cost_yen)}{year}"


def _per_resident(case) -> str:
    """「約591円（主体の団体の住民1人あたり）」: 事業費 ÷ the lead organization's population, joint project or not."""
    amount = case.cost_per_resident
    return "" if amount is None else f"約{amount:,}円（主体の団体の住民1人あたり）"


def _outcomes(case) -> str:
    return _joined(
        f"{o.label}: {o.value}{o.unit}" + "".join(f"（{part}）" for part in (o.period, o.note) if part)
        for o in case.outcomes.all()
    )


def _status(case) -> str:
    if not case.status:
        return ""
    when = f"（{case.status_as_of:%Y-%m-%d}時点）" if case.status_as_of else ""
    return f"{case.get_status_display()}{when}" + (f" {case.status_note}" if case.status_note else "")


ROWS = [
    ("主体", lambda c: c.lead_organization.full_name),
    ("都道府県", lambda c: c.lead_organization.prefecture.name),
    ("団体の種別", lambda c: c.lead_organization.get_kind_display()),
    ("人口", lambda c: c.lead_population),
    ("財政力指数", lambda c: c.lead_fiscal_strength),
    ("連携団体", lambda c: _joined(o.full_name for o in c.partner_organizations.all())),
    ("重点取組事項", lambda c: _joined(m.title for m in c.all_measures())),
    (
        "財源制度",
        lambda c: _joined(g.name for g in c.grant_programs.all()) or ("単独事業（自主財源）" if c.self_funded else ""),
    ),
    ("実施年度", lambda c: format_fiscal_year(c.fiscal_year) if c.fiscal_year else ""),
    ("事業費", _cost),
    ("住民1人あたりの事業費", _per_resident),
    ("成果", _outcomes),
    ("その後の状況", _status),
    ("出典", lambda c: _joined(s.title for s in c.sources.all())),
]


# Rows that list things: empty is 「記載なし」, not 「不明」.
LIST_ROWS = {"連携団体", "成果", "出典"}


def read_slugs(values: list[str]) -> list[str]:
    """`cases` as a GET form of ticked boxes sends it (repeated) or as typed (comma-separated)."""
    slugs = []
    for value in values:
        for part in normalise(clean_text(str(value))).split(","):
            part = part.strip()[:255]
            if part and part not in slugs:
                slugs.append(part)
    return slugs


def compare(values: list[str], index) -> Comparison:
    """The cases under the case list `index` that `values` name, in the order given."""
    slugs = read_slugs(values)
    comparison = Comparison()
    if len(slugs) > MAX_CASES:
        comparison.notes.append(f"比較できるのは{MAX_CASES}件までです。最初の{MAX_CASES}件を表示しています。")
        slugs = slugs[:MAX_CASES]
    found = {
        case.slug: case
        for case in CasePage.objects.visible()
        .child_of(index)
        .filter(slug__in=slugs)
        .select_related("lead_organization__prefecture", "primary_measure")
        .prefetch_related(
            "partner_organizations__prefecture", "other_measures", "grant_programs", "outcomes", "sources"
        )
    }
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        shown = "、".join(f"「{slug[:40]}」" for slug in missing)
        comparison.notes.append(f"次の事例は見つからなかったため、比較から除きました: {shown}")
    comparison.cases = [found[slug] for slug in slugs if slug in found]
    if not comparison.ready:
        comparison.notes.append(
            f"比較するには{MIN_CASES}〜{MAX_CASES}件の事例を選んでください（一覧で「比較する」にチェックを入れます）。"
        )
    return comparison


def compare_csv(comparison: Comparison) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="casebook-compare.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["項目", *(spreadsheet_cell(case.title) for case in comparison.cases)])
    writer.writerow(["URL", *(case.full_url for case in comparison.cases)])
    for label, values in comparison.rows():
        writer.writerow([label, *(spreadsheet_cell(value) for value in values)])
    if comparison.credit:
        writer.writerow(["人口・財政力指数", spreadsheet_cell(comparison.credit)])
    return response
