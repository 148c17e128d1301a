"""Cases in from a spreadsheet: the export's own columns read back, so export → edit in Excel → import is a
round trip.

`plan_import()` is the dry run, and the only reading: every row becomes new, an update (with the fields
that change), unchanged, or an error naming its row and column in Japanese. `apply_import()` writes a
plan whose rows are all good, all or nothing: each new or changed case becomes a draft revision by the
importing user, submitted to the review workflow (事例の承認) — a live case stays as it is until a
moderator approves — and the moderators get one summary e-mail. A row is keyed by its slug; a row without
one is the case of the same title, lead organization and fiscal year if there is one, else new with a
slug of its own (「342084-telework-2021」). Importing the same file twice changes nothing.

Columns absent from the file leave those fields as they are; an empty cell in a present column empties
the field. Each value is checked by the model's own fields and rules (cases/content/pages.py)."""

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from casebook.base.core.notifications import muted
from casebook.base.core.parsing import cell_text, padded_code, parse_fiscal_year, parse_japanese_date, parse_yen
from casebook.base.core.spreadsheet import Table, from_spreadsheet_cell
from casebook.base.core.text import normalise
from casebook.base.core.validators import is_valid_lg_code, lg_code_check_digit
from casebook.base.taxonomy.models import GrantProgram, Municipality
from cases.content.columns import (
    EXPORT_ONLY,
    OUTCOME_PARTS,
    PART_SEPARATOR,
    READ_COLUMNS,
    REQUIRED,
    SCALAR_FIELDS,
    SOURCE_PARTS,
)
from cases.content.narrative import body_text, read_body_text, sections
from cases.content.pages import CaseOutcome, CasePage, CaseSource, CaseStatus, cross_field_errors, proposed_slug
from measures.models import MeasurePage

logger = logging.getLogger(__name__)

LIST_SEPARATOR = re.compile(r"\s*[/／]\s*")
YES = {"はい", "○", "〇", "true", "1", "yes", "y"}
NO = {"", "いいえ", "×", "false", "0", "no", "n"}
EXAMPLE_MARK = "【記入例】"  # the template's example row (casebook/site/editorial/imports.py)
STATUS_OF_LABEL = {label: slug for slug, label in CaseStatus.choices}

# The columns read (cases/content/columns.py), in the export's order.
COLUMNS = READ_COLUMNS
BY_HEADER = {column.header: column for column in COLUMNS}
# Headers as read from a file: normalised like every cell (「（西暦）」 → 「(西暦)」), mapped back to ours.
HEADER_OF = {normalise(header): header for header in [*BY_HEADER, *EXPORT_ONLY]}
# Where two columns say the same thing, the first present one is read: codes before names.
PREFERRED = {
    "lead_organization": "団体コード",
    "partner_organizations": "連携団体コード",
    "measures": "重点取組事項スラッグ",
}
FIELD_HEADER = {column.key: column.header for column in reversed(COLUMNS)}


class RowError(ValueError):
    """A value that cannot be read; the message is Japanese."""


