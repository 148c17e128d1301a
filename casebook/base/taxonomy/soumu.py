"""総務省's figures of every organization: the population (住民基本台帳に基づく人口) on a reference date, and
the main fiscal indices (主要財政指標: 財政力指数, 経常収支比率, 実質公債費比率, 将来負担比率, ラスパイレス指数) of a
fiscal year.

The project's own copies are in fixtures/soumu/ (出典：総務省; the seed loader reads them after the national
list); `import_soumu` reads a later edition, 総務省's own .xlsx (or a CSV). `read_table_of_figures` finds
the header row below the title rows, tells the two tables apart by their columns, takes the reference
date or fiscal year from an option, a column or the title, and checks every row first: ListError-style,
`SoumuError` names each bad row and column in Japanese. `apply` then writes, matched by LG code, in one
transaction and one batch of updates; it never replaces figures of a later date or year, and it reports the
codes it does not know (the wards of the 政令指定都市 are in the population table, and are no organization).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from openpyxl.utils import get_column_letter

from casebook.base.core.cache import invalidate_content
from casebook.base.core.formatting import format_fiscal_year, format_japanese_date, format_number
from casebook.base.core.parsing import cell_text, parse_fiscal_year, parse_japanese_date
from casebook.base.core.spreadsheet import SpreadsheetError, read_rows
from casebook.base.core.text import normalise
from casebook.base.core.validators import (
    FIRST_FISCAL_YEAR,
    is_valid_lg_code,
    last_allowed_fiscal_year,
    lg_code_check_digit,
    validate_fiscal_year,
    validate_lg_code,
)
from casebook.base.taxonomy.models import Municipality

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "soumu"
POPULATION_FILE = FOLDER / "population-2022.csv"
FISCAL_FILE = FOLDER / "fiscal-indices-2020.csv"

POPULATION, FISCAL = "population", "fiscal"
TABLE_NAMES = {POPULATION: "人口の表（住民基本台帳に基づく人口）", FISCAL: "財政指標の表（主要財政指標）"}
# The model fields each table writes, and the one that dates them.
FIELDS = {
    POPULATION: ["population", "population_as_of"],
    FISCAL: [
        "fiscal_strength_index",
        "ordinary_balance_ratio",
        "real_debt_service_ratio",
        "future_burden_ratio",
        "future_burden_none",
        "laspeyres_index",
        "fiscal_year",
    ],
}
DATED_BY = {POPULATION: "population_as_of", FISCAL: "fiscal_year"}
# The five indices: model field, the name 総務省 prints in the header, the fixture's column.
INDICES = [
    ("fiscal_strength_index", "財政力指数", "zaiseiryoku_shisu"),
    ("ordinary_balance_ratio", "経常収支比率", "keijo_shushi_hiritsu"),
    ("real_debt_service_ratio", "実質公債費比率", "jisshitsu_kosaihi_hiritsu"),
    ("future_burden_ratio", "将来負担比率", "shorai_futan_hiritsu"),
    ("laspeyres_index", "ラスパイレス指数", "laspeyres_shisu"),
]
HEADER_SEARCH_ROWS = 30  # the header is among the first rows, below the title
MAX_SUB_HEADER_ROWS = 3  # 「人口」 over 「男」「女」「計」, and a row of units
NOT_POPULATION = ("増減", "動態", "男", "女", "日本人", "外国人", "率", "世帯", "前年", "転入", "転出", "出生", "死亡")
NUMBER_TEXT = re.compile(r"^[△▲\-−]?\d[\d,]*(\.\d+)?%?$")
DASHES = {"-", "−", "‐", "―", "—", "–", "ー", "…", "*", "x", "X"}
# Of those, the ones 総務省 prints for 「no future burden」; 「…」「*」「x」 are figures withheld or unknown.
NO_BURDEN_DASHES = {"-", "−", "‐", "―", "—", "–", "ー"}
TITLE_DATE = re.compile(
    r"(?:令和|平成|昭和)\s*(?:元|\d{1,2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
)
TITLE_FISCAL_YEAR = re.compile(r"(?:令和|平成)\s*(?:元|\d{1,2})\s*年度|\d{4}\s*年度")
REPORT_EXAMPLES = 10


class SoumuError(Exception):
    """A file that cannot be read as either table: every problem found, one Japanese line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Row:
    number: int  # as the spreadsheet shows it
    code: str
    name: str  # 「広島県府中市」, as the file writes it
    values: dict  # model field → value


