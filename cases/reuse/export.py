"""CSV and JSON exports of exactly the cases a list URL shows, in the same order, all pages."""

import csv
import datetime
import hashlib
import json
import logging
import os
import re
import tempfile
import time
import uuid
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from casebook.base.core.cache import content_version
from casebook.base.core.formatting import format_fiscal_year
from casebook.base.core.spreadsheet import spreadsheet_cell, xlsx_text
from casebook.base.taxonomy.models import GRANT_TYPES, SELF_FUNDED, Municipality
from casebook.base.taxonomy.sizes import per_resident
from cases.content.columns import CASE_COLUMNS, OUTCOME_PARTS, PART_SEPARATOR, SCALAR_FIELDS, SOURCE_PARTS
from cases.content.narrative import body_text, sections
from cases.content.pages import CaseDocument, CaseOutcome, CasePage, CaseSource, CaseStatus, CaseTag, DocumentKind
from cases.discovery.facets import GrantLink, PartnerLink, SecondaryMeasureLink
from cases.discovery.listing import FilterSummary
from cases.discovery.nearby import case_distances
from cases.discovery.query import CaseQuery
from cases.reuse.fields import LICENCE
from measures.models import current_plan
from measures.plan import Plan

EXPORT_CHUNK = 500
FIELDS_PATH = "export/fields/"  # the field reference, under the case list (CaseIndexPage.export_fields)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
logger = logging.getLogger(__name__)
KIND_LABELS = dict(Municipality.Kind.choices)
DOCUMENT_KINDS = dict(DocumentKind.choices)
UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


ORG_FIELDS = ("name", "code", "kind", "prefecture__code", "prefecture__name")
# The lead organization's figures (総務省), read on the same join as its name.
LEAD_FIGURES = ("population", "population_as_of", "fiscal_strength_index")


def organization_record(row: dict, prefix: str) -> dict:
    """An organization from a values() row whose keys start with `prefix`."""
    get = {field: row[prefix + field] for field in ORG_FIELDS}
    return {
        "name": Municipality.compose_full_name(get["name"], get["kind"], get["prefecture__name"]),
        "code": get["code"],
        "kind": get["kind"],
        "prefecture": {"code": get["prefecture__code"], "name": get["prefecture__name"]},
    }


def _grouped(rows, key: str) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