@dataclass
class Lookups:
    """What rows name, loaded once per import (2,000 rows must not mean 2,000 queries per column)."""

    orgs_by_code: dict[str, int]
    orgs_by_name: dict[str, list[tuple[int, str]]]
    measures_by_slug: dict[str, int]
    measures_by_title: dict[str, int]
    grants_by_slug: dict[str, int]
    grants_by_name: dict[str, int]

    @classmethod
    def load(cls) -> "Lookups":
        orgs_by_code, orgs_by_name = {}, {}
        rows = Municipality.objects.values_list("pk", "code", "name", "kind", "prefecture__name")
        for pk, code, name, kind, prefecture in rows:
            orgs_by_code[code] = pk
            full = Municipality.compose_full_name(name, kind, prefecture)
            label = f"{code} {full}"
            for key in {name, full}:
                orgs_by_name.setdefault(key, []).append((pk, label))
        measures = MeasurePage.objects.values_list("pk", "slug", "title")
        grants = GrantProgram.objects.values_list("pk", "slug", "name")
        return cls(
            orgs_by_code,
            orgs_by_name,
            {slug: pk for pk, slug, _ in measures},
            {title: pk for pk, _, title in measures},
            {slug: pk for pk, slug, _ in grants},
            {name: pk for pk, _, name in grants},
        )

    def organization(self, text: str) -> int:
        if text.isascii() and text.isdigit() and len(text) == 5:
            return self.five_digit_code(text)
        code = padded_code(text, 6)
        if code.isdigit():
            if not is_valid_lg_code(code):
                raise RowError(f"団体コード「{code}」は正しくありません（6桁、検査数字を含む。例: 342084）。")
            if code not in self.orgs_by_code:
                raise RowError(f"団体コード「{code}」の団体が登録されていません。")
            return self.orgs_by_code[code]
        found = self.orgs_by_name.get(text, [])
        if not found:
            raise RowError(f"団体「{text}」が見つかりません。団体コード（6桁）で指定してください。")
        if len(found) > 1:
            names = "、".join(label for _, label in found[:4])
            raise RowError(f"「{text}」に当たる団体が{len(found)}つあります（{names}）。団体コードで指定してください。")
        return found[0][0]

    def five_digit_code(self, text: str) -> int:
        """Five digits are either a six-digit code a spreadsheet stripped of its leading zero (72028 →
        072028) or a code written without its check digit (12203 → 122033): refused when both exist."""
        candidates = {"0" + text, f"{text}{lg_code_check_digit(text)}"}
        found = {
            code: self.orgs_by_code[code] for code in candidates if is_valid_lg_code(code) and code in self.orgs_by_code
        }
        if len(found) == 1:
            return next(iter(found.values()))
        if not found:
            raise RowError(f"団体コード「{text}」の団体が登録されていません（6桁、検査数字を含む。例: 342084）。")
        names = "、".join(sorted(found))
        raise RowError(f"団体コード「{text}」は {names} のどちらとも読めます。6桁のコードで指定してください。")

    def measure(self, text: str) -> int:
        slug = text.lower()
        if slug in self.measures_by_slug:
            return self.measures_by_slug[slug]
        # The export's 重点取組事項 writes 「1. 名称（2020年版 3）」 or 「名称 → 1. 後の名称」.
        title = re.sub(r"^\d+\.\s*", "", text.split(" → ")[0])
        title = re.sub(r"（[^（）]*版[^（）]*）$", "", title).strip()
        if title in self.measures_by_title:
            return self.measures_by_title[title]
        raise RowError(f"重点取組事項「{text}」が見つかりません（スラッグか名称で。例: telework）。")

    def grant(self, text: str) -> int:
        if text.lower() in self.grants_by_slug:
            return self.grants_by_slug[text.lower()]
        if text in self.grants_by_name:
            return self.grants_by_name[text]
        raise RowError(f"財源制度「{text}」が登録されていません。先に「分類 → 財源制度」に追加してください。")


def items(text: str) -> list[str]:
    return [item for item in LIST_SEPARATOR.split(text) if item] if text else []


def read_parts(text: str, parts: tuple[str, ...], what: str) -> list[tuple[str, ...]]:
    """「指標 | 値 | 単位」 lines → tuples as long as `parts`."""
    rows = []
    for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        values = [value.strip() for value in line.split(PART_SEPARATOR.strip())]
        if len(values) > len(parts):
            raise RowError(f"{what}の{n}行目は区切り「|」が多すぎます（{len(parts)}項目まで）。")
        rows.append(tuple(values + [""] * (len(parts) - len(values))))
    return rows


def read_date(value) -> datetime.date | None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_japanese_date(value)
    except ValueError as error:
        raise RowError(str(error)) from None


def read_int(text: str, what: str) -> int:
    number = re.sub(r"[年月]$", "", text)
    if not (number.isascii() and number.isdigit()):
        raise RowError(f"{what}「{text[:20]}」を読めません（半角の数字で）。")
    return int(number)