@dataclass
class TableOfFigures:
    kind: str  # POPULATION or FISCAL
    rows: dict[str, Row]  # by LG code: the organizations Casebook knows
    unknown: list[Row]  # codes that are no organization here (the wards of the 政令指定都市, …)
    skipped: list[int]  # rows without a code: subtotals, notes
    dated: str  # 「基準日 2022年1月1日（表題「…」から）」

    @property
    def name(self) -> str:
        return TABLE_NAMES[self.kind]


@dataclass
class TableReport:
    table: TableOfFigures
    dry_run: bool = False
    updated: list[tuple[Row, dict]] = field(default_factory=list)  # (row, field → (old, new))
    unchanged: int = 0
    kept_newer: int = 0  # organizations whose figures are of a later date or year: not replaced
    absent: int = 0  # organizations Casebook knows that the table does not have

    def summary(self) -> str:
        verb = "更新する" if self.dry_run else "更新"
        text = f"{verb} {len(self.updated)}件、変更なし {self.unchanged}件"
        if self.kept_newer:
            text += f"、より新しい数値があるため変更しない {self.kept_newer}件"
        if self.table.unknown:
            text += f"、団体一覧にない団体コード {len(self.table.unknown)}件"
        return text

    def lines(self) -> list[str]:
        """The whole report: the counts, examples of the changes, the unknown codes, the skipped rows."""
        lines = [f"{self.table.name}: {self.table.dated}", f"  {self.summary()}"]
        for row, changes in self.updated[:REPORT_EXAMPLES]:
            shown = "、".join(
                f"{LABELS[name]} {shown_value(old)} → {shown_value(new)}" for name, (old, new) in changes.items()
            )
            lines.append(f"    {row.code} {row.name}: {shown}")
        if len(self.updated) > REPORT_EXAMPLES:
            lines.append(f"    ほか{len(self.updated) - REPORT_EXAMPLES}件")
        if self.kept_newer:
            lines.append("  より新しい基準日・年度の数値を置き換えるには --replace-newer を付けてください。")
        if self.table.unknown:
            listed = "、".join(f"{row.code} {row.name}" for row in self.table.unknown[:REPORT_EXAMPLES])
            more = len(self.table.unknown) - REPORT_EXAMPLES
            lines.append(
                f"  団体一覧にない団体コード {len(self.table.unknown)}件（政令指定都市の区など。読み込みません）: "
                f"{listed}{f' ほか{more}件' if more > 0 else ''}"
            )
        if self.absent:
            lines.append(f"  この表にない団体 {self.absent}件（数値は変更しません）")
        if self.table.skipped:
            numbers = "、".join(str(n) for n in self.table.skipped[:REPORT_EXAMPLES])
            more = " ほか" if len(self.table.skipped) > REPORT_EXAMPLES else ""
            lines.append(f"  団体コードのない行 {len(self.table.skipped)}行を読み飛ばしました（{numbers}{more}行目）")
        return lines


LABELS = {
    "population": "人口",
    "population_as_of": "基準日",
    "fiscal_year": "年度",
    "future_burden_none": "将来負担比率「-」",
    **{name: label for name, label, _ in INDICES},
}


def shown_value(value) -> str:
    if value is None:
        return "記載なし"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, date):
        return format_japanese_date(value)
    if isinstance(value, int):
        return f"{value:,}" if value > 9999 else str(value)
    return format_number(value)


# ---------- Reading ----------


def compact(value) -> str:
    """A header cell as it is compared: NFKC, no whitespace at all (「人口　計」, 「人口\\n計」), ASCII lower case."""
    return re.sub(r"\s+", "", normalise(cell_text(value))).lower()


def _is_code_header(text: str) -> bool:
    return "団体コード" in text or text in {"lgcode", "コード", "市区町村コード", "都道府県市区町村コード"}


def _is_population_header(text: str) -> bool:
    if text == "population":
        return True
    if "人口" not in text or any(word in text for word in NOT_POPULATION):
        return False
    bare = re.sub(r"\(.*?\)", "", text)  # units: 「人口 計（人）」
    return bare in {"人口", "総人口"} or bare.endswith(("計", "総数"))


