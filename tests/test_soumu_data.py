"""総務省's figures of every organization: the population (住民基本台帳, 2022-01-01) and the five fiscal
indices (主要財政指標, 令和2年度) loaded with the seed from fixtures/soumu/, newer editions read from 総務省's
own .xlsx by `import_soumu`, and shown read only in the admin."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook
from wagtail.test.utils.form_data import querydict_from_html

from casebook.base.taxonomy.models import Municipality
from casebook.base.taxonomy.soumu import load_fixtures, read_table_of_figures

from .helpers import visible_text

FIGURES = [
    "population",
    "population_as_of",
    "fiscal_strength_index",
    "ordinary_balance_ratio",
    "real_debt_service_ratio",
    "laspeyres_index",
    "fiscal_year",
]


def figures(code: str) -> dict:
    return Municipality.objects.filter(code=code).values(*FIGURES, "future_burden_ratio", "future_burden_none")[0]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_soumu", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def workbook(path, rows, merges=()):
    """An .xlsx as 総務省 publishes one: title rows, then the header, then a row per 団体."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def population_workbook(
    path, title="令和5年1月1日住民基本台帳人口・世帯数、令和4年人口動態（市区町村別）（総計）", rows=None
):
    rows = rows or [
        ["342084", "広島県", "府中市", 18000, 19000, 37000, 17100],
        [60003, "山形県", "-", 520000, 530000, 1050000, 421000],  # a code whose leading zero Excel dropped
        ["011011", "北海道", "札幌市中央区", 120000, 130000, 250000, 150000],  # a ward: no organization
        [None, "広島県", "神石郡", 3000, 3500, 6500, 3000],  # a 郡 subtotal
    ]
    return workbook(
        path,
        [
            [title],
            [],
            ["団体コード", "都道府県名", "市区町村名", "人口", None, None, "世帯数"],
            [None, None, None, "男", "女", "計", None],
            *rows,
            ["（注）外国人住民を含む。"],
        ],
        merges=["A1:G1", "D3:F3"],
    )


def fiscal_workbook(path, title="令和3年度 地方公共団体の主要財政指標一覧", rows=None):
    rows = rows or [
        ["34208", "広島県", "府中市", 0.46, 96.8, "△0.3", "-", 99.5],  # five digits, no check digit
        ["39204", "高知県", "南国市", "0.41", "９１．２", 8.1, "21.3", 100.2],
    ]
    return workbook(
        path,
        [
            [title],
            ["市町村"],
            [
                "団体\nコード",
                "都道府県名",
                "団体名",
                "財政力\n指数",
                "経常収支比率\n（％）",
                "実質公債費比率（％）",
                "将来負担比率 （％）",
                "ラスパイレス　指数",
            ],
            *rows,
        ],
    )


# ---------- the seed ----------


def test_all_1788_organizations_carry_population_and_fiscal_indices_after_the_seed_load(seeded):
    organizations = Municipality.objects.all()
    assert organizations.count() == 1788
    assert organizations.filter(kind="prefecture").count() == 47
    for name in FIGURES:
        assert not organizations.filter(**{f"{name}__isnull": True}).exists(), name
    # 将来負担比率: a ratio, or 総務省's 「-」 (no burden); never neither.
    assert not organizations.filter(future_burden_ratio__isnull=True, future_burden_none=False).exists()
    assert set(organizations.values_list("population_as_of", flat=True)) == {date(2022, 1, 1)}
    assert set(organizations.values_list("fiscal_year", flat=True)) == {2020}


def test_the_seeds_five_carry_the_source_populations(seeded):
    populations = dict(
        Municipality.objects.filter(code__in=["060003", "072028", "342084", "231002", "392049"]).values_list(
            "code", "population"
        )
    )
    assert populations == {
        "060003": 1_056_682,  # 山形県
        "072028": 115_556,  # 会津若松市
        "342084": 37_226,  # 広島県府中市
        "231002": 2_293_437,  # 名古屋市, the city, not one of its wards
        "392049": 46_648,  # 南国市
    }


def test_fuchu_carries_its_fiscal_indices_of_reiwa_2(seeded):
    fuchu = Municipality.objects.get(code="342084")
    assert fuchu.fiscal_strength_index == Decimal("0.47")
    assert (fuchu.ordinary_balance_ratio, fuchu.real_debt_service_ratio) == (Decimal("97.9"), Decimal("9.6"))
    assert (fuchu.future_burden_ratio, fuchu.laspeyres_index, fuchu.fiscal_year) == (
        Decimal("73.1"),
        Decimal("99.7"),
        2020,
    )
    assert fuchu.population_display == "37,226人（2022年1月1日、住民基本台帳）"
    assert fuchu.future_burden_display == "73.1%"
    # A prefecture's 財政力指数 keeps the five decimals 総務省 prints.
    assert Municipality.objects.get(code="060003").fiscal_strength_index == Decimal("0.37896")  # 山形県


