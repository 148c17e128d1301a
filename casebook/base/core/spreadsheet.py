"""What goes into a cell of a spreadsheet file: one rule for every export (and, undone, the importer).

A cell whose text starts with = + - @, a tab or a carriage return is read by Excel and LibreOffice as a
formula (CSV injection, OWASP). Such text gets a leading apostrophe, which spreadsheets show as
text and do not display; the JSON export keeps the true value.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from casebook.base.core.parsing import cell_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """The value as a spreadsheet may safely read it; numbers and empty cells unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def from_spreadsheet_cell(value: str) -> str:
    """The original text of a cell spreadsheet_cell() escaped."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def xlsx_text(cell, value: str):
    """An .xlsx cell holding `value` as text, never as a formula: openpyxl writes text that starts
    with = as a formula unless told otherwise. The cell shows the true text (no apostrophe); a
    spreadsheet does not evaluate a text cell."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters pasted from a PDF
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


# ---------- Reading: a CSV or .xlsx upload as a header and rows of cells ----------

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000
# The export has about forty columns; a header far wider is not a case list (and was a way to stall the reader).
MAX_COLUMNS = 500
# An .xlsx is a zip: refuse one that would unpack to more than this, or at a ratio only a zip bomb has.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls), an OLE file
ZIP_MAGIC = b"PK\x03\x04"
# Where Windows' Shift_JIS (cp932) decodes a byte to another character than JIS does: 「〜」 saved by Excel
# comes back as 「～」 (FULLWIDTH TILDE). The JIS characters are the ones typed and stored elsewhere.
CP932_TO_JIS = str.maketrans({"～": "〜", "∥": "‖", "－": "−", "￠": "¢", "￡": "£", "￢": "¬"})


class SpreadsheetError(Exception):
    """A file that cannot be read as a table; the message says why, in Japanese."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)
    format: str  # "xlsx" or the CSV's encoding ("utf-8", "utf-8-sig", "cp932")


def read_table(data: bytes, filename: str = "") -> Table:
    """The first sheet of an .xlsx, or a CSV in UTF-8 (with or without BOM) or Shift_JIS (cp932)."""
    if _format_of(data, filename) == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


@dataclass
class Sheet:
    rows: list[tuple[int, list]]  # every row that is not empty, numbered as the spreadsheet shows it
    format: str  # as Table.format


def read_rows(data: bytes, filename: str = "") -> Sheet:
    """Every non-empty row of the first sheet (or of a CSV), header and title rows among them, for a
    published table whose header is not on row 1 (a government table with its title above). The same
    limits and refusals as read_table; cells beyond MAX_COLUMNS are not read."""
    if _format_of(data, filename) == "xlsx":
        workbook = _open_workbook(data)
        try:
            sheet = workbook.worksheets[0]
            width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)  # a sheet without its size: rows as stored
            lines = sheet.iter_rows(max_col=width) if sheet.max_column else sheet.iter_rows()
            return Sheet(_xlsx_rows(enumerate(lines, start=1), width), "xlsx")
        finally:
            workbook.close()
    text, encoding = _decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return Sheet(_csv_rows(enumerate(reader, start=1)), encoding)
    except csv.Error as error:
        raise SpreadsheetError(f"CSV の {reader.line_num} 行目を読めません（{error}）。") from None


def _format_of(data: bytes, filename: str) -> str:
    """ "xlsx" or "csv", after the checks every upload passes."""
    if not data.strip():
        raise SpreadsheetError("ファイルが空です。")
    if len(data) > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(f"ファイルが大きすぎます（上限 {MAX_UPLOAD_BYTES // 1024 // 1024}MB）。")
    if data.startswith(XLS_MAGIC):
        raise SpreadsheetError("Excel 97-2003 形式（.xls）は読めません。.xlsx か CSV で保存し直してください。")
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if filename.lower().endswith((".xlsx", ".xlsm", ".zip")):
        raise SpreadsheetError("このファイルは .xlsx として読めません（壊れているか、別の形式です）。")
    return "csv"


def _header(cells) -> list[str]:
    """The header's names, checked in one pass: at most MAX_COLUMNS, none blank, none twice."""
    headers, last = [], 0
    for cell in cells:
        headers.append(cell_text(cell))
        if headers[-1]:
            last = len(headers)
            if last > MAX_COLUMNS:
                raise SpreadsheetError(
                    f"列が多すぎます（上限 {MAX_COLUMNS}列）。取り込む列だけを残したファイルを選んでください。"
                )
    del headers[last:]  # trailing empty cells (a sheet's formatting) are no columns
    if not headers:
        raise SpreadsheetError("1行目（見出し行）が空です。1行目に列の名前を入れてください。")
    blank = [get_column_letter(i) for i, header in enumerate(headers, start=1) if not header]
    if blank:
        raise SpreadsheetError(
            f"見出し行に空欄か結合されたセルがあります（{'、'.join(blank[:5])}列）。"
            "見出しのセルの結合を解除し、すべての列に名前を入れてください。"
        )
    seen, repeated = set(), set()
    for header in headers:
        (repeated if header in seen else seen).add(header)
    repeated = sorted(repeated)
    if repeated:
        raise SpreadsheetError(f"同じ見出しの列が2つ以上あります: {'、'.join(repeated)}")
    return headers