def _index_header(text: str, label: str, alias: str) -> bool:
    return text == alias or label in text


def _looks_numeric(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, Decimal)):
        return True
    return bool(NUMBER_TEXT.match(compact(value)))


@dataclass
class Header:
    kind: str
    columns: dict[str, int]  # what a column holds → its index
    labels: list[str]  # each column's name as the header writes it
    title: list[tuple[int, list]]  # the rows above the header
    data: list[tuple[int, list]]  # the rows below it


def _labels(rows: list[list]) -> tuple[list[str], list[str]]:
    """Each column's name across the header's rows, compared (compact) and shown. A cell merged across the
    columns below it (「人口」 over 「男」「女」「計」) keeps only its first cell's value: it is carried right
    while the row below goes on under it."""
    width = max(len(cells) for cells in rows)
    shown = [[normalise(cell_text(cells[c])) if c < len(cells) else "" for c in range(width)] for cells in rows]
    for r in range(len(shown) - 1):
        for c in range(1, width):
            under, left_under = shown[r + 1][c], shown[r + 1][c - 1]
            if not shown[r][c] and shown[r][c - 1] and under and left_under:
                shown[r][c] = shown[r][c - 1]
    names, compared = [], []
    for c in range(width):
        parts = []
        for r in range(len(shown)):
            part = re.sub(r"\s+", " ", shown[r][c]).strip()
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        names.append(" ".join(parts))
        compared.append(compact("".join(parts)))
    return compared, names


def find_header(rows: list[tuple[int, list]]) -> Header:
    code_seen = None
    for i, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(_is_code_header(compact(cell)) for cell in cells):
            continue
        code_seen = code_seen or number
        end = i + 1
        while (
            end < len(rows)
            and end - i <= MAX_SUB_HEADER_ROWS
            and not any(_looks_numeric(cell) for cell in rows[end][1])
        ):
            end += 1
        compared, names = _labels([cells for _, cells in rows[i:end]])
        columns = _columns(compared, names, number)
        if columns is None:
            continue
        kind, found = columns
        return Header(kind, found, names, rows[:i], rows[end:])
    seen = f"「団体コード」の列は{code_seen}行目にありますが、" if code_seen else ""
    raise SoumuError(
        [
            f"このファイルは人口の表でも財政指標の表でもありません。{seen}"
            "人口の表には「団体コード」と人口の「計」（または「総数」）の列が、財政指標の表には「団体コード」"
            "「財政力指数」「経常収支比率」「実質公債費比率」「将来負担比率」「ラスパイレス指数」の列が必要です"
            f"（見出し行は最初の{HEADER_SEARCH_ROWS}行の中から探します）。"
        ]
    )


def _first(compared: list[str], test) -> int | None:
    return next((c for c, text in enumerate(compared) if text and test(text)), None)


def _columns(compared: list[str], names: list[str], number: int) -> tuple[str, dict[str, int]] | None:
    """(kind, columns) when the header is one of the two tables; None when it is neither."""
    columns = {"code": _first(compared, _is_code_header)}
    columns["pref"] = _first(compared, lambda t: t == "pref" or "都道府県名" in t)
    columns["city"] = _first(compared, lambda t: t in {"city", "name"} or "市区町村名" in t or "団体名" in t)
    # A fiscal table may carry a population column too; the population table never has 財政力指数.
    strength = _first(compared, lambda t: _index_header(t, *INDICES[0][1:]))
    population = _first(compared, _is_population_header) if strength is None else None
    if population is not None:
        columns["population"] = population
        columns["as_of"] = _first(compared, lambda t: t in {"as_of", "基準日"})
        return POPULATION, {key: index for key, index in columns.items() if index is not None}
    if strength is None:
        return None
    missing = []
    for name, label, alias in INDICES:
        columns[name] = _first(compared, lambda t, label=label, alias=alias: _index_header(t, label, alias))
        if columns[name] is None:
            missing.append(f"「{label}」")
    if missing:
        raise SoumuError([f"{number}行目の見出しは財政指標の表のようですが、{'、'.join(missing)}の列がありません。"])
    columns["fiscal_year"] = _first(compared, lambda t: t in {"fiscal_year", "年度"})
    return FISCAL, {key: index for key, index in columns.items() if index is not None}