def test_a_dash_future_burden_is_no_burden_and_shows_apart_from_a_missing_figure(seeded):
    mombetsu = Municipality.objects.get(code="012190")  # 紋別市: 「-」 in 総務省's table
    assert (mombetsu.future_burden_ratio, mombetsu.future_burden_none) == (None, True)
    assert mombetsu.has_no_future_burden
    assert mombetsu.future_burden_display == "-（負担なし）"
    unknown = Municipality(code="999999", name="未読込")
    assert unknown.future_burden_display == "記載なし" and not unknown.has_no_future_burden
    assert unknown.population_display == "記載なし"
    assert dict(unknown.fiscal_indices())["財政力指数"] == "記載なし"


def test_a_spreadsheets_float_residue_is_rounded_to_the_published_precision(seeded):
    hitachi = Municipality.objects.get(code="082023")  # -0.6000000000000001 in the fixture
    assert hitachi.real_debt_service_ratio == Decimal("-0.6")


def test_a_second_seed_load_changes_no_figure_and_says_so(seeded):
    out = io.StringIO()
    call_command("load_initial_content", stdout=out)
    text = out.getvalue()
    assert (
        "人口の表（住民基本台帳に基づく人口）: 基準日 2022年1月1日（「as_of」列から）。更新 0件、変更なし 1788件"
        in text
    )
    assert (
        "財政指標の表（主要財政指標）: 令和2年度 (2020年度)（「fiscal_year」列から）。更新 0件、変更なし 1788件" in text
    )
    assert "団体一覧にない団体コード 175件" in text  # the wards of the 政令指定都市


def test_the_seed_never_replaces_a_later_edition(seeded):
    Municipality.objects.filter(code="342084").update(population=37_000, population_as_of=date(2023, 1, 1))
    population, fiscal = load_fixtures()
    assert population.kept_newer == 1 and not population.updated
    assert figures("342084")["population"] == 37_000


# ---------- import_soumu ----------


def test_a_dry_run_of_the_population_table_reports_and_writes_nothing(seeded, tmp_path):
    path = population_workbook(tmp_path / "2301ssjin.xlsx")
    text = run(path, "--dry-run")
    assert "基準日 2023年1月1日（表題「令和5年1月1日住民基本台帳人口" in text
    assert "更新する 2件" in text
    assert "342084 広島県府中市: 人口 37,226 → 37,000、基準日 2022年1月1日 → 2023年1月1日" in text
    assert "何も書き込んでいません" in text
    assert figures("342084")["population"] == 37_226
    assert figures("060003")["population_as_of"] == date(2022, 1, 1)


def test_the_population_table_updates_by_code_and_reports_codes_it_does_not_know(seeded, tmp_path):
    text = run(population_workbook(tmp_path / "2301ssjin.xlsx"))
    assert (figures("342084")["population"], figures("342084")["population_as_of"]) == (37_000, date(2023, 1, 1))
    assert figures("060003")["population"] == 1_050_000
    assert figures("392049")["population"] == 46_648  # not in the file: unchanged
    assert "団体一覧にない団体コード 1件（政令指定都市の区など。読み込みません）: 011011 北海道札幌市中央区" in text
    assert "この表にない団体 1786件" in text
    assert "団体コードのない行 2行を読み飛ばしました" in text  # the 郡 subtotal and the note
    assert not Municipality.objects.filter(code="011011").exists()


def test_the_fiscal_table_with_five_digit_codes_and_the_year_in_its_title_updates(seeded, tmp_path):
    text = run(fiscal_workbook(tmp_path / "r03_shichouson.xlsx"))
    assert "令和3年度 (2021年度)（表題「令和3年度 地方公共団体の主要財政指標一覧" in text
    fuchu, nankoku = figures("342084"), figures("392049")
    assert fuchu["fiscal_strength_index"] == Decimal("0.46") and fuchu["real_debt_service_ratio"] == Decimal("-0.3")
    assert (fuchu["future_burden_ratio"], fuchu["future_burden_none"], fuchu["fiscal_year"]) == (None, True, 2021)
    assert nankoku["ordinary_balance_ratio"] == Decimal("91.2")  # full-width digits
    assert (nankoku["future_burden_ratio"], nankoku["future_burden_none"]) == (Decimal("21.3"), False)
    assert Municipality.objects.get(code="342084").future_burden_display == "-（負担なし）"


def test_a_bad_cell_answers_a_japanese_error_naming_its_row_and_column_and_writes_nothing(seeded, tmp_path):
    path = population_workbook(
        tmp_path / "bad.xlsx",
        rows=[["342084", "広島県", "府中市", 1, 2, 3, 4], ["392049", "高知県", "南国市", 1, 2, "多数", 4]],
    )
    with pytest.raises(CommandError) as refused:
        run(path)
    message = str(refused.value)
    assert "何も書き込んでいません" in message
    assert "6行目 F列「人口 計」: 人口「多数」を人数として読めません" in message
    assert "Traceback" not in message
    assert figures("342084")["population"] == 37_226


def test_a_wrong_check_digit_is_named_with_its_row(seeded, tmp_path):
    path = population_workbook(tmp_path / "bad.xlsx", rows=[["342085", "広島県", "府中市", 1, 2, 3, 4]])
    with pytest.raises(CommandError, match="5行目 A列「団体コード」: 団体コード「342085」: 検査数字"):
        run(path)