def read_value(key: str, raw, lookups: Lookups):
    """One cell as the value of `key`; RowError says what is wrong."""
    if key == "status_as_of":
        return read_date(raw)
    text = from_spreadsheet_cell(cell_text(raw)) if not isinstance(raw, str) else from_spreadsheet_cell(raw.strip())
    if key in ("outcomes", "sources", "body", "summary", "title", "status_note"):
        text = text.replace("\r\n", "\n")
    else:
        text = cell_text(text)
    if key == "lead_organization":
        return lookups.organization(text) if text else None
    if key == "partner_organizations":
        return sorted({lookups.organization(item) for item in items(text)})
    if key == "measures":
        return list(dict.fromkeys(lookups.measure(item) for item in items(text)))
    if key == "grant_programs":
        return sorted({lookups.grant(item) for item in items(text)})
    if key == "tags":
        return sorted(set(items(text)))
    if key in ("fiscal_year", "cost_fiscal_year"):
        return parse_fiscal_year(text) if text else None
    if key == "project_cost_yen":
        return parse_yen(text) if text else None
    if key == "launched_year":
        return read_int(text, "開始年") if text else None
    if key == "launched_month":
        return read_int(text, "開始月") if text else None
    if key == "self_funded":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise RowError(f"「{text[:20]}」は「はい」か空欄で書いてください。")
    if key == "status":
        if not text or text in CaseStatus.values:
            return text
        if text in STATUS_OF_LABEL:
            return STATUS_OF_LABEL[text]
        raise RowError(f"状況「{text[:20]}」はありません（{'・'.join(STATUS_OF_LABEL)}のどれか）。")
    if key == "outcomes":
        return read_parts(text, OUTCOME_PARTS, "成果")
    if key == "sources":
        return read_parts(text, SOURCE_PARTS, "出典")
    if key == "body":
        return body_text(sections(read_body_text(text)))  # normalised as the export writes it
    return text


@dataclass
class RowResult:
    number: int
    slug: str = ""
    title: str = ""
    action: str = ""  # new, update, unchanged, error
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    page_id: int | None = None

    ACTION_LABELS = {"new": "新規", "update": "更新", "unchanged": "変更なし", "error": "エラー"}

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS[self.action]

    def error(self, header: str, message: str) -> None:
        self.errors.append(f"{self.number}行目「{header}」: {message}")


@dataclass
class ImportPlan:
    rows: list[RowResult]
    unknown_columns: list[str]
    export_only_columns: list[str]
    format: str
    problems: list[str] = field(default_factory=list)  # about the file as a whole

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in RowResult.ACTION_LABELS}

    @property
    def ok(self) -> bool:
        return not self.problems and not self.count("error")

    @property
    def errors(self) -> list[str]:
        return self.problems + [message for row in self.rows for message in row.errors]

    def summary(self) -> str:
        counts = self.counts
        return (
            f"新規 {counts['new']}件、更新 {counts['update']}件、変更なし {counts['unchanged']}件、"
            f"エラー {counts['error']}件"
        )


def columns_of(headers: list[str]) -> tuple[dict[str, list[int]], list[str], list[str], list[str]]:
    """(key → the indexes of its columns, the preferred first; unknown headers; export-only headers; problems)."""
    read, unknown, export_only = {}, [], []
    headers = [HEADER_OF.get(normalise(header), header) for header in headers]
    for index, header in enumerate(headers):
        if header in BY_HEADER:
            key = BY_HEADER[header].key
            read.setdefault(key, [])
            read[key].insert(0 if PREFERRED.get(key) == header else len(read[key]), index)
        elif header in EXPORT_ONLY:
            export_only.append(header)
        else:
            unknown.append(header)
    problems = [
        f"必須の列「{'」か「'.join(names)}」がありません。"
        for names in REQUIRED
        if not any(name in headers for name in names)
    ]
    return read, unknown, export_only, problems


def current_values(page: CasePage) -> dict:
    """What the case holds now, in the importer's terms (for the latest revision an editor sees)."""
    measures = [page.primary_measure_id, *sorted(m.pk for m in page.other_measures.all())]
    return {
        "slug": page.slug,
        "title": page.title,
        "summary": page.summary,
        "lead_organization": page.lead_organization_id,
        "partner_organizations": sorted(m.pk for m in page.partner_organizations.all()),
        "measures": measures,
        "grant_programs": sorted(g.pk for g in page.grant_programs.all()),
        "tags": sorted(tag.name for tag in page.tags.all()),
        "fiscal_year": page.fiscal_year,
        "project_cost_yen": page.project_cost_yen,
        "cost_fiscal_year": page.cost_fiscal_year,
        "launched_year": page.launched_year,
        "launched_month": page.launched_month,
        "self_funded": page.self_funded,
        "status": page.status,
        "status_as_of": page.status_as_of,
        "status_note": page.status_note,
        "outcomes": [tuple(getattr(o, part) for part in OUTCOME_PARTS) for o in page.outcomes.all()],
        "sources": [tuple(getattr(s, part) for part in SOURCE_PARTS) for s in page.sources.all()],
        "body": body_text(sections(page.body.raw_data)),
    }


