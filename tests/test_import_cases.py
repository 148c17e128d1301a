"""Cases in from a spreadsheet: the export read back (CSV in UTF-8 or Shift_JIS, .xlsx), a dry run that
names every row's fate and every error by row and column, and a write that is all or nothing and ends
in review, never on the live site."""

import csv
import io
import zipfile

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from wagtail.models import Revision, WorkflowState

from casebook.base.core.spreadsheet import MAX_ROWS, SpreadsheetError, read_table
from cases.intake.importer import plan_import
from cases.models import CasePage

pytestmark = pytest.mark.django_db


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def exported_rows(client) -> list[list[str]]:
    text = body_of(client.get("/cases/export.csv")).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def as_csv(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def run(tmp_path, data: bytes, *args, name="cases.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_cases", str(path), *args, stdout=out)
    return out.getvalue()


def column(rows, header) -> int:
    return rows[0].index(header)


def test_the_seed_export_reads_back_as_five_unchanged(client, seeded, tmp_path):
    output = run(tmp_path, body_of(client.get("/cases/export.csv")), "--dry-run")
    assert "新規 0件、更新 0件、変更なし 5件、エラー 0件" in output


def test_the_same_file_saved_as_shift_jis_imports_the_same(client, seeded, tmp_path):
    rows = exported_rows(client)
    output = run(
        tmp_path, as_csv(rows, "cp932"), "--dry-run"
    )  # 「〜」 comes back as cp932's 「～」 and is read as 「〜」
    assert "変更なし 5件" in output


def test_codes_a_spreadsheet_stripped_of_leading_zeros_are_read_back(client, seeded, tmp_path):
    rows = exported_rows(client)
    code, prefecture = column(rows, "団体コード"), column(rows, "都道府県コード")
    aizu = next(row for row in rows if row[code] == "072028")
    aizu[code], aizu[prefecture] = "72028", "7"  # what LibreOffice makes of 072028 and 07
    assert "変更なし 5件" in run(tmp_path, as_csv(rows), "--dry-run")


def test_the_xlsx_export_reads_back_as_five_unchanged(client, seeded, tmp_path):
    output = run(tmp_path, body_of(client.get("/cases/export.xlsx")), "--dry-run", name="cases.xlsx")
    assert "変更なし 5件" in output


def test_a_file_with_one_bad_row_writes_nothing_and_names_row_and_column(client, seeded, tmp_path):
    rows = exported_rows(client)
    rows[1][column(rows, "タイトル")] = "直したタイトル"
    rows[2][column(rows, "事業費（円）")] = "たくさん"
    revisions = Revision.objects.count()
    with pytest.raises(CommandError) as refused:
        run(tmp_path, as_csv(rows))
    message = str(refused.value)
    assert "何も書き込んでいません" in message
    assert "3行目「事業費（円）」: 金額「たくさん」を読めません" in message
    assert Revision.objects.count() == revisions
    assert not CasePage.objects.filter(title="直したタイトル").exists()


def test_the_dry_run_names_what_an_update_changes(client, seeded, tmp_path):
    rows = exported_rows(client)
    rows[1][column(rows, "タイトル")] = "直したタイトル"
    rows[1][column(rows, "事業費（円）")] = "2,200万円"
    rows[1][column(rows, "事業費の年度（西暦）")] = "令和3年度"
    output = run(tmp_path, as_csv(rows), "--dry-run")
    assert "2行目 更新（タイトル・事業費・事業費の年度）: 直したタイトル" in output
    assert "確認のみ" in output and not CasePage.objects.filter(title="直したタイトル").exists()


def new_case_row(rows, **values) -> list[str]:
    row = [""] * len(rows[0])
    fields = {
        "タイトル": "広島県府中市の窓口DX",
        "概要": "府中市は窓口の手続をオンライン化した。",
        "団体コード": "342084",
        "重点取組事項スラッグ": "frontyard-reform",
        "年度（西暦）": "令和5年度",
        "事業費（円）": "1,040万円",
        "事業費の年度（西暦）": "R5",
        "成果の詳細": "オンライン申請の件数 | 約3,000 | 件 | 2023年度",
        "出典": "府中市の報道発表 | https://www.city.fuchu.hiroshima.jp/ | 2024年",
        "本文": "【取り組み内容】窓口のDX\n窓口で書かない申請を始めた。\n・マイナンバーカードで申請",
        **values,
    }
    for header, value in fields.items():
        row[column(rows, header)] = value
    return row


def test_an_import_ends_in_review_with_one_e_mail_to_the_moderators(
    client, seeded, staff, tmp_path, django_capture_on_commit_callbacks
):
    rows = exported_rows(client)
    live_title = rows[1][column(rows, "タイトル")]
    rows[1][column(rows, "タイトル")] = "直したタイトル"
    rows.append(new_case_row(rows))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        output = run(tmp_path, as_csv(rows), "--user", "editor")
    assert "新規 1件、更新 1件を承認待ちにしました" in output

    new = CasePage.objects.get(title="広島県府中市の窓口DX")
    assert not new.live and new.slug == "342084-frontyard-reform-2023"
    assert (new.fiscal_year, new.project_cost_yen, new.cost_fiscal_year) == (2023, 10_400_000, 2023)
    assert [(o.label, o.value, o.unit, o.period) for o in new.outcomes.all()] == [
        ("オンライン申請の件数", "約3,000", "件", "2023年度")
    ]
    assert new.sources.get().url == "https://www.city.fuchu.hiroshima.jp/"
    assert "<li>マイナンバーカードで申請</li>" in new.body.raw_data[0]["value"]["body"]
    assert new.latest_revision.user == staff.editor
    updated = CasePage.objects.get(slug=rows[1][0])
    assert updated.title == live_title  # the live page is as it was until a moderator approves
    assert updated.get_latest_revision_as_object().title == "直したタイトル"
    in_review = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
    assert {int(state.object_id) for state in in_review} == {new.pk, updated.pk}
    # One summary to the moderators, not one notice per case.
    [summary] = mail.outbox
    assert "2件の事例が承認待ち" in summary.subject and "moderator@example.jp" in summary.to
    assert "直したタイトル（更新）" in summary.body and "広島県府中市の窓口DX（新規）" in summary.body

    # The same file again changes nothing: the new case is found by its title and organization.
    again = run(tmp_path, as_csv(rows), "--dry-run")
    assert "新規 0件、更新 0件、変更なし 6件" in again


def test_ambiguous_and_unknown_names_are_errors_naming_the_choices(client, seeded, tmp_path):
    rows = exported_rows(client)
    rows.append(new_case_row(rows, 団体コード="", 重点取組事項スラッグ="no-such-measure"))
    rows[-1][column(rows, "主体の団体")] = "府中市"
    with pytest.raises(CommandError) as refused:
        run(tmp_path, as_csv(rows), "--dry-run")
    message = str(refused.value)
    assert "「府中市」に当たる団体が2つあります（" in message and "342084 広島県府中市" in message
    assert "「重点取組事項スラッグ」: 重点取組事項「no-such-measure」が見つかりません" in message


def xlsx_bytes(rows, formula_at=None, merge=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if formula_at:
        sheet[formula_at] = "=1+1"
    if merge:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "cases.csv", "ファイルが空です"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "cases.csv", "CSV として読めません"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "cases.xls", ".xls）は読めません"),
        (b"not a zip at all", "cases.xlsx", ".xlsx として読めません"),
        (b"PK\x03\x04 broken", "cases.xlsx", ".xlsx として読めません"),
    ],
    ids=["empty", "image", "xls", "fake-xlsx", "broken-zip"],
)
def test_files_that_are_not_spreadsheets_get_a_message(data, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        read_table(data, name)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (300 * 1024 * 1024))
    with pytest.raises(SpreadsheetError, match="圧縮爆弾"):
        read_table(out.getvalue(), "bomb.xlsx")