def _cell(cells: list, index: int | None):
    return cells[index] if index is not None and index < len(cells) else None


def _title_text(title: list[tuple[int, list]]) -> str:
    return " ".join(normalise(cell_text(cell)) for _, cells in title for cell in cells if cell_text(cell))


def _reference(header: Header, as_of: date | None, fiscal_year: int | None) -> tuple[object, str]:
    """The table's reference date (population) or fiscal year, and how it was found; None when a
    column of the table gives it row by row."""
    title = _title_text(header.title)
    if header.kind == POPULATION:
        if as_of is not None:
            return as_of, f"基準日 {format_japanese_date(as_of)}（--as-of の指定）"
        if "as_of" in header.columns:
            return None, ""  # the rows' dates, once read
        match = TITLE_DATE.search(title)
        if match:
            found = parse_japanese_date(match.group(0))
            return _checked_date(found), f"基準日 {format_japanese_date(found)}（表題「{title[:60]}」から）"
        raise SoumuError(
            [
                "人口の基準日が分かりません。表題に「令和5年1月1日」のような日付が見つからないため、"
                "--as-of 2023-01-01 のように基準日を指定してください。"
            ]
        )
    if fiscal_year is not None:
        return fiscal_year, f"{format_fiscal_year(fiscal_year)}（--fiscal-year の指定）"
    if "fiscal_year" in header.columns:
        return None, ""
    match = TITLE_FISCAL_YEAR.search(title)
    if match:
        found = parse_fiscal_year(match.group(0))
        return _checked_year(found), f"{format_fiscal_year(found)}（表題「{title[:60]}」から）"
    raise SoumuError(
        [
            "財政指標の年度が分かりません。表題に「令和3年度」のような年度が見つからないため、"
            "--fiscal-year 2021 のように年度を指定してください。"
        ]
    )


def _checked_date(value: date) -> date:
    last = last_allowed_fiscal_year()
    if not FIRST_FISCAL_YEAR <= value.year <= last:
        raise ValueError(f"基準日 {format_japanese_date(value)} は {FIRST_FISCAL_YEAR}〜{last}年の日付ではありません。")
    return value


def _checked_year(value: int) -> int:
    try:
        validate_fiscal_year(value)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return value


def _six_digit_codes(texts: list[str], known: set[str]) -> bool:
    """Whether the file's codes are the six-digit ones (leading zeros a spreadsheet dropped: 60003 is
    060003) or the five digits without the check digit some 総務省 files use (06000 → 060003). A file
    with any six-digit code has six; else the reading under which more codes are known (a five-digit
    code passes the check digit one time in ten)."""
    if any(len(text) == 6 for text in texts):
        return True
    short = [text for text in texts if 4 <= len(text) <= 5]
    if not short or not all(is_valid_lg_code(text.zfill(6)) for text in short):
        return False
    as_six = sum(text.zfill(6) in known for text in short)
    as_five = sum(_with_check_digit(text.zfill(5)) in known for text in short)
    return as_six > as_five


def _with_check_digit(five: str) -> str:
    return f"{five}{lg_code_check_digit(five)}" if five.isdigit() and len(five) == 5 else five


def _code_text(value) -> str:
    return re.sub(r"\s+", "", normalise(cell_text(value)))


def _number_text(value) -> str:
    text = re.sub(r"[\s,，人%]", "", normalise(cell_text(value)))
    return "-" + text[1:] if text[:1] in {"△", "▲"} else text


def read_population(value) -> int | None:
    """37226, 「37,226」, 「３７，２２６」 → 37226; empty or 「-」 → None."""
    if isinstance(value, bool):
        raise ValueError(f"人口「{value}」を数として読めません。")
    if isinstance(value, int):
        number = value
    else:
        text = _number_text(value)
        if not text or text in DASHES:
            return None
        if not text.isascii() or not text.isdigit():
            raise ValueError(f"人口「{cell_text(value)[:20]}」を人数として読めません（例: 37226、37,226）。")
        number = int(text)
    if not 0 <= number <= 2_000_000_000:
        raise ValueError(f"人口「{number}」は人数としてありえない値です。")
    return number