def same(key: str, new, old) -> bool:
    if key == "measures":  # the primary measure first; the others in any order
        return bool(new) and bool(old) and new[0] == old[0] and sorted(new[1:]) == sorted(old[1:])
    return new == old


def existing_cases(slugs: list[str]) -> dict[str, CasePage]:
    """The cases the rows name, as they are live (what the exports wrote). A case with a pending draft
    is not updated from a file: that would put the live values over the draft (plan_import refuses it)."""
    pages = CasePage.objects.filter(slug__in=slugs).prefetch_related(
        "other_measures", "partner_organizations", "grant_programs", "tags", "outcomes", "sources"
    )
    return {page.slug: page for page in pages}


def check(row: RowResult, values: dict, base: CasePage | None) -> None:
    """The model's own field checks and rules on the row's values, errors named by column."""
    page = CasePage() if base is None else base
    measures = values.get("measures")
    for key in SCALAR_FIELDS:
        if key in values:
            setattr(page, key, values[key])
    for key, value in values.items():
        if key in ("lead_organization", "primary_measure"):
            setattr(page, f"{key}_id", value)
    if measures is not None:
        page.primary_measure_id = measures[0] if measures else None
    exclude = [f.name for f in CasePage._meta.fields if f.name not in SCALAR_FIELDS]
    if not values.get("slug"):
        exclude.append("slug")  # a new case without one gets one when it is written
    try:
        page.clean_fields(exclude=exclude)
        page.clean_case()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                row.error(FIELD_HEADER.get(name, name), message)
    rules = {
        "primary_measure": page.primary_measure_id,
        "other_measures": (measures or [])[1:],
        "lead_organization": page.lead_organization_id,
        "partner_organizations": values.get("partner_organizations", []),
        **{
            key: getattr(page, key)
            for key in ("launched_month", "launched_year", "project_cost_yen", "cost_fiscal_year")
        },
    }
    for name, message in cross_field_errors(rules).items():
        header = {"other_measures": "重点取組事項スラッグ", "partner_organizations": "連携団体コード"}.get(name)
        row.error(header or FIELD_HEADER.get(name, name), message)
    for kind, model, parts in (("outcomes", CaseOutcome, OUTCOME_PARTS), ("sources", CaseSource, SOURCE_PARTS)):
        for n, item in enumerate(values.get(kind) or [], start=1):
            try:
                model(**dict(zip(parts, item, strict=True))).clean_fields(exclude=["page", "sort_order"])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    label = model._meta.get_field(name).verbose_name
                    row.error(FIELD_HEADER[kind], f"{n}行目の{label}: {' '.join(messages)}")