def test_a_file_that_is_neither_table_is_refused_in_japanese(seeded, tmp_path):
    path = workbook(
        tmp_path / "other.xlsx",
        [["事例一覧"], ["団体コード", "タイトル", "事業費"], ["342084", "ワーケーション", 22000000]],
    )
    with pytest.raises(CommandError) as refused:
        run(path)
    assert "人口の表でも財政指標の表でもありません" in str(refused.value)
    assert "「団体コード」の列は2行目にありますが" in str(refused.value)


def test_without_a_date_in_the_title_the_command_asks_for_the_option(seeded, tmp_path):
    path = population_workbook(tmp_path / "untitled.xlsx", title="市区町村別人口")
    with pytest.raises(CommandError, match="--as-of 2023-01-01 のように基準日を指定してください"):
        run(path)
    text = run(path, "--as-of", "令和5年1月1日")
    assert "基準日 2023年1月1日（--as-of の指定）" in text
    assert figures("342084")["population_as_of"] == date(2023, 1, 1)


def test_a_fiscal_csv_with_the_year_as_an_option_is_read_too(seeded, tmp_path):
    path = tmp_path / "fiscal.csv"
    path.write_text(
        "団体コード,団体名,財政力指数,経常収支比率,実質公債費比率,将来負担比率,ラスパイレス指数\n"
        "342084,府中市,0.45,95.0,9.0,70.0,99.0\n",
        encoding="cp932",
    )
    with pytest.raises(CommandError, match="--fiscal-year 2021 のように年度を指定してください"):
        run(path)
    run(path, "--fiscal-year", "2022")
    assert figures("342084")["fiscal_year"] == 2022 and figures("342084")["fiscal_strength_index"] == Decimal("0.45")


def test_an_older_edition_does_not_replace_a_newer_one_unless_asked(seeded, tmp_path):
    run(population_workbook(tmp_path / "2023.xlsx"))
    older = population_workbook(tmp_path / "2021.xlsx", title="令和3年1月1日住民基本台帳人口")
    assert "より新しい数値があるため変更しない 2件" in run(older)
    assert figures("342084")["population_as_of"] == date(2023, 1, 1)
    run(older, "--replace-newer")
    assert figures("342084")["population_as_of"] == date(2021, 1, 1)


# ---------- the admin ----------


def test_the_admin_shows_fuchus_figures_read_only_and_a_posted_form_changes_none(seeded, staff, client):
    client.force_login(staff.moderator)
    fuchu = Municipality.objects.get(code="342084")
    url = reverse("wagtailsnippets_cases_municipality:edit", args=(fuchu.pk,))
    response = client.get(url)
    text = visible_text(response)
    assert "人口と財政指標（総務省）" in text
    assert "37,226人（2022年1月1日、住民基本台帳）" in text
    assert "令和2年度 (2020年度)" in text and "0.47" in text and "出典：総務省" in text
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    assert not {"population", "population_as_of", "fiscal_strength_index", "future_burden_none"} & set(data)
    data["population"] = "1"
    data["fiscal_strength_index"] = "9.99"
    response = client.post(url, {key: data.getlist(key) for key in data})
    assert response.status_code == 302, response.content.decode()[:500]
    assert (figures("342084")["population"], figures("342084")["fiscal_strength_index"]) == (37_226, Decimal("0.47"))


def test_the_sites_footer_credits_soumu_with_the_titles_and_dates(seeded, client):
    text = visible_text(client.get("/")).replace("「 ", "「").replace(" 」", "」")
    assert "人口・財政指標：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」（令和4年1月1日現在）" in text
    assert "「地方公共団体の主要財政指標一覧」（令和2年度決算）" in text


# ---------- reading, without a database ----------


def test_headers_are_recognised_in_full_width_and_spaced_variants():
    data = (
        "住民基本台帳に基づく人口（令和６年１月１日現在）\n"
        "団体　コード,都道府県名,市 区 町 村 名,人　口　総　数（人）,世帯数\n"
        '３４２０８４,広島県,府中市,"36,500",17000\n'
    ).encode()
    table = read_table_of_figures(data, "population.csv", known={"342084"})
    assert table.kind == "population"
    assert table.rows["342084"].values == {"population": 36_500, "population_as_of": date(2024, 1, 1)}


def test_five_digit_codes_get_their_check_digit_and_dropped_zeros_come_back():
    header = "令和3年度\n団体コード,財政力指数,経常収支比率,実質公債費比率,将来負担比率,ラスパイレス指数\n"
    five = read_table_of_figures(f"{header}06000,0.3,90,10,-,100\n".encode(), known={"060003"})
    assert list(five.rows) == ["060003"] and five.rows["060003"].values["future_burden_none"] is True
    dropped = read_table_of_figures(f"{header}60003,0.3,90,10,1.5,100\n".encode(), known={"060003"})
    assert list(dropped.rows) == ["060003"] and dropped.rows["060003"].values["fiscal_year"] == 2021