def case_records(ids: list[int], base_url: str, plan: Plan, distances: dict[int, float] | None = None) -> list[dict]:
    """Export records for cases, in the order of `ids`, from plain rows: seven queries per call,
    and no model instances, so tens of thousands of cases export quickly. With `distances` (a list
    filtered by `near`), each record has its `distance_km`."""
    lead = {f"lead_organization__{f}" for f in (*ORG_FIELDS, *LEAD_FIGURES)}
    cases = CasePage.objects.filter(pk__in=ids).values(
        "pk",
        *SCALAR_FIELDS,
        "body",
        "lead_image_alt",
        "lead_image__file",
        "contact_public",
        "contact_department",
        "contact_phone",
        "contact_email",
        "contact_url",
        "first_published_at",
        "last_published_at",
        "primary_measure_id",
        "primary_measure__slug",
        "primary_measure__title",
        *lead,
    )
    partners = _grouped(
        PartnerLink.objects.filter(casepage_id__in=ids)
        .order_by("municipality__code")
        .values("casepage_id", *(f"municipality__{f}" for f in ORG_FIELDS)),
        "casepage_id",
    )
    others = _grouped(
        SecondaryMeasureLink.objects.filter(casepage_id__in=ids)
        .order_by("measurepage__path")
        .values("casepage_id", "measurepage_id", "measurepage__slug", "measurepage__title"),
        "casepage_id",
    )
    grants = _grouped(
        GrantLink.objects.filter(casepage_id__in=ids)
        .order_by("grantprogram__name")
        .values(
            "casepage_id",
            "grantprogram__slug",
            "grantprogram__name",
            "grantprogram__administered_by",
            "grantprogram__grant_type",
        ),
        "casepage_id",
    )
    tags = _grouped(
        CaseTag.objects.filter(content_object_id__in=ids).order_by("pk").values("content_object_id", "tag__name"),
        "content_object_id",
    )
    outcomes = _grouped(
        CaseOutcome.objects.filter(page_id__in=ids).order_by("sort_order").values("page_id", *OUTCOME_PARTS),
        "page_id",
    )
    documents = _grouped(
        CaseDocument.objects.filter(page_id__in=ids)
        .order_by("sort_order")
        .values("page_id", "title", "kind", "document_id", "document__file", "document__file_size"),
        "page_id",
    )
    site = site_root(base_url)
    sources = _grouped(
        CaseSource.objects.filter(page_id__in=ids).order_by("sort_order").values("page_id", *SOURCE_PARTS),
        "page_id",
    )
    order = plan.positions()
    records = {}
    for row in cases:
        pk = row["pk"]
        year = row["fiscal_year"]
        primary = measure_record(
            plan, row["primary_measure_id"], row["primary_measure__slug"], row["primary_measure__title"], year
        )
        secondary = sorted(others.get(pk, []), key=lambda m: order.get(m["measurepage_id"], len(order)))
        records[pk] = {
            "slug": row["slug"],
            "url": f"{base_url}{row['slug']}/",
            "title": row["title"],
            "summary": row["summary"],
            "organization": organization_record(row, "lead_organization__"),
            "partners": [organization_record(p, "municipality__") for p in partners.get(pk, [])],
            "measures": [primary]
            + [
                measure_record(plan, m["measurepage_id"], m["measurepage__slug"], m["measurepage__title"], year)
                for m in secondary
                if m["measurepage_id"] != row["primary_measure_id"]
            ],
            "grants": [
                {
                    "slug": g["grantprogram__slug"],
                    "name": g["grantprogram__name"],
                    "administered_by": g["grantprogram__administered_by"],
                    "type": g["grantprogram__grant_type"] or None,
                }
                for g in grants.get(pk, [])
            ],
            "funding_types": funding_types(grants.get(pk, []), row["self_funded"]),
            "tags": [t["tag__name"] for t in tags.get(pk, [])],
            "fiscal_year": row["fiscal_year"],
            "cost_yen": row["project_cost_yen"],
            "cost_fiscal_year": row["cost_fiscal_year"],
            **lead_figures(row),
            "launched_year": row["launched_year"],
            "launched_month": row["launched_month"],
            "self_funded": row["self_funded"],
            "outcomes": [{k: o[k] for k in OUTCOME_PARTS} for o in outcomes.get(pk, [])],
            "sources": [{k: s[k] for k in SOURCE_PARTS} for s in sources.get(pk, [])],
            "sections": sections(row["body"].raw_data if row["body"] else []),
            "image": image_record(row, site),
            "documents": [document_record(d, site) for d in documents.get(pk, [])],
            "status": status_record(row),
            # Only with the municipality's agreement (CasePage.contact_public).
            "contact": contact_record(row),
            "first_published_at": row["first_published_at"].isoformat() if row["first_published_at"] else None,
            "last_published_at": row["last_published_at"].isoformat() if row["last_published_at"] else None,
        }
        if distances is not None:
            records[pk]["distance_km"] = round(distances[pk], 1) if pk in distances else None
    return [records[pk] for pk in ids if pk in records]


def lead_figures(row: dict) -> dict:
    """The lead organization's population (with its reference date) and 財政力指数, and the cost per
    resident of that population (sizes.per_resident), even for a joint project."""
    population = row["lead_organization__population"]
    as_of = row["lead_organization__population_as_of"]
    index = row["lead_organization__fiscal_strength_index"]
    return {
        "population": population,
        "population_as_of": as_of.isoformat() if as_of else None,
        # A number in the JSON (0.47), not the Decimal's text.
        "fiscal_strength_index": float(index) if index is not None else None,
        "cost_per_resident": per_resident(row["project_cost_yen"], population),
    }


def site_root(base_url: str) -> str:
    """「https://casebook.example.jp」 from the list's address: files are served from the site's root."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def image_record(row: dict, site: str) -> dict | None:
    """The case's picture as uploaded, and its description; None without one."""
    if not row["lead_image__file"]:
        return None
    return {"url": absolute(site, default_storage.url(row["lead_image__file"])), "alt": row["lead_image_alt"]}


def absolute(site: str, url: str) -> str:
    """The storage's address of a file: already absolute on object storage, under the site's on its disk."""
    return url if urlsplit(url).netloc else site + url


def document_record(row: dict, site: str) -> dict:
    filename = os.path.basename(row["document__file"])
    return {
        "title": row["title"],
        "kind": row["kind"],
        "kind_label": DOCUMENT_KINDS.get(row["kind"], row["kind"]),
        "url": site + reverse("wagtaildocs_serve", args=[row["document_id"], filename]),
        "file_type": os.path.splitext(filename)[1].lstrip(".").upper(),
        # As recorded at upload; never asked of the storage (one request to a bucket per document).
        "size_bytes": row["document__file_size"],
    }