def plan_import(table: Table) -> ImportPlan:
    """The dry run: what importing `table` would do, row by row. Writes nothing."""
    read, unknown, export_only, problems = columns_of(table.headers)
    headers = [HEADER_OF.get(normalise(header), header) for header in table.headers]
    plan = ImportPlan([], unknown, export_only, table.format, problems)
    if problems:
        return plan
    lookups = Lookups.load()
    parsed = []
    for number, cells in table.rows:
        row = RowResult(number)
        values = {}
        for key, indexes in read.items():
            # Codes before names: the name column is read where the code's cell is empty.
            filled = [i for i in indexes if i < len(cells) and cell_text(cells[i])]
            index = (filled or indexes)[0]
            raw = cells[index] if index < len(cells) else None
            try:
                values[key] = read_value(key, raw, lookups)
            except ValueError as error:
                row.error(headers[index], str(error))
        parsed.append((row, values))
    # A row without a slug is the case of the same title and lead organization, if there is one: so
    # importing a file of new cases twice adds them once.
    untitled = {(v.get("title"), v.get("lead_organization")) for _, v in parsed if not v.get("slug")}
    known = CasePage.objects.filter(title__in=[title for title, _ in untitled if title])
    same_case = {
        (title, lead, year): slug
        for title, lead, year, slug in known.values_list("title", "lead_organization", "fiscal_year", "slug")
    }
    for _, values in parsed:
        if not values.get("slug"):
            values.pop("slug", None)  # an empty cell names no slug: a found case keeps its own
            key = (values.get("title"), values.get("lead_organization"), values.get("fiscal_year"))
            values["slug_found"] = same_case.get(key, "")
    existing = existing_cases([v.get("slug") or v["slug_found"] for _, v in parsed if v.get("slug") or v["slug_found"]])
    seen_slugs: dict[str, int] = {}
    for row, values in parsed:
        number = row.number
        found = values.pop("slug_found", "")
        row.slug, row.title = values.get("slug") or found, values.get("title") or ""
        if row.slug and row.slug in seen_slugs:
            row.error("スラッグ", f"{seen_slugs[row.slug]}行目と同じスラッグです。1つの事例は1行にしてください。")
        elif row.slug:
            seen_slugs[row.slug] = number
        base = existing.get(row.slug)
        for key, header in (("title", "タイトル"), ("summary", "概要")):
            if key in values and not values[key]:
                row.error(header, "空欄にはできません。")
        if (values.get("title") or "").startswith(EXAMPLE_MARK):
            row.error("タイトル", "ひな形の記入例の行が残っています。消してから取り込んでください。")
        if base is None:
            if not values.get("lead_organization") and "lead_organization" in values:
                row.error(FIELD_HEADER["lead_organization"], "新しい事例には主体の団体が必要です。")
            if "measures" in values and not values["measures"]:
                row.error("重点取組事項スラッグ", "新しい事例には重点取組事項が1つ以上必要です。")
        elif "measures" in values and not values["measures"]:
            row.error("重点取組事項スラッグ", "重点取組事項を空にはできません。")
        if not row.errors:
            check(row, values, base if base is None else _copy(base))
        row.values = values
        if row.errors:
            row.action = "error"
        elif base is None:
            row.action = "new"
        else:
            row.page_id = base.pk
            old = current_values(base)
            row.changes = list(
                dict.fromkeys(
                    BY_HEADER[FIELD_HEADER[key]].change_label
                    for key, value in values.items()
                    if key in old and not same(key, value, old[key])
                )
            )
            row.action = "update" if row.changes else "unchanged"
            if row.changes and (base.has_unpublished_changes or base.workflow_in_progress):
                # A pending draft: the row may be that draft (the same file imported again), or it would
                # put the export's live values over someone's changes, which is refused.
                draft = current_values(base.get_latest_revision_as_object())
                if all(same(key, value, draft[key]) for key, value in values.items() if key in draft):
                    row.action, row.changes = "unchanged", []
                else:
                    row.error(
                        "スラッグ",
                        "この事例には承認待ち・未公開の変更があります。公開するか破棄してから取り込んでください"
                        "（そのまま取り込むと、その変更を出力時の内容で上書きします）。",
                    )
                    row.action = "error"
        plan.rows.append(row)
    return plan


def _copy(page: CasePage) -> CasePage:
    """A throwaway copy to run checks on (they set attributes)."""
    copy = CasePage()
    copy.__dict__.update({k: v for k, v in page.__dict__.items() if not k.startswith("_state")})
    return copy


