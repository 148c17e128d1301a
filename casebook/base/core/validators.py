"""Validation rules for municipal data: 全国地方公共団体コード and fiscal years."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

FIRST_FISCAL_YEAR = 1990

# JIS X 0402: weights for the five digits that precede the check digit.
LG_CODE_WEIGHTS = (6, 5, 4, 3, 2)


def lg_code_check_digit(first_five: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_five, LG_CODE_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_lg_code(code: str) -> bool:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    return lg_code_check_digit(code[:5]) == int(code[5]) and 1 <= int(code[:2]) <= 47


def validate_lg_code(code: str) -> None:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise ValidationError("全国地方公共団体コードは半角数字6桁で入力してください（例: 392049）。", code="format")
    if not 1 <= int(code[:2]) <= 47:
        raise ValidationError("先頭2桁は都道府県コード（01〜47）です。", code="prefecture")
    expected = lg_code_check_digit(code[:5])
    if int(code[5]) != expected:
        raise ValidationError(
            "検査数字（6桁目）が正しくありません。%(first)s に続く検査数字は %(expected)s です。",
            code="check_digit",
            params={"first": code[:5], "expected": expected},
        )


def last_allowed_fiscal_year() -> int:
    return timezone.localdate().year + 1


def validate_fiscal_year(year: int) -> None:
    if year is None:
        return
    last = last_allowed_fiscal_year()
    if not FIRST_FISCAL_YEAR <= year <= last:
        raise ValidationError(
            "年度は %(first)s〜%(last)s の西暦で入力してください（例: 令和3年度なら 2021）。",
            code="fiscal_year",
            params={"first": FIRST_FISCAL_YEAR, "last": last},
        )


def validate_calendar_year(year: int) -> None:
    if year is None:
        return
    last = last_allowed_fiscal_year()
    if not FIRST_FISCAL_YEAR <= year <= last:
        raise ValidationError(
            "年は %(first)s〜%(last)s の西暦で入力してください（例: 2022）。",
            code="year",
            params={"first": FIRST_FISCAL_YEAR, "last": last},
        )


PHONE_PATTERN = re.compile(r"^[0-9０-９][0-9０-９\-‐－ー()（） ]{8,18}[0-9０-９]$")


def validate_phone(value: str) -> None:
    """A Japanese phone number as written: digits with hyphens or parentheses (例: 0847-43-7153)."""
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE_PATTERN.match(value) or not 10 <= digits <= 11:
        raise ValidationError(
            "電話番号は市外局番から10〜11桁の数字で入力してください（例: 0847-43-7153）。", code="phone"
        )