STATUS_LABELS = dict(CaseStatus.choices)
CONTACT_FIELDS = ("department", "phone", "email", "url")


def status_record(row: dict) -> dict | None:
    """その後の状況, or None when nobody recorded it."""
    if not row["status"]:
        return None
    return {
        "slug": row["status"],
        "label": STATUS_LABELS.get(row["status"], row["status"]),
        "as_of": row["status_as_of"].isoformat() if row["status_as_of"] else None,
        "note": row["status_note"],
    }


def contact_record(row: dict) -> dict | None:
    """問い合わせ先, only when the municipality agreed to publish it."""
    if not row["contact_public"]:
        return None
    contact = {field: row[f"contact_{field}"] for field in CONTACT_FIELDS}
    return contact if any(contact.values()) else None


def measure_record(plan: Plan, measure_id: int, slug: str, title: str, fiscal_year: int | None) -> dict:
    """A case's measure numbered by the latest edition (the export's `plan_version`).

    `filed`: the number in the edition the case was filed under, where that differs. `current`: for
    a measure the latest edition does not list, the one that took it over there.
    """
    latest = plan.latest
    record = {"slug": slug, "number": latest.number(measure_id) if latest else None, "title": title}
    filed = plan.filed_version(measure_id, fiscal_year)
    if filed and filed != latest and filed.number(measure_id) != record["number"]:
        record["filed"] = {"plan_version": filed.slug, "plan_version_name": filed.short_name}
        record["filed"]["number"] = filed.number(measure_id)
    current = plan.current(measure_id)
    if current and current.pk != measure_id:
        record["current"] = {"slug": current.slug, "number": latest.number(current.pk), "title": current.title}
    return record


def measure_text(measure: dict) -> str:
    """「1. 自治体フロントヤード改革の推進」; 「自治体の行政手続のオンライン化（2020年版 3）→ 1. …」."""
    filed = measure.get("filed")
    filed_text = f"（{filed['plan_version_name']} {filed['number']}）" if filed else ""
    if measure["number"] is not None:
        return f"{measure['number']}. {measure['title']}{filed_text}"
    current = measure.get("current")
    now = f" → {current['number']}. {current['title']}" if current else ""
    return f"{measure['title']}{filed_text}{now}"


def plan_version_record(plan: Plan) -> dict | None:
    """The edition the export's measure numbers follow."""
    latest = plan.latest
    if latest is None:
        return None
    return {
        "slug": latest.slug,
        "name": latest.name,
        "short_name": latest.short_name,
        "issued_on": latest.issued_on.isoformat(),
    }


def funding_types(grants, self_funded: bool) -> list[dict]:
    """The kinds of money a case ran on, in the facet's order; empty when no source says (「不明」)."""
    found = {g["grantprogram__grant_type"] for g in grants}
    if self_funded:
        found.add(SELF_FUNDED[0])
    return [{"slug": slug, "label": label} for slug, label in GRANT_TYPES if slug in found]


def numbering_edition(plan: Plan) -> str:
    """The CSV's 重点取組事項の番号の版: 「…【第2.3版】（2024-02-05）」."""
    latest = plan.latest
    return f"{latest.name}（{latest.issued_on:%Y-%m-%d}）" if latest else ""


def _joined(items) -> str:
    return " / ".join(item for item in items if item)


def parts_lines(items: list[dict], parts: tuple[str, ...]) -> str:
    """One line per item, its parts joined by 「 | 」 (trailing empty parts left out): the cell the
    importer reads back (成果の詳細, 出典)."""
    lines = []
    for item in items:
        values = [str(item[part] or "") for part in parts]
        while values and not values[-1]:
            values.pop()
        lines.append(PART_SEPARATOR.join(values))
    return "\n".join(lines)


def _outcome_text(outcome) -> str:
    period = f"（{outcome['period']}）" if outcome["period"] else ""
    return f"{outcome['label']}: {outcome['value']}{outcome['unit']}{period}"