def test_a_header_wider_than_any_case_list_is_refused_and_a_repeated_one_named():
    """A 40,000-column header (a 269 KB CSV) once took 16 s to check, 2,000,000 columns ten minutes."""
    wide = ",".join(f"列{n}" for n in range(40_000)).encode() + b"\n"
    with pytest.raises(SpreadsheetError, match="列が多すぎます（上限 500列）"):
        read_table(wide, "wide.csv")
    with pytest.raises(SpreadsheetError, match="同じ見出しの列が2つ以上あります: タイトル、概要"):
        read_table("タイトル,概要,概要,タイトル,タイトル\n".encode(), "twice.csv")
    trailing = "タイトル,概要".encode() + b"," * 3000 + "\n府中市のワーケーション,交付金で整備\n".encode()
    assert read_table(trailing, "trailing.csv").headers == ["タイトル", "概要"]


def test_an_oversized_file_and_too_many_rows_are_refused_with_the_limit(settings):
    from casebook.base.core import spreadsheet

    with pytest.raises(SpreadsheetError, match="上限 20MB"):
        read_table(b"a" * (spreadsheet.MAX_UPLOAD_BYTES + 1), "big.csv")
    rows = [["タイトル"], *([f"事例{n}"] for n in range(MAX_ROWS + 1))]
    with pytest.raises(SpreadsheetError, match="行数が上限（10,000行）"):
        read_table(as_csv(rows), "many.csv")
    assert len(read_table(as_csv(rows[:-1]), "ok.csv").rows) == MAX_ROWS