def read_index(value, name: str) -> Decimal | None:
    """0.47, 「97.9」, 「97.9%」, 「△0.6」 (負の値) → Decimal at the precision the field keeps (財政力指数 to
    five decimals, the others to one; a spreadsheet's -0.6000000000000001 is -0.6); empty or 「-」 → None."""
    model_field = Municipality._meta.get_field(name)
    label = LABELS[name]
    if isinstance(value, bool):
        raise ValueError(f"{label}「{value}」を数値として読めません。")
    if isinstance(value, (int, float, Decimal)):
        text = repr(value) if isinstance(value, float) else str(value)
    else:
        text = _number_text(value)
        if not text or text in DASHES:
            return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        text = cell_text(value)[:20]
        raise ValueError(f"{label}「{text}」を数値として読めません（例: 0.47、97.9、△0.6）。") from None
    if not number.is_finite():
        raise ValueError(f"{label}「{cell_text(value)[:20]}」を数値として読めません。")
    number = number.quantize(Decimal(1).scaleb(-model_field.decimal_places), rounding=ROUND_HALF_UP)
    if abs(number) >= Decimal(10) ** (model_field.max_digits - model_field.decimal_places):
        raise ValueError(f"{label}「{format_number(number)}」は大きすぎます。")
    return number


def read_table_of_figures(
    data: bytes,
    filename: str = "",
    *,
    known: set[str],
    as_of: date | None = None,
    fiscal_year: int | None = None,
) -> TableOfFigures:
    """Either table, read and checked whole; SoumuError names every row (and column) it cannot read."""
    try:
        sheet = read_rows(data, filename)
    except SpreadsheetError as error:
        raise SoumuError([str(error)]) from None
    header = find_header(sheet.rows)
    try:
        reference, dated = _reference(header, as_of, fiscal_year)
    except ValueError as error:
        raise SoumuError([str(error)]) from None
    columns, problems = header.columns, []

    def where(number: int, key: str) -> str:
        index = columns[key]
        return f"{number}行目 {get_column_letter(index + 1)}列「{header.labels[index]}」"

    coded, skipped = [], []
    for number, cells in header.data:
        text = _code_text(_cell(cells, columns["code"]))
        if not text or not text[0].isdigit():
            skipped.append(number)  # a subtotal (郡), a total, a note under the table
            continue
        coded.append((number, cells, text))
    six = _six_digit_codes([text for _, _, text in coded if text.isascii() and text.isdigit()], known)

    rows, unknown, seen = {}, [], {}
    for number, cells, text in coded:
        if not text.isascii() or not text.isdigit() or not 4 <= len(text) <= 6:
            problems.append(
                f"{where(number, 'code')}: 団体コード「{text[:20]}」を読めません"
                "（検査数字を含む6桁、または検査数字のない5桁の数字。例: 342084、34208）。"
            )
            continue
        code = text.zfill(6) if six else _with_check_digit(text.zfill(5))
        try:
            validate_lg_code(code)
        except ValidationError as error:
            problems.append(f"{where(number, 'code')}: 団体コード「{text}」: {' '.join(error.messages)}")
            continue
        if code in seen:
            problems.append(f"{where(number, 'code')}: 団体コード「{code}」が{seen[code]}行目にもあります。")
            continue
        seen[code] = number
        pref = normalise(cell_text(_cell(cells, columns.get("pref"))))
        city = normalise(cell_text(_cell(cells, columns.get("city"))))
        name = pref if city in {"", *DASHES} else (city if city.startswith(pref) else f"{pref}{city}")
        values = {}
        try:
            values.update(_row_values(header.kind, cells, columns, reference))
        except RowError as error:
            problems.append(f"{where(number, error.key)}: {error}")
            continue
        row = Row(number, code, name, values)
        if code in known:
            rows[code] = row
        else:
            unknown.append(row)
    if problems:
        raise SoumuError(problems)
    if not rows and not unknown:
        raise SoumuError([f"{TABLE_NAMES[header.kind]}に、団体コードのある行が1行もありません。"])
    if reference is None:
        dated = _dated_by_column(header, [*rows.values(), *unknown])
    return TableOfFigures(header.kind, rows, unknown, skipped, dated)


