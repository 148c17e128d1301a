"""The national list of local governments: every prefecture and municipality, with its reading,
the position of its town hall and its website.

The project's own copy is in fixtures/localgovjp/ (code4fukui/localgovjp, CC0 1.0; its sources are
国土地理院 and J-LIS). `read_list` checks a whole edition first and names every bad row in
Japanese; `merge` then writes it in one transaction, matched by LG code: new organizations are
created, and a field is changed only where nobody edited it since the last import (the value
there is still the one the list gave, or empty), so an editor's correction is never overwritten.
Nothing is ever deleted. The 175 wards of the 政令指定都市 are not local governments and are
skipped; the 20 cities that have them are the 政令指定都市.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from casebook.base.core.cache import invalidate_content
from casebook.base.core.validators import validate_lg_code
from casebook.base.taxonomy.models import Municipality, Prefecture

FOLDER = Path(settings.BASE_DIR) / "fixtures" / "localgovjp"
MUNICIPALITIES_FILE = FOLDER / "localgovjp-utf8.csv"
PREFECTURES_FILE = FOLDER / "prefjp-utf8.csv"

MUNICIPALITY_COLUMNS = ["pref", "city", "citykana", "lat", "lng", "url", "lgcode"]
PREFECTURE_COLUMNS = ["pref", "prefkana", "url", "lgcode", "lat", "lng"]
# The fields the list fills in, and the import may later update where nobody edited them.
LIST_FIELDS = ["name", "name_kana", "kind", "latitude", "longitude", "website"]
PREFECTURE_LIST_FIELDS = ["latitude", "longitude", "website"]


class ListError(Exception):
    """A file that cannot be read as the national list: every problem found, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Organization:
    code: str
    name: str
    name_kana: str
    kind: str
    prefecture_code: str
    latitude: float | None
    longitude: float | None
    website: str

    def values(self) -> dict:
        return {name: getattr(self, name) for name in LIST_FIELDS}


@dataclass
class NationalList:
    prefectures: list[Organization]  # each prefecture as an organization (kind 都道府県)
    municipalities: list[Organization]

    @property
    def organizations(self) -> list[Organization]:
        return [*self.prefectures, *self.municipalities]


@dataclass
class MergeReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"作成 {self.created}件、更新 {self.updated}件、変更なし {self.unchanged}件"


def _rows(text: str, columns: list[str], label: str, problems: list[str]) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), restval=None)
    missing = [column for column in columns if column not in (reader.fieldnames or [])]
    if missing:
        problems.append(f"{label}: 列がありません: {', '.join(missing)}（必要な列: {', '.join(columns)}）")
        return []
    rows = []
    for number, row in enumerate(reader, start=2):
        if any(row.get(column) is None for column in columns):
            problems.append(
                f"{label} {number}行目: 項目が足りません（{len([v for v in row.values() if v is not None])}列）。"
            )
        else:
            rows.append((number, row))
    return rows


def _position(row: dict, where: str, problems: list[str]) -> tuple[float | None, float | None]:
    try:
        latitude, longitude = float(row["lat"]), float(row["lng"])
    except (TypeError, ValueError):
        problems.append(f"{where}: 緯度・経度「{row['lat']}」「{row['lng']}」を数値として読めません。")
        return None, None
    if not (20 <= latitude <= 46 and 122 <= longitude <= 154):
        problems.append(f"{where}: 緯度・経度（{latitude}, {longitude}）が日本の範囲外です。")
    return latitude, longitude


def _code(raw: str, where: str, problems: list[str]) -> str | None:
    code = (raw or "").strip().zfill(6)  # prefjp writes 北海道 as 10006
    try:
        validate_lg_code(code)
    except ValidationError as error:
        problems.append(f"{where}: 団体コード「{raw}」: {' '.join(error.messages)}")
        return None
    return code


def _kind(name: str, prefecture: str, designated: set[tuple[str, str]]) -> str | None:
    if (prefecture, name) in designated:
        return Municipality.Kind.DESIGNATED_CITY
    if prefecture == "東京都" and name.endswith("区"):
        return Municipality.Kind.SPECIAL_WARD
    return {"市": Municipality.Kind.CITY, "町": Municipality.Kind.TOWN, "村": Municipality.Kind.VILLAGE}.get(name[-1:])


