"""Reading the values a Japanese office writes in a spreadsheet: fiscal years (2021, 令和3年度, R3), amounts
of yen (2200万円, 22,000,000, 1.2億円) and codes whose leading zeros a spreadsheet dropped (72028 → 072028).
Each parser returns the value or raises ValueError with a Japanese message that says what it accepts."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from casebook.base.core.formatting import ERAS
from casebook.base.core.text import normalise

ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}
ERA_FIRST_YEAR = {name: start.year for start, name in ERAS}
FISCAL_YEAR = re.compile(r"^(?:(令和|平成|昭和|[RHS])\s*(元|\d{1,2})|(\d{4}))\s*(?:年度|年)?$", re.IGNORECASE)
YEN_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}
YEN_PART = re.compile(r"(\d+(?:\.\d+)?)(兆|億|万|千)?")


def cell_text(value) -> str:
    """A cell as text: numbers a spreadsheet typed (2021.0, 72028) without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(str(value)).strip()


def parse_fiscal_year(value) -> int:
    """2021, 「2021年度」, 「令和3年度」, 「令和元年度」, 「R3」, 「H30」 → the 西暦 year the fiscal year starts in."""
    text = cell_text(value).replace(" ", "")
    match = FISCAL_YEAR.match(text)
    if not match:
        raise ValueError(f"年度「{text[:20]}」を読めません（例: 2021、令和3年度、R3）。")
    era, number, western = match.groups()
    if western:
        return int(western)
    era = ERA_LETTERS.get(era.upper(), era)
    n = 1 if number == "元" else int(number)
    if n < 1:
        raise ValueError(f"年度「{text[:20]}」を読めません（{era}は元年・1年から。例: 令和3年度）。")
    return ERA_FIRST_YEAR[era] + n - 1


def parse_yen(value) -> int:
    """22000000, 「22,000,000円」, 「2200万円」, 「2,200万」, 「1億2,000万円」, 「1.2億円」, 「¥22,000,000」 → yen."""
    text = cell_text(value)
    compact = re.sub(r"[,，\s円¥￥]", "", text)
    if compact.endswith(".0"):
        compact = compact[:-2]
    parts = YEN_PART.findall(compact)
    if not compact or "".join(number + unit for number, unit in parts) != compact:
        raise ValueError(f"金額「{text[:20]}」を読めません（例: 22000000、2,200万円、1.2億円）。")
    total = Decimal(0)
    try:
        for number, unit in parts:
            total += Decimal(number) * YEN_UNITS.get(unit, 1)
    except InvalidOperation:
        raise ValueError(f"金額「{text[:20]}」を読めません（例: 22000000、2,200万円、1.2億円）。") from None
    units = [YEN_UNITS.get(unit, 1) for _, unit in parts]
    if len(parts) > 1 and (any(unit == "" for _, unit in parts[:-1]) or units != sorted(set(units), reverse=True)):
        # 「1億2,000万」: each unit once, largest first; 「2000万1億」 or 「1万1万」 are not amounts.
        raise ValueError(f"金額「{text[:20]}」を読めません（例: 22000000、2,200万円、1.2億円）。")
    if total != total.to_integral_value():
        raise ValueError(f"金額「{text[:20]}」が1円未満の端数を含みます。")
    return int(total)


def padded_code(value, digits: int) -> str:
    """A code a spreadsheet read as a number, its leading zeros back: 72028 → 「072028」, 7 → 「07」."""
    text = cell_text(value)
    if text.isascii() and text.isdigit() and len(text) < digits:
        return text.zfill(digits)
    return text


DATE = re.compile(
    r"^(?:(令和|平成|昭和|[RHS])\s*(元|\d{1,2})|(\d{4}))\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$",
    re.IGNORECASE,
)
DATE_EXAMPLES = "例: 2023-06-20、2023/6/20、2023年6月20日、令和5年6月20日"


def parse_japanese_date(value) -> datetime.date:
    """「2023-06-20」, 「2023/6/20」, 「2023年6月20日」, 「令和5年6月20日」, 「R5.6.20」 (full-width digits too)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    # 「２０２３－０６－２０」 from a Shift_JIS file arrives with a minus sign (U+2212) for the hyphen.
    text = cell_text(value).replace(" ", "").replace("−", "-")
    match = DATE.match(text)
    if not match:
        raise ValueError(f"日付「{text[:30]}」を読めません（{DATE_EXAMPLES}）。")
    era, number, western, month, day = match.groups()
    if western:
        year = int(western)
    else:
        era = ERA_LETTERS.get(era.upper(), era)
        n = 1 if number == "元" else int(number)
        if n < 1:
            raise ValueError(f"日付「{text[:30]}」を読めません（{DATE_EXAMPLES}）。")
        year = ERA_FIRST_YEAR[era] + n - 1
    try:
        return datetime.date(year, int(month), int(day))
    except ValueError:
        raise ValueError(f"{year}年{int(month)}月{int(day)}日という日付はありません。") from None