def test_formulas_and_merged_headers_are_refused_never_evaluated():
    with pytest.raises(SpreadsheetError, match="数式のセルがあります（B2）"):
        read_table(xlsx_bytes([["タイトル", "概要"], ["a", "b"]], formula_at="B2"), "f.xlsx")
    with pytest.raises(SpreadsheetError, match="見出し行に空欄か結合されたセルがあります（B列）"):
        read_table(xlsx_bytes([["タイトル", None, "概要"], ["a", "b", "c"]], merge="A1:B1"), "m.xlsx")


def test_unknown_columns_are_listed_and_missing_required_ones_named(client, seeded, tmp_path):
    rows = exported_rows(client)
    for row in rows:
        row.append("メモ" if row is rows[0] else "内部用")
    assert "読まない列（不明な見出し）: メモ" in run(tmp_path, as_csv(rows), "--dry-run")
    plan = plan_import(read_table(as_csv([["タイトル", "メモ"], ["x", "y"]]), "few.csv"))
    assert plan.problems == [
        "必須の列「概要」がありません。",
        "必須の列「団体コード」か「主体の団体」がありません。",
        "必須の列「重点取組事項スラッグ」か「重点取組事項」がありません。",
    ]


def test_the_command_refuses_a_missing_file_and_an_unknown_user(tmp_path, db):
    with pytest.raises(CommandError, match="読めません"):
        call_command("import_cases", str(tmp_path / "none.csv"))
    (tmp_path / "x.csv").write_text("タイトル\nx\n")
    with pytest.raises(CommandError, match="ユーザー「nobody」はいません"):
        call_command("import_cases", str(tmp_path / "x.csv"), "--user", "nobody")


def test_the_export_written_as_xlsx_keeps_every_column_the_import_reads(client, seeded):
    book = load_workbook(io.BytesIO(body_of(client.get("/cases/export.xlsx"))), read_only=True)
    headers = [cell.value for cell in next(book.worksheets[0].iter_rows())]
    for header in ("事業費の年度（西暦）", "開始年", "開始月", "成果の詳細", "出典", "本文"):
        assert header in headers


def test_a_row_without_a_slug_is_the_same_case_only_in_the_same_fiscal_year(client, seeded, tmp_path):
    rows = exported_rows(client)
    fuchu = rows[[row[0] for row in rows].index("fuchu-workation")]
    again = list(fuchu)
    again[column(rows, "スラッグ")] = ""
    again[column(rows, "年度（西暦）")] = "2023"  # the same title and town, another year: another project
    again[column(rows, "事業費の年度（西暦）")] = "2023"
    output = run(tmp_path, as_csv([rows[0], again]), "--dry-run")
    assert "新規 1件、更新 0件" in output


def test_a_case_with_a_pending_draft_is_not_overwritten_from_an_export(client, seeded, staff, tmp_path):
    rows = exported_rows(client)
    case = CasePage.objects.get(slug="nagoya-vdi")
    case.summary = "編集者が直している最中の概要"
    case.save_revision(user=staff.editor)  # a draft, not live
    at = [row[0] for row in rows].index("nagoya-vdi")
    rows[at][column(rows, "タイトル")] = "ファイルで直したタイトル"
    with pytest.raises(CommandError, match="承認待ち・未公開の変更があります"):
        run(tmp_path, as_csv(rows), "--dry-run")


def test_five_digits_that_could_be_two_codes_are_refused():
    from cases.intake.importer import Lookups, RowError

    lookups = Lookups({"012203": 1, "122033": 2, "072028": 3}, {}, {}, {}, {}, {})
    with pytest.raises(RowError, match="012203、122033 のどちらとも読めます"):
        lookups.organization("12203")
    assert lookups.organization("72028") == 3


def test_values_no_office_writes_are_refused():
    from casebook.base.core.parsing import parse_fiscal_year, parse_japanese_date, parse_yen

    for text in ("2000万1億", "1万1万"):
        with pytest.raises(ValueError):
            parse_yen(text)
    with pytest.raises(ValueError):
        parse_fiscal_year("R0")
    import datetime

    assert parse_japanese_date("２０２３−０６−２０") == datetime.date(2023, 6, 20)  # a Shift_JIS file's minus sign
