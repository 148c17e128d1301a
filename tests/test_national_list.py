"""The whole country: the national list of local governments (fixtures/localgovjp/, CC0) loaded with
the seed, merged by LG code, and imported again from a later edition without losing an editor's edit."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from casebook.base.taxonomy.models import Municipality
from casebook.base.taxonomy.national_list import (
    MUNICIPALITIES_FILE,
    PREFECTURES_FILE,
    ListError,
    merge,
    read_files,
    read_list,
)

from .factories import PrefectureFactory


@pytest.fixture(scope="module")
def texts():
    return MUNICIPALITIES_FILE.read_text(encoding="utf-8"), PREFECTURES_FILE.read_text(encoding="utf-8")


def edition(texts, old: str, new: str) -> tuple[str, str]:
    municipalities, prefectures = texts
    assert old in municipalities
    return municipalities.replace(old, new), prefectures


def test_the_list_holds_1741_municipalities_and_47_prefectures_and_no_ward(texts):
    national = read_list(*texts)
    assert len(national.prefectures) == 47
    assert len(national.municipalities) == 1741
    kinds = Counter(m.kind for m in national.municipalities)
    assert kinds["designated-city"] == 20
    assert kinds["special-ward"] == 23
    assert kinds["city"] + kinds["designated-city"] + kinds["special-ward"] + kinds["town"] + kinds["village"] == 1741
    names = {m.code: m.name for m in national.organizations}
    assert names["011002"] == "札幌市" and "011011" not in names  # 札幌市 中央区 is a ward, not a government
    assert names["342084"] == names["132063"] == "府中市"
    assert names["010006"] == "北海道"  # prefjp's 10006, padded to six digits


@pytest.mark.django_db
def test_a_file_with_bad_rows_is_refused_with_one_japanese_line_each(texts):
    municipalities, prefectures = edition(texts, ",342084", ",342085")
    municipalities = municipalities.replace("広島県,34207,福山市", "不明県,34207,福山市")
    with pytest.raises(ListError) as refused:
        read_list(municipalities, prefectures)
    problems = "\n".join(refused.value.problems)
    assert "府中市" in problems and "検査数字（6桁目）が正しくありません" in problems
    assert "都道府県「不明県」が見つかりません" in problems


def test_a_file_with_the_wrong_columns_says_which_are_missing(texts):
    with pytest.raises(ListError) as refused:
        read_list("名前,コード\n府中市,342084\n", texts[1])
    assert "列がありません: pref, city, citykana, lat, lng, url, lgcode" in refused.value.problems[0]


def test_the_seed_loads_the_whole_country_merging_its_own_by_code(seeded):
    assert Municipality.objects.count() == 1788
    assert Municipality.objects.filter(code="342084").count() == 1
    fuchu = Municipality.objects.get(code="342084")
    assert fuchu.latitude == pytest.approx(34.568, abs=0.01) and fuchu.longitude == pytest.approx(133.236, abs=0.01)
    assert fuchu.website.startswith("https://")
    assert Municipality.objects.get(code="011002").kind == "designated-city"
    assert Municipality.objects.get(code="131016").kind == "special-ward"  # 千代田区


def test_a_second_import_creates_nothing_and_changes_nothing(seeded):
    report = merge(read_files())
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 1788


def test_a_later_edition_updates_only_what_no_editor_changed(seeded, texts):
    nankoku = Municipality.objects.get(code="392049")
    nankoku.name_kana = "なんこくし（編集済み）"
    nankoku.save()
    funagata = Municipality.objects.get(code="063631")
    funagata.website = ""  # an editor removed a link they found wrong
    funagata.save()
    old_row = next(line for line in texts[0].splitlines() if line.endswith(",392049"))
    fields = old_row.split(",")
    fields[4] = "なんごくし"  # the new edition changes the reading the editor also changed
    fields[7] = "https://www.city.nankoku.lg.jp/new/"
    report = merge(read_list(*edition(texts, old_row, ",".join(fields))))
    assert (report.created, report.updated) == (0, 1)
    nankoku.refresh_from_db()
    funagata.refresh_from_db()
    assert nankoku.name_kana == "なんこくし（編集済み）"  # the editor's
    assert nankoku.website == "https://www.city.nankoku.lg.jp/new/"  # the list's: nobody edited it
    assert funagata.website == ""  # cleared on purpose, not filled in again


def test_the_import_command_reports_counts_and_never_deletes(seeded, texts, tmp_path, capsys):
    shorter = tmp_path / "localgovjp.csv"
    old_row = next(line for line in texts[0].splitlines() if line.endswith(",392049"))
    shorter.write_text(texts[0].replace(old_row + "\n", ""), encoding="utf-8")
    call_command("import_municipalities", str(shorter))
    assert "作成 0件、更新 0件、変更なし 1787件" in capsys.readouterr().out
    assert Municipality.objects.filter(code="392049").exists()  # 南国市 leads a seed case: never deleted


def test_the_import_command_refuses_a_bad_file_and_writes_nothing(seeded, texts, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(texts[0].replace(",392049", ",392040"), encoding="utf-8")
    before = Municipality.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("import_municipalities", str(bad))
    assert "何も書き込んでいません" in str(refused.value) and "南国市" in str(refused.value)
    assert Municipality.objects.count() == before
    with pytest.raises(CommandError, match="見つかりません"):
        call_command("import_municipalities", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_a_town_hall_position_needs_both_latitude_and_longitude():
    hiroshima = PrefectureFactory(code="34", name="広島県", region="chugoku")
    fuchu = Municipality(code="342084", name="府中市", kind="city", prefecture=hiroshima, latitude=34.57)
    with pytest.raises(ValidationError) as refused:
        fuchu.full_clean()
    assert refused.value.message_dict["longitude"] == ["緯度と経度は両方とも入力するか、両方とも空欄にしてください。"]
