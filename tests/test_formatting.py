import pytest

from casebook.base.core.formatting import fiscal_year_of, format_fiscal_year, format_yen, wareki_year


@pytest.mark.parametrize(
    "amount, text",
    [
        (10_400_000, "1,040万円"),
        (22_000_000, "2,200万円"),
        (0, "0円"),
        (9_999, "9,999円"),
        (123_456_789, "1億2,345万6,789円"),
        (1_300_000_000_000, "1兆3,000億円"),
        (None, "不明"),
    ],
)
def test_yen_is_written_with_man_oku_and_cho(amount, text):
    assert format_yen(amount) == text


@pytest.mark.parametrize(
    "year, era",
    [(2021, "令和3"), (2019, "令和元"), (2018, "平成30"), (2016, "平成28"), (1989, "平成元"), (1988, "昭和63")],
)
def test_wareki_of_fiscal_years(year, era):
    assert wareki_year(year) == era


def test_fiscal_year_is_shown_in_wareki_and_western():
    assert format_fiscal_year(2021) == "令和3年度 (2021年度)"
    assert format_fiscal_year(None) == "不明"


@pytest.mark.parametrize("year, month, fiscal", [(2022, 3, 2021), (2022, 4, 2022), (2022, 1, 2021), (2021, 12, 2021)])
def test_fiscal_year_runs_april_to_march(year, month, fiscal):
    assert fiscal_year_of(year, month) == fiscal
