"""CSV and JSON exports of exactly the cases a list URL shows, in the same order, all pages."""

import csv
import json
import re
from urllib.parse import quote

from django.http import StreamingHttpResponse
from django.utils import timezone

from casebook.formatting import format_fiscal_year
from cases.filters import CaseFilter
from cases.models import Municipality

EXPORT_CHUNK = 500
KIND_LABELS = dict(Municipality.Kind.choices)
UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


EXPORT_PREFETCH = ("other_measures", "grant_programs", "partner_organizations__prefecture", "tags", "outcomes")


def organization_record(org) -> dict:
    return {
        "name": org.full_name,
        "code": org.code,
        "kind": org.kind,
        "prefecture": {"code": org.prefecture.code, "name": org.prefecture.name},
    }


def case_record(case, base_url: str) -> dict:
    return {
        "slug": case.slug,
        "url": f"{base_url}{case.slug}/",
        "title": case.title,
        "summary": case.summary,
        "organization": organization_record(case.lead_organization),
        "partners": [organization_record(org) for org in case.partner_organizations.all()],
        "measures": [{"slug": m.slug, "number": m.number, "title": m.title} for m in case.all_measures()],
        "grants": [
            {"slug": g.slug, "name": g.name, "administered_by": g.administered_by} for g in case.grant_programs.all()
        ],
        "tags": [tag.name for tag in case.tags.all()],
        "fiscal_year": case.fiscal_year,
        "cost_yen": case.project_cost_yen,
        "outcomes": [
            {"label": o.label, "value": o.value, "unit": o.unit, "period": o.period} for o in case.outcomes.all()
        ],
        "first_published_at": case.first_published_at.isoformat() if case.first_published_at else None,
        "last_published_at": case.last_published_at.isoformat() if case.last_published_at else None,
    }


def _joined(items) -> str:
    return " / ".join(item for item in items if item)


def _outcome_text(outcome) -> str:
    period = f"（{outcome['period']}）" if outcome["period"] else ""
    return f"{outcome['label']}: {outcome['value']}{outcome['unit']}{period}"


# (Japanese header, value from the JSON record): the CSV is the JSON flattened.
CSV_COLUMNS = [
    ("スラッグ", lambda r: r["slug"]),
    ("URL", lambda r: r["url"]),
    ("タイトル", lambda r: r["title"]),
    ("概要", lambda r: r["summary"]),
    ("主体の団体", lambda r: r["organization"]["name"]),
    ("団体コード", lambda r: r["organization"]["code"]),
    ("団体の種別", lambda r: KIND_LABELS.get(r["organization"]["kind"], "")),
    ("都道府県コード", lambda r: r["organization"]["prefecture"]["code"]),
    ("都道府県", lambda r: r["organization"]["prefecture"]["name"]),
    ("連携団体", lambda r: _joined(p["name"] for p in r["partners"])),
    ("連携団体コード", lambda r: _joined(p["code"] for p in r["partners"])),
    ("重点取組事項", lambda r: _joined(f"{m['number']}. {m['title']}" for m in r["measures"])),
    ("重点取組事項スラッグ", lambda r: _joined(m["slug"] for m in r["measures"])),
    ("財源制度", lambda r: _joined(g["name"] for g in r["grants"])),
    ("財源制度の所管", lambda r: _joined(g["administered_by"] for g in r["grants"])),
    ("タグ", lambda r: _joined(r["tags"])),
    ("年度（西暦）", lambda r: r["fiscal_year"] or ""),
    ("年度（和暦）", lambda r: format_fiscal_year(r["fiscal_year"]) if r["fiscal_year"] else ""),
    ("事業費（円）", lambda r: "" if r["cost_yen"] is None else r["cost_yen"]),
    ("成果", lambda r: _joined(_outcome_text(o) for o in r["outcomes"])),
    ("初回公開日時", lambda r: r["first_published_at"] or ""),
    ("最終公開日時", lambda r: r["last_published_at"] or ""),
]


def export_filename(case_filter: CaseFilter, extension: str) -> str:
    """「casebook_事例_テレワークの推進×広島県_20261126.csv」."""
    description = UNSAFE_FILENAME.sub("_", case_filter.description())[:60]
    return f"casebook_事例_{description}_{timezone.localdate():%Y%m%d}.{extension}"


def content_disposition(filename: str, extension: str) -> str:
    ascii_name = f"casebook-cases-{timezone.localdate():%Y%m%d}.{extension}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def records(case_filter: CaseFilter, base_url: str):
    for case in case_filter.results(prefetch=EXPORT_PREFETCH).iterator(chunk_size=EXPORT_CHUNK):
        yield case_record(case, base_url)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


def csv_response(case_filter: CaseFilter, base_url: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        # The BOM makes Excel on Japanese Windows read the file as UTF-8.
        yield "\ufeff" + writer.writerow([header for header, _ in CSV_COLUMNS])
        for record in records(case_filter, base_url):
            yield writer.writerow([value(record) for _, value in CSV_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(export_filename(case_filter, "csv"), "csv")
    return response


def json_response(case_filter: CaseFilter, base_url: str) -> StreamingHttpResponse:
    count = case_filter.results().count()

    def chunks():
        head = {"count": count, "filters": case_filter.applied(), "ignored": case_filter.ignored}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
        for i, record in enumerate(records(case_filter, base_url)):
            yield ("," if i else "") + json.dumps(record, ensure_ascii=False)
        yield "]}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition(export_filename(case_filter, "json"), "json").replace(
        "attachment", "inline"
    )
    return response