# (Japanese header, value from the JSON record): the CSV is the JSON flattened.
# How each column of CASE_COLUMNS is written from a case's export record.
WRITERS = {
    "スラッグ": lambda r: r["slug"],
    "URL": lambda r: r["url"],
    "タイトル": lambda r: r["title"],
    "概要": lambda r: r["summary"],
    "主体の団体": lambda r: r["organization"]["name"],
    "団体コード": lambda r: r["organization"]["code"],
    "団体の種別": lambda r: KIND_LABELS.get(r["organization"]["kind"], ""),
    "都道府県コード": lambda r: r["organization"]["prefecture"]["code"],
    "都道府県": lambda r: r["organization"]["prefecture"]["name"],
    "連携団体": lambda r: _joined(p["name"] for p in r["partners"]),
    "連携団体コード": lambda r: _joined(p["code"] for p in r["partners"]),
    "重点取組事項": lambda r: _joined(measure_text(m) for m in r["measures"]),
    "重点取組事項スラッグ": lambda r: _joined(m["slug"] for m in r["measures"]),
    "重点取組事項の番号の版": lambda r: r["_numbering_edition"],
    "財源制度": lambda r: _joined(g["name"] for g in r["grants"]),
    "財源制度の所管": lambda r: _joined(g["administered_by"] for g in r["grants"]),
    "財源の種類": lambda r: _joined(t["label"] for t in r["funding_types"]) or "不明",
    "タグ": lambda r: _joined(r["tags"]),
    "年度（西暦）": lambda r: r["fiscal_year"] or "",
    "年度（和暦）": lambda r: format_fiscal_year(r["fiscal_year"]) if r["fiscal_year"] else "",
    "事業費（円）": lambda r: "" if r["cost_yen"] is None else r["cost_yen"],
    "人口": lambda r: "" if r["population"] is None else r["population"],
    "人口の基準日": lambda r: r["population_as_of"] or "",
    "財政力指数": lambda r: "" if r["fiscal_strength_index"] is None else r["fiscal_strength_index"],
    "住民1人あたりの事業費（円）": lambda r: "" if r["cost_per_resident"] is None else r["cost_per_resident"],
    "成果": lambda r: _joined(_outcome_text(o) for o in r["outcomes"]),
    "その後の状況": lambda r: r["status"]["label"] if r["status"] else "",
    "状況の時点": lambda r: (r["status"] or {}).get("as_of") or "",
    "状況の補足": lambda r: (r["status"] or {}).get("note") or "",
    "問い合わせ先": lambda r: _joined((r["contact"] or {}).get(field, "") for field in CONTACT_FIELDS),
    "距離（km）": lambda r: "" if r.get("distance_km") is None else r["distance_km"],
    "初回公開日時": lambda r: r["first_published_at"] or "",
    "最終公開日時": lambda r: r["last_published_at"] or "",
    # What a case needs to come back in by the importer (cases/intake/importer.py): export → edit → import.
    "事業費の年度（西暦）": lambda r: r["cost_fiscal_year"] or "",
    "開始年": lambda r: r["launched_year"] or "",
    "開始月": lambda r: r["launched_month"] or "",
    "単独事業": lambda r: "はい" if r["self_funded"] else "",
    "成果の詳細": lambda r: parts_lines(r["outcomes"], OUTCOME_PARTS),
    "出典": lambda r: parts_lines(r["sources"], SOURCE_PARTS),
    "本文": lambda r: body_text(r["sections"]),
}
CSV_COLUMNS = [(column.header, WRITERS[column.header]) for column in CASE_COLUMNS]


def export_filename(summary: FilterSummary, extension: str) -> str:
    """「casebook_事例_テレワークの推進×広島県_20261126.csv」."""
    description = UNSAFE_FILENAME.sub("_", summary.description())[:60]
    return f"casebook_事例_{description}_{timezone.localdate():%Y%m%d}.{extension}"


def content_disposition(disposition: str, filename: str, extension: str) -> str:
    ascii_name = f"casebook-cases-{timezone.localdate():%Y%m%d}.{extension}"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def records(ids: list[int], base_url: str, query: CaseQuery, plan: Plan):
    """Export records in chunks; with `near`, each says how far it is (`distance_km`)."""
    within = query.nearby() if query.near else None
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        distances = case_distances(chunk, within) if within is not None else None
        yield from case_records(chunk, base_url, plan, distances)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value):
        return value


# Exports up to this size are kept whole as files, so a repeated export is sent by the kernel
# (sendfile), not rebuilt. Larger ones (the whole library: tens of MB) stream every time.
EXPORT_CACHE_MAX_BYTES = 16 * 1024 * 1024
# The first request for an export leaves only this mark (an empty file: no block, one file); the
# second keeps the export while it is sent; the third and later are sent from the file.
SEEN_SUFFIX = ".seen"
# What tidy_export_cache leaves behind: partial files no request is still writing, and marks of
# exports nobody asked for again within a day.
STALE_PARTIAL_SECONDS = 60 * 60
STALE_MARK_SECONDS = 24 * 60 * 60
# The running estimate of what the folder holds (see _estimate), in the folder itself.
LEDGER_NAME = ".ledger"
BLOCK = 4096
# 「<site prefix><content version>-<digest>.<extension>」, its mark (.seen) or a file being written (.part).
CACHE_ENTRY = re.compile(
    r"^(?P<stem>.+)-(?P<digest>[0-9a-f]{32})\.(?P<extension>csv|json|xlsx)"
    r"(?P<tail>\.seen|\.[0-9a-f]{32}\.part)?$"
)