def read_list(municipalities_text: str, prefectures_text: str) -> NationalList:
    """Both files read and checked whole; ListError names every bad row."""
    problems: list[str] = []
    prefectures, names = [], {}
    for number, row in _rows(prefectures_text, PREFECTURE_COLUMNS, "都道府県のファイル", problems):
        where = f"都道府県のファイル {number}行目（{row['pref']}）"
        code = _code(row["lgcode"], where, problems)
        latitude, longitude = _position(row, where, problems)
        if code is None:
            continue
        prefecture_code = code[:2]
        names[row["pref"]] = prefecture_code
        prefectures.append(
            Organization(
                code,
                row["pref"],
                row["prefkana"],
                Municipality.Kind.PREFECTURE,
                prefecture_code,
                latitude,
                longitude,
                row["url"].strip(),
            )
        )
    rows = _rows(municipalities_text, MUNICIPALITY_COLUMNS, "市区町村のファイル", problems)
    known: dict[str, str] | None = None  # the database's prefectures, read only for a name the file lacks
    # A city with wards, written 「札幌市 中央区」, is a 政令指定都市; its wards are not loaded.
    designated = {(row["pref"], row["city"].split()[0]) for _, row in rows if len(row["city"].split()) > 1}
    municipalities = []
    for number, row in rows:
        name = row["city"].strip()
        where = f"市区町村のファイル {number}行目（{row['pref']}{name}）"
        if len(name.split()) > 1:
            continue
        code = _code(row["lgcode"], where, problems)
        latitude, longitude = _position(row, where, problems)
        kind = _kind(name, row["pref"], designated)
        if kind is None:
            problems.append(f"{where}: 名称が市・町・村・区のいずれでも終わらないため、種別が分かりません。")
        prefecture_code = names.get(row["pref"])
        if prefecture_code is None:
            known = known if known is not None else dict(Prefecture.objects.values_list("name", "code"))
            prefecture_code = known.get(row["pref"])
        if prefecture_code is None:
            problems.append(f"{where}: 都道府県「{row['pref']}」が見つかりません。")
        elif code and code[:2] != prefecture_code:
            problems.append(f"{where}: 団体コード「{code}」の先頭2桁が都道府県「{row['pref']}」と一致しません。")
        if code and kind:
            kana = row["citykana"].strip()
            municipalities.append(
                Organization(code, name, kana, kind, prefecture_code, latitude, longitude, row["url"].strip())
            )
    seen: dict[str, str] = {}
    for organization in [*prefectures, *municipalities]:
        if organization.code in seen:
            problems.append(
                f"団体コード「{organization.code}」が2回あります（{seen[organization.code]}、{organization.name}）。"
            )
        seen[organization.code] = organization.name
    if problems:
        raise ListError(problems)
    return NationalList(prefectures, municipalities)


def read_files(municipalities: Path = MUNICIPALITIES_FILE, prefectures: Path = PREFECTURES_FILE) -> NationalList:
    texts = []
    for path in (municipalities, prefectures):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            raise ListError([f"ファイル「{path}」が見つかりません。"]) from None
        except UnicodeDecodeError:
            raise ListError([f"ファイル「{path}」を UTF-8 として読めません。"]) from None
        except OSError as error:
            raise ListError([f"ファイル「{path}」を開けません（{error.strerror}）。"]) from None
    return read_list(*texts)


def _merge_fields(instance, values: dict) -> bool:
    """Sets each listed value where the field still holds what the last import wrote, or is empty and
    was never imported; a value an editor typed, or cleared, stays."""
    changed = False
    last = instance.imported or {}
    for name, value in values.items():
        current = getattr(instance, name)
        if current == value:
            continue
        never_listed_and_empty = name not in last and current in ("", None)
        if never_listed_and_empty or (name in last and current == last[name]):
            setattr(instance, name, value)
            changed = True
    instance.imported = {**last, **values}
    return changed


@transaction.atomic
def merge(national: NationalList) -> MergeReport:
    """Writes the list: created, updated (only fields nobody edited) and unchanged counts."""
    report = MergeReport()
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    missing = sorted({o.prefecture_code for o in national.organizations} - set(prefectures))
    if missing:
        raise ListError(
            [
                f"都道府県（コード {', '.join(missing)}）がまだありません。"
                "先に python manage.py load_initial_content を実行してください。"
            ]
        )
    for organization in national.prefectures:
        prefecture = prefectures.get(organization.prefecture_code)
        if prefecture is not None:
            before = dict(prefecture.imported or {})
            values = {name: getattr(organization, name) for name in PREFECTURE_LIST_FIELDS}
            if _merge_fields(prefecture, values) or prefecture.imported != before:
                prefecture.save()
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    existing = {m.code: m for m in Municipality.objects.all()}
    new, changed = [], []
    for organization in national.organizations:
        found = existing.get(organization.code)
        if found is None:
            new.append(
                Municipality(
                    code=organization.code,
                    prefecture=prefectures[organization.prefecture_code],
                    imported=organization.values(),
                    **organization.values(),
                )
            )
            continue
        before = dict(found.imported or {})
        if _merge_fields(found, organization.values()):
            changed.append(found)
            report.updated += 1
        else:
            report.unchanged += 1
            if found.imported != before:
                changed.append(found)
    Municipality.objects.bulk_create(new, batch_size=500)
    Municipality.objects.bulk_update(changed, [*LIST_FIELDS, "imported"], batch_size=500)
    report.created = len(new)
    if new or report.updated:
        invalidate_content()  # bulk writes send no signals
    return report
