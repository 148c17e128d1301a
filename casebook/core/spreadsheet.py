"""What goes into a cell of a spreadsheet file: one rule for every export (and, undone, the importer).

A cell whose text starts with = + - @, a tab or a carriage return is read by Excel and LibreOffice as a
formula (CSV injection, OWASP). Such text gets a leading apostrophe, which spreadsheets show as
text and do not display; the JSON export keeps the true value.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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