def _decode_csv(data: bytes) -> tuple[str, str]:
    text, encoding = None, ""
    for encoding in ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if encoding == "cp932" and text is not None:
        text = text.translate(CP932_TO_JIS)
    if text is None or "\x00" in text:
        raise SpreadsheetError(
            "CSV として読めません。文字コードを UTF-8 か Shift_JIS にした CSV、または .xlsx を選んでください。"
        )
    return text, encoding


def _too_many_rows():
    return SpreadsheetError(f"行数が上限（{MAX_ROWS:,}行）を超えています。ファイルを分けて取り込んでください。")


def _csv_rows(numbered) -> list[tuple[int, list]]:
    """The non-empty rows, numbered as a spreadsheet shows them: one row per record, however many lines its
    cells span."""
    rows = []
    for number, cells in numbered:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, cells))
    return rows


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = _header(next(reader, []))
        rows = _csv_rows(enumerate(reader, start=2))
    except csv.Error as error:
        raise SpreadsheetError(f"CSV の {reader.line_num} 行目を読めません（{error}）。") from None
    return Table(headers, rows, encoding)


def _open_workbook(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise SpreadsheetError("このファイルは .xlsx として読めません（壊れているか、別の形式です）。") from None
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(data), 1) + 10 * 1024 * 1024:
        raise SpreadsheetError("展開すると大きすぎる .xlsx です（圧縮爆弾の疑い）。取り込めません。")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise SpreadsheetError("このファイルは .xlsx として読めません（壊れているか、別の形式です）。") from None


def _xlsx_rows(numbered, width: int | None = None) -> list[tuple[int, list]]:
    """The non-empty rows' values (the first `width` cells of each); a formula anywhere refuses the file
    (it is never evaluated)."""
    rows, formulas = [], []
    for number, cells in numbered:
        values = []
        for cell in cells[:width] if width else cells:
            if cell.data_type == "f":
                formulas.append(f"{cell.coordinate}")
            values.append(cell.value)
        if not any(value not in (None, "") for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows()
        rows.append((number, values))
    if formulas:
        raise SpreadsheetError(
            f"数式のセルがあります（{'、'.join(formulas[:5])}{' など' if len(formulas) > 5 else ''}）。"
            "数式は計算せずに取り込まないため、値として貼り付け直してから取り込んでください。"
        )
    return rows


def _read_xlsx(data: bytes) -> Table:
    workbook = _open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows()
        headers = _header([cell.value for cell in next(lines, [])])
        rows = _xlsx_rows(enumerate(lines, start=2))
    finally:
        workbook.close()
    return Table(headers, rows, "xlsx")