def export_digest(query: CaseQuery, base_url: str, extension: str) -> str:
    """What an export means, in 32 hex digits: its format, the site's address its links start with,
    and the filter and order it honours (not the raw query string)."""
    return hashlib.sha256(repr((extension, base_url, query.state_key)).encode()).hexdigest()[:32]


def export_path(query: CaseQuery, base_url: str, extension: str) -> tuple[Path, str, str]:
    """Where the export cache keeps this export: (path, the site's prefix, the content version)."""
    version = content_version()
    digest = export_digest(query, base_url, extension)
    prefix = f"{settings.CACHE_KEY_PREFIX}-"
    return Path(settings.EXPORT_CACHE_DIR) / f"{prefix}{version}-{digest}.{extension}", prefix, version


def export_response(
    query: CaseQuery, summary: FilterSummary, base_url: str, extension: str, build, content_type: str, keep: bool
):
    """The export as a file from the export cache, or streamed from `build()`.

    Files are named by the site, the content version and what the filter means (the honoured
    filters and order, not the raw query string), so junk parameters make no new files; an export
    whose filter was partly ignored, or that `keep` says not to keep, is never kept and leaves no
    mark. Otherwise the first request only leaves a mark (`<name>.seen`), the second keeps the
    export while it is sent, and later ones are sent from the file: a filter asked for once costs
    one empty file, not a copy of the export. Nothing here lists the folder; tidy_export_cache
    (run on a schedule) retires old versions and holds the folder within its caps, and between
    two tidies a request keeps nothing once the estimate (_estimate) says a cap is reached.
    """
    path, _, _ = export_path(query, base_url, extension)
    try:
        return FileResponse(path.open("rb"), content_type=content_type)
    except OSError:  # not exported yet since the last change (or the folder cannot be read)
        pass
    if keep and not summary.ignored and _seen(path):
        chunks = _written_while_sent(build(), path)
    else:
        if keep and not summary.ignored:
            _mark(path)
        chunks = _encoded(build())
    return StreamingHttpResponse(chunks, content_type=content_type)


def _encoded(chunks):
    for chunk in chunks:
        yield chunk.encode()


def _mark_path(path: Path) -> Path:
    return path.with_name(path.name + SEEN_SUFFIX)


def _seen(path: Path) -> bool:
    """Whether this export was asked for before (since the last change, and not tidied away)."""
    try:
        return _mark_path(path).exists()
    except OSError:
        return False