def _dated_by_column(header: Header, rows: list[Row]) -> str:
    """「基準日 2022年1月1日（「as_of」列から）」: the dates or years a column gave, row by row."""
    key = DATED_BY[header.kind]
    found = sorted({row.values[key] for row in rows})
    shown = format_japanese_date if header.kind == POPULATION else format_fiscal_year
    prefix = "基準日 " if header.kind == POPULATION else ""
    column = header.labels[header.columns["as_of" if header.kind == POPULATION else "fiscal_year"]]
    span = shown(found[0]) if len(found) == 1 else f"{shown(found[0])}〜{shown(found[-1])}"
    return f"{prefix}{span}（「{column}」列から）"


class RowError(ValueError):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


def _row_values(kind: str, cells: list, columns: dict, reference) -> dict:
    def read(key, reader):
        try:
            return reader(_cell(cells, columns[key]))
        except ValueError as error:
            raise RowError(key, str(error)) from None

    if kind == POPULATION:
        as_of = reference if reference is not None else read("as_of", lambda v: _checked_date(parse_japanese_date(v)))
        return {"population": read("population", read_population), "population_as_of": as_of}
    values = {}
    for name, _, _ in INDICES:
        values[name] = read(name, lambda v, name=name: read_index(v, name))
    # 総務省's 「-」 (printed where there is no future burden; the fixture leaves the cell empty). Another
    # marker (「…」, 「x」: withheld), or a row with none of the indices, is a missing figure, not 「no burden」.
    raw = normalise(cell_text(_cell(cells, columns.get("future_burden_ratio")))).strip()
    others = any(values[name] is not None for name, _, _ in INDICES if name != "future_burden_ratio")
    values["future_burden_none"] = (
        values["future_burden_ratio"] is None and (not raw or raw in NO_BURDEN_DASHES) and others
    )
    year = reference if reference is not None else read("fiscal_year", lambda v: _checked_year(parse_fiscal_year(v)))
    values["fiscal_year"] = year
    return values


def read_file(path: Path, **options) -> TableOfFigures:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SoumuError([f"ファイル「{path}」が見つかりません。"]) from None
    except OSError as error:
        raise SoumuError([f"ファイル「{path}」を開けません（{error.strerror}）。"]) from None
    return read_table_of_figures(data, Path(path).name, **options)


def known_codes() -> set[str]:
    return set(Municipality.objects.values_list("code", flat=True))


# ---------- Writing ----------


@transaction.atomic
def apply(tables: list[TableOfFigures], *, dry_run: bool = False, replace_newer: bool = False) -> list[TableReport]:
    """Writes each table's figures (none when dry_run) in one batch of updates; figures of a later reference
    date or fiscal year stay unless replace_newer."""
    names = sorted({name for table in tables for name in FIELDS[table.kind]})
    organizations = {
        m.code: m for m in Municipality.objects.select_related(None).only("id", "code", *names).order_by("code")
    }
    changed, reports = {}, []
    for table in tables:
        report = TableReport(table, dry_run=dry_run)
        dated_by = DATED_BY[table.kind]
        for code, row in table.rows.items():
            organization = organizations.get(code)
            if organization is None:  # deleted since the file was read
                continue
            current = getattr(organization, dated_by)
            if current is not None and current > row.values[dated_by] and not replace_newer:
                report.kept_newer += 1
                continue
            changes = {}
            for name, value in row.values.items():
                old = getattr(organization, name)
                if old != value:
                    changes[name] = (old, value)
                    setattr(organization, name, value)
            if changes:
                report.updated.append((row, changes))
                changed[code] = organization
            else:
                report.unchanged += 1
        report.absent = len(set(organizations) - set(table.rows))
        reports.append(report)
    if changed and not dry_run:
        _write(list(changed.values()), names)
        invalidate_content()  # bulk writes send no signals
    return reports


def _write(organizations: list[Municipality], names: list[str]) -> None:
    """One prepared UPDATE run for every organization (executemany). bulk_update would build a CASE of
    every row for every field: seconds for the 1,788, where this takes milliseconds."""
    connection = connections[router.db_for_write(Municipality)]
    quote = connection.ops.quote_name
    fields = [Municipality._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    table, key = quote(Municipality._meta.db_table), quote(Municipality._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"
    params = [[f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] + [o.pk] for o in organizations]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def load_fixtures(folder: Path = FOLDER) -> list[TableReport]:
    """The project's own copies (fixtures/soumu/), for the seed loader."""
    known = known_codes()
    tables = [read_file(Path(folder) / path.name, known=known) for path in (POPULATION_FILE, FISCAL_FILE)]
    return apply(tables)