def fill(page: CasePage, values: dict) -> None:
    """Set a page's fields from a row's values (only the columns the file had)."""
    for key in SCALAR_FIELDS:
        if key in values and key != "slug":
            setattr(page, key, values[key])
    if values.get("lead_organization"):
        page.lead_organization_id = values["lead_organization"]
    if values.get("measures"):
        page.primary_measure_id = values["measures"][0]
        page.other_measures = MeasurePage.objects.filter(pk__in=values["measures"][1:])
    if "partner_organizations" in values:
        page.partner_organizations = Municipality.objects.filter(pk__in=values["partner_organizations"])
    if "grant_programs" in values:
        page.grant_programs = GrantProgram.objects.filter(pk__in=values["grant_programs"])
    if "tags" in values:
        page.tags.clear()
        page.tags.add(*values["tags"])
    if "outcomes" in values:
        page.outcomes = [CaseOutcome(**dict(zip(OUTCOME_PARTS, item, strict=True))) for item in values["outcomes"]]
    if "sources" in values:
        page.sources = [CaseSource(**dict(zip(SOURCE_PARTS, item, strict=True))) for item in values["sources"]]
    if "body" in values and body_text(sections(page.body.raw_data)) != values["body"]:
        page.body = read_body_text(values["body"])
    if page.fiscal_year is None and page.launched_year and page.launched_month:
        page.clean_case()  # the fiscal year from the launch month, as the admin's save does


@dataclass
class ApplyResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)


def apply_import(plan: ImportPlan, index, user, progress=None, before_commit=None) -> ApplyResult:
    """Write a plan without errors under `index` (the case list's page), all or nothing: drafts submitted
    for review, one e-mail to the moderators. `progress(done, total)` is called as rows are written;
    `before_commit()`, last inside the transaction, may raise to roll it all back."""
    if not plan.ok:
        raise ValueError("エラーのある取り込みは実行できません。")
    result = ApplyResult()
    todo = [row for row in plan.rows if row.action in ("new", "update")]
    taken: set[str] = set()
    with transaction.atomic(), muted():
        for done, row in enumerate(todo, start=1):
            if row.action == "new":
                page = CasePage(title=row.values["title"], live=False)
                fill(page, row.values)
                lead = Municipality.objects.filter(pk=page.lead_organization_id).first()
                measure = MeasurePage.objects.filter(pk=page.primary_measure_id).first()
                page.slug = row.values.get("slug") or proposed_slug(lead, measure, page.fiscal_year, index, taken)
                taken.add(page.slug)
                page.owner = user
                index.add_child(instance=page)
                result.created.append(page.pk)
            else:
                page = CasePage.objects.get(pk=row.page_id)  # live, without a pending draft (plan_import)
                fill(page, row.values)
                result.updated.append(page.pk)
            page.save_revision(user=user, log_action=True)
            workflow = page.get_workflow()
            if workflow and not page.workflow_in_progress:
                workflow.start(page, user)
            if progress:
                progress(done, len(todo))
        if before_commit:
            before_commit()
    if todo:
        transaction.on_commit(lambda: notify_moderators(plan, result, user, index))
    return result


def moderators(index) -> list[str]:
    """The addresses of the approvers of the review workflow that `index`'s cases go through."""
    workflow = index.get_workflow() if index else None
    if workflow is None:
        return []
    groups = [group for task in workflow.tasks.specific() for group in getattr(task, "groups", []).all()]
    users = get_user_model().objects.filter(groups__in=groups, is_active=True).exclude(email="").distinct()
    return sorted(users.values_list("email", flat=True))


def notify_moderators(plan: ImportPlan, result: ApplyResult, user, index) -> None:
    """After the import has committed: a mail server that refuses it costs the e-mail, never the import
    (which is written, and in the moderators' 「承認待ち」 all the same)."""
    try:
        _send_moderators_summary(plan, result, user, index)
    except Exception:
        logger.exception("the import's summary e-mail to the moderators was not sent")


def _send_moderators_summary(plan: ImportPlan, result: ApplyResult, user, index) -> None:
    recipients = moderators(index)
    if not recipients:
        return
    who = user.get_full_name() or user.get_username() if user else "コマンド"
    titles = "\n".join(f"・{row.title}（{row.action_label}）" for row in plan.rows if row.action in ("new", "update"))
    send_mail(
        f"【Casebook】表計算ファイルから{len(result.created) + len(result.updated)}件の事例が承認待ちです",
        f"{who} さんが表計算ファイルから事例を取り込み、承認に回しました。\n"
        f"新規 {len(result.created)}件、更新 {len(result.updated)}件（{timezone.localtime():%Y-%m-%d %H:%M}）。\n\n"
        f"{titles}\n\n管理画面の「承認待ち」から確認してください。",
        None,
        recipients,
    )