def _mark(path: Path) -> None:
    """Remember the first request for an export, if the folder has room for one more file."""
    files, _ = _estimate(path.parent)
    if files + 1 > settings.EXPORT_CACHE_MAX_FILES:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(_mark_path(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:  # another request marked it first
        return
    except OSError:
        logger.warning("export cache folder %s is not writable; exports are built every time", path.parent)
        return
    os.close(fd)
    _record(path.parent, files=1, size=0)


def _room(folder: Path) -> int:
    """How large a file this request may keep: the per-file limit, or less when the folder's
    estimate is near EXPORT_CACHE_MAX_BYTES."""
    _, used = _estimate(folder)
    return min(EXPORT_CACHE_MAX_BYTES, settings.EXPORT_CACHE_MAX_BYTES - used)


def _blocks(size: int) -> int:
    """The bytes a file of `size` bytes takes on a disk of 4 KB blocks."""
    return -(-size // BLOCK) * BLOCK


def disk_bytes(stat: os.stat_result) -> int:
    """The bytes a file takes on the disk (its blocks), not its length: a 979-byte export takes 4 KB."""
    blocks = getattr(stat, "st_blocks", None)
    return blocks * 512 if blocks is not None else _blocks(stat.st_size)


def _kept(path: Path, partial: Path) -> None:
    """Put a finished export in place of its mark, and add its blocks to the estimate."""
    os.replace(partial, path)
    try:
        size = disk_bytes(path.stat())
    except OSError:
        size = 0  # already tidied away
    _mark_path(path).unlink(missing_ok=True)
    _record(path.parent, files=0, size=size)  # one file for its mark


def _written_while_sent(chunks, path: Path):
    """Yield the encoded chunks; keep them in `path` if the whole export is small enough and the
    folder has room for it (_room)."""
    partial, out, size = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part"), None, 0
    room = _room(path.parent)
    if room >= BLOCK:
        try:
            out = partial.open("wb")
        except OSError:
            logger.warning("export cache folder %s is not writable; exports are built every time", path.parent)
    try:
        for chunk in chunks:
            data = chunk.encode()
            yield data
            if out is not None:
                size += len(data)
                try:
                    if _blocks(size) > room:
                        raise OverflowError
                    out.write(data)
                except (OSError, OverflowError):  # too large to keep, or the disk is full
                    _discard(out, partial)
                    out = None
        if out is not None:
            try:
                out.close()
                out = None
                _kept(path, partial)
            except OSError:  # the export was sent whole; only keeping it failed
                logger.warning("could not keep export %s", path.name, exc_info=True)
    finally:  # the client went away, or building failed: leave no partial file behind
        _discard(out, partial)


def _discard(out, partial: Path) -> None:
    try:
        if out is not None:
            out.close()
        partial.unlink(missing_ok=True)
    except OSError:
        pass  # nothing was written there, or the folder is gone


# -- The estimate between tidies ----------------------------------------------------------------
#
# The ledger (`.ledger` in the export folder) is one line per change, 「<files> <bytes>」: the totals
# tidy_export_cache found, then what each request added since (a mark: one file; a kept export: its
# blocks, in place of its mark). Requests append with O_APPEND (one short write, atomic on a local
# disk), so every worker of a machine adds to the same count, and reading it costs one small file,
# never a listing. It is an estimate: appends that race a tidy may be lost, and two requests that
# check at once may both keep a file; the next tidy counts the folder itself and corrects it.


def _ledger(folder: Path) -> Path:
    return folder / LEDGER_NAME


def _estimate(folder: Path) -> tuple[int, int]:
    """(files, bytes) the folder holds by the ledger; (0, 0) before the first tidy."""
    try:
        text = _ledger(folder).read_text("ascii")
    except (OSError, UnicodeDecodeError):
        return 0, 0
    files = size = 0
    for line in text.splitlines():
        try:
            more_files, more_bytes = line.split()
            files, size = files + int(more_files), size + int(more_bytes)
        except ValueError:
            continue  # a line cut short by a full disk
    return files, size


def _record(folder: Path, files: int, size: int) -> None:
    try:
        fd = os.open(_ledger(folder), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{files} {size}\n".encode())
        finally:
            os.close(fd)
    except OSError:
        pass  # the folder cannot be written: nothing is kept there either


def tidy_export_cache() -> dict:
    """Hold the export folder within EXPORT_CACHE_MAX_FILES and EXPORT_CACHE_MAX_BYTES (blocks on
    the disk, not lengths). Run on a schedule (`manage.py scheduled tidy-exports`), never per request.

    Retires this site's files and marks of other content versions, partial files older than an hour
    (no request is still writing them) and marks older than a day (nobody asked again); then, while
    the folder holds too many files, the oldest marks; then the oldest files of any site until both
    caps hold. Files that are not the export cache's own are left alone and not counted. Resets the
    ledger to what it found. Returns {"removed": …, "kept": files and marks left, "bytes": their blocks}.
    """
    folder = Path(settings.EXPORT_CACHE_DIR)
    prefix, version = f"{settings.CACHE_KEY_PREFIX}-", content_version()
    now = time.time()
    removed, files, marks, fixed = 0, [], [], []  # fixed: partial files being written, counted but kept
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no folder yet: nothing was kept
        return {"removed": 0, "kept": 0, "bytes": 0}
    for entry in entries:
        match = CACHE_ENTRY.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            stat = entry.stat(follow_symlinks=False)
            tail, stem = match["tail"] or "", match["stem"]
            # This site's, of another version: the version is one word (a site whose prefix extends
            # this one's, 「casebook-staging-」 under 「casebook-」, has two), so another site's files stay.
            other_version = stem.startswith(prefix) and stem != f"{prefix}{version}" and "-" not in stem[len(prefix) :]
            if tail.endswith(".part"):
                if stat.st_mtime < now - STALE_PARTIAL_SECONDS:
                    os.unlink(entry.path)
                    removed += 1
                else:
                    fixed.append(disk_bytes(stat))
            elif other_version or (tail == SEEN_SUFFIX and stat.st_mtime < now - STALE_MARK_SECONDS):
                os.unlink(entry.path)
                removed += 1
            else:
                (marks if tail == SEEN_SUFFIX else files).append((stat.st_mtime, disk_bytes(stat), entry.path))
        except OSError:
            pass  # another worker removed it first
    count = len(files) + len(marks) + len(fixed)
    total = sum(size for _, size, _ in files + marks) + sum(fixed)
    # Marks go first when there are too many files: a filter asked for once is worth less than an
    # export asked for again. Then files, oldest first, until both caps hold.
    queue = sorted(marks)[: max(0, count - settings.EXPORT_CACHE_MAX_FILES)] + sorted(files)
    for _, size, file in queue:
        if count <= settings.EXPORT_CACHE_MAX_FILES and total <= settings.EXPORT_CACHE_MAX_BYTES:
            break
        try:
            os.unlink(file)
            removed += 1
        except FileNotFoundError:
            pass
        except OSError:
            continue
        count, total = count - 1, total - size
    ledger = _ledger(folder)
    fresh = ledger.with_name(f"{LEDGER_NAME}.{uuid.uuid4().hex}.tmp")
    try:
        fresh.write_text(f"{count} {total}\n", "ascii")
        os.replace(fresh, ledger)
    except OSError:
        fresh.unlink(missing_ok=True)
        logger.warning("could not write the export cache's ledger in %s", folder, exc_info=True)
    return {"removed": removed, "kept": count, "bytes": total}


def keeps_exports_for(request) -> bool:
    """A Host header whose port is not the one the request came in on is junk, not a site to keep exports for."""
    _, port = split_domain_port(request.get_host())
    return not port or port == str(request.get_port())


def csv_chunks(query: CaseQuery, base_url: str, plan: Plan, ids: list[int] | None = None):
    """The CSV's text, header first, a row per case in list order."""
    writer = csv.writer(_Echo())
    # The BOM makes Excel on Japanese Windows read the file as UTF-8.
    yield "\ufeff" + writer.writerow([header for header, _ in CSV_COLUMNS])
    edition = numbering_edition(plan)
    for record in records(query.result_ids() if ids is None else ids, base_url, query, plan):
        record["_numbering_edition"] = edition
        yield writer.writerow([spreadsheet_cell(value(record)) for _, value in CSV_COLUMNS])


def json_chunks(query: CaseQuery, summary: FilterSummary, base_url: str, plan: Plan, ids: list[int] | None = None):
    """The JSON document's text: its head (count, edition, filters, licence), then the records."""
    ids = query.result_ids() if ids is None else ids
    head = {
        "count": len(ids),
        "plan_version": plan_version_record(plan),
        "filters": summary.applied(),
        "ignored": summary.ignored,
        "license": LICENCE,
        "fields": f"{base_url}{FIELDS_PATH}",
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
    for i, record in enumerate(records(ids, base_url, query, plan)):
        yield ("," if i else "") + json.dumps(record, ensure_ascii=False)
    yield "]}"


def csv_response(query: CaseQuery, summary: FilterSummary, base_url: str, keep: bool = True):
    # Read once, while the request's content version holds: the rows stream after the view returns.
    plan = current_plan()
    rows = partial(csv_chunks, query, base_url, plan)
    response = export_response(query, summary, base_url, "csv", rows, "text/csv; charset=utf-8", keep)
    response["Content-Disposition"] = content_disposition("attachment", export_filename(summary, "csv"), "csv")
    return response


def json_response(query: CaseQuery, summary: FilterSummary, base_url: str, keep: bool = True):
    # Read once, while the request's content version holds: the records stream after the view returns.
    plan = current_plan()
    chunks = partial(json_chunks, query, summary, base_url, plan)
    response = export_response(query, summary, base_url, "json", chunks, "application/json; charset=utf-8", keep)
    response["Content-Disposition"] = content_disposition("inline", export_filename(summary, "json"), "json")
    return response


# How each CSV column is typed in the .xlsx (the rest are text): (kind, width in characters).
XLSX_NUMBERS = {
    "年度（西暦）": "0",
    "事業費（円）": '#,##0"円"',
    "人口": '#,##0"人"',
    "財政力指数": "0.00###",
    "住民1人あたりの事業費（円）": '#,##0"円"',
    "距離（km）": "0.0",
    "事業費の年度（西暦）": "0",
    "開始年": "0",
    "開始月": "0",
}
XLSX_DATES = {"初回公開日時", "最終公開日時"}
XLSX_DAYS = {"人口の基準日"}  # a date without a time
XLSX_WIDTHS = {
    "タイトル": 40,
    "概要": 60,
    "URL": 40,
    "成果": 50,
    "重点取組事項": 36,
    "連携団体": 30,
    "成果の詳細": 50,
    "出典": 50,
    "本文": 80,
}


def xlsx_value(header: str, value):
    """The cell value of one column: numbers and dates typed, everything else text."""
    if value in ("", None):
        return None
    if header in XLSX_NUMBERS:
        return value
    if header in XLSX_DATES:
        return timezone.localtime(datetime.datetime.fromisoformat(value)).replace(tzinfo=None)
    if header in XLSX_DAYS:
        return datetime.date.fromisoformat(value)
    return str(value)


def xlsx_response(query: CaseQuery, summary: FilterSummary, base_url: str, keep: bool = True, head: bool = False):
    """The list as an Excel workbook (build_workbook), kept in the export cache like the other exports;
    a HEAD request is answered without building it."""
    path, _, _ = export_path(query, base_url, "xlsx")
    try:
        response = FileResponse(path.open("rb"), content_type=XLSX_CONTENT_TYPE)
    except OSError:  # not built since the last change
        if head:
            response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
        else:
            file = build_workbook(query, summary, base_url)
            if keep and not summary.ignored:
                if _seen(path):  # the second request keeps it, like the other exports (export_response)
                    _keep_file(file, path)
                else:
                    _mark(path)
            response = FileResponse(file, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition("attachment", export_filename(summary, "xlsx"), "xlsx")
    return response


def _keep_file(file, path: Path) -> None:
    """A copy of a finished export in the export cache, if it is small enough and the folder has
    room for it (_room); never a partial one."""
    size = file.seek(0, os.SEEK_END)
    file.seek(0)
    if _blocks(size) > _room(path.parent):
        return
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    try:
        with partial.open("wb") as out:
            out.write(file.read())
        _kept(path, partial)
    except OSError:
        logger.warning("could not keep export %s", path.name, exc_info=True)
        partial.unlink(missing_ok=True)
    file.seek(0)


def build_workbook(query: CaseQuery, summary: FilterSummary, base_url: str, file=None):
    """The CSV's columns with typed cells (codes and slugs as text, so no leading zero is lost; yen,
    years, distances, populations and 財政力指数 as numbers; dates as dates), the header frozen, and a
    second sheet stating the filter, the date and the sources. Returns a file positioned at its start:
    `file` if given (the worker's temporary file), else a new one."""
    plan = current_plan()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("事例")
    sheet.freeze_panes = "A2"
    for index, (header, _) in enumerate(CSV_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS.get(header, 16)
    sheet.append([xlsx_text(WriteOnlyCell(sheet), header) for header, _ in CSV_COLUMNS])
    edition = numbering_edition(plan)
    ids = query.result_ids()
    for record in records(ids, base_url, query, plan):
        record["_numbering_edition"] = edition
        row = []
        for header, value in CSV_COLUMNS:
            cell, typed = WriteOnlyCell(sheet), xlsx_value(header, value(record))
            if isinstance(typed, str):
                xlsx_text(cell, typed)
            else:
                cell.value = typed
                if header in XLSX_NUMBERS:
                    cell.number_format = XLSX_NUMBERS[header]
                elif header in XLSX_DATES:
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif header in XLSX_DAYS:
                    cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
    about = workbook.create_sheet("条件")
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 80
    for label, text in [
        ("条件", summary.description()),
        ("件数", str(len(ids))),
        ("作成日", f"{timezone.localdate():%Y-%m-%d}"),
        ("一覧のURL", f"{base_url}{summary.query_string() if summary.is_filtered else ''}"),
        ("重点取組事項の番号", edition),
        ("出典", "Casebook 自治体DX事例ライブラリ。各事例の出典は事例のページに記載しています。"),
        ("団体の一覧", LICENCE["organizations"]),
        ("人口と財政指標", LICENCE["figures"]),
        ("利用条件", f"{LICENCE['applies_to']}: {LICENCE['content']}（{LICENCE['url']}）。{LICENCE['not_covered']}"),
        ("項目の説明", f"{base_url}{FIELDS_PATH}"),
    ]:
        about.append([xlsx_text(WriteOnlyCell(about), label), xlsx_text(WriteOnlyCell(about), text)])
    file = file if file is not None else tempfile.SpooledTemporaryFile(max_size=EXPORT_CACHE_MAX_BYTES)
    workbook.save(file)
    file.seek(0)
    return file
