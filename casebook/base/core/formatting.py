"""Japanese number and date formatting: the one place for yen and 和暦 rules."""

from datetime import date

# (first day of the era, name); newest first.
ERAS = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
]

YEN_UNITS = [(10**12, "兆"), (10**8, "億"), (10**4, "万")]


def fiscal_year_of(year: int, month: int) -> int:
    """Japanese fiscal years run April to March: March 2022 belongs to FY2021."""
    return year if month >= 4 else year - 1


def wareki_year(year: int) -> str:
    """Era name of a fiscal year: 2019 → 令和元, 2016 → 平成28."""
    # Taken on 1 May so that FY2019 (April 2019–March 2020) is 令和元年度, as offices write it.
    reference = date(year, 5, 1)
    for era_start, name in ERAS:
        if reference >= era_start:
            n = year - era_start.year + 1
            return f"{name}{'元' if n == 1 else n}"
    return f"{year}"


def format_fiscal_year(year: int | None) -> str:
    """2021 → 「令和3年度 (2021年度)」."""
    if year is None:
        return "不明"
    return f"{wareki_year(year)}年度 ({year}年度)"


def format_yen(amount: int | None) -> str:
    """10_400_000 → 「1,040万円」; 123_456_789 → 「1億2,345万6,789円」."""
    if amount is None:
        return "不明"
    if amount == 0:
        return "0円"
    parts = []
    rest = int(amount)
    for size, unit in YEN_UNITS:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{unit}")
    if rest:
        parts.append(f"{rest:,}")
    return "".join(parts) + "円"


def format_number(value) -> str:
    """A Decimal without trailing zeros, with thousands separators: 1788.000 → 1,788; 66.300 → 66.3."""
    if value is None:
        return ""
    normalized = value.normalize() if hasattr(value, "normalize") else value
    text = f"{normalized:,f}" if hasattr(normalized, "normalize") else f"{normalized:,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_japanese_date(value: date | None) -> str:
    """2023-01-09 → 「2023年1月9日」."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def format_bytes(size: int | None) -> str:
    """「12.3 MB」, 「840 KB」, 「512 バイト」: a file's size as a reader weighs a download (1 MB = 1,000,000 bytes)."""
    if size is None:
        return ""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return f"{size:,} バイト"
