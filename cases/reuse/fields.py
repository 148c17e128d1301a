"""The exports' field reference (/cases/export/fields/) and the terms the data is offered under.

Every CSV column and every JSON field is explained here in Japanese; tests/test_export_fields.py
fails when an export gains a column or field this page does not explain.
"""

from cases.content.columns import CASE_COLUMNS, FISCAL_SOURCE, POPULATION_SOURCE, REQUIRED, CaseColumn

LICENCE = {
    "content": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
    "applies_to": "Casebook が書いた事例の要約・構成・分類（重点取組事項・財源・地域などの付与）",
    "not_covered": (
        "出典に挙げた資料（記事、総務省などの公表資料）の著作権はそれぞれの著作者にあります。"
        "引用した数値や文言を使うときは、各事例の出典を示してください。"
    ),
    "organizations": "地方公共団体の一覧（名称・よみ・庁舎の位置・公式サイト）: code4fukui/localgovjp、CC0 1.0",
    "figures": (
        f"主体の団体の人口と財政力指数: {POPULATION_SOURCE}、{FISCAL_SOURCE}"
        "（政府標準利用規約 第2.0版。CC BY 4.0 と互換）"
    ),
}

# (JSON field, meaning). Fields of each case are under `results[]`.
JSON_TOP = [
    ("count", "条件に合う事例の件数"),
    ("plan_version", "重点取組事項の番号が従う計画の版（slug, name, short_name, issued_on）"),
    ("filters", "使われた条件（一覧のURLのパラメーターと同じ名前）"),
    ("ignored", "使えなかった条件の説明（日本語）"),
    ("license", "このデータの利用条件"),
    ("fields", "この項目説明のページのURL"),
    ("results", "事例。一覧と同じ順"),
]
JSON_RESULT = [
    ("slug", "事例のスラッグ（URLの一部。事例を識別します）"),
    ("url", "事例のページのURL"),
    ("title", "タイトル"),
    ("summary", "概要（2〜3文）"),
    (
        "organization",
        "主体の団体: name（都道府県名を含む。例: 広島県府中市）、code（全国地方公共団体コード6桁）、kind、prefecture",
    ),
    ("partners", "連携・参加団体（organization と同じ形）の一覧"),
    (
        "measures",
        "重点取組事項: slug、number（plan_version の版での番号。その版にない事項は null）、title、"
        "filed（事例が登録された版で番号が違う場合の版と番号）、current（後の版で引き継いだ事項）",
    ),
    ("grants", "活用した財源制度: slug、name、administered_by（所管）、type（財源の種類）"),
    ("funding_types", "財源の種類（slug, label）。出典に書かれていなければ空の一覧（不明）"),
    ("tags", "タグ"),
    ("fiscal_year", "実施年度（年度の始まる西暦年。令和3年度なら 2021）。不明なら null"),
    ("cost_yen", "事業費（円、整数）。不明なら null"),
    ("cost_fiscal_year", "事業費がどの年度のものか（西暦）。不明なら null"),
    (
        "population",
        "主体の団体（organization）の人口（住民基本台帳に基づく人口、人、整数）。基準日は population_as_of。"
        f"分からなければ null。{POPULATION_SOURCE}",
    ),
    ("population_as_of", "population の基準日（ISO 8601 の日付。例: 2022-01-01）。人口が分からなければ null"),
    (
        "fiscal_strength_index",
        f"主体の団体の財政力指数（数値。例: 0.47）。分からなければ null。{FISCAL_SOURCE}",
    ),
    (
        "cost_per_resident",
        "住民1人あたりの事業費（円、整数）: cost_yen ÷ population（円未満を四捨五入）。連携団体のある事業でも"
        "主体の団体の人口で割ります。事業費か人口が分からなければ null",
    ),
    ("launched_year", "開始・導入の年（西暦）。不明なら null"),
    ("launched_month", "開始・導入の月（1〜12）。不明なら null"),
    ("self_funded", "単独事業（自主財源）と出典に書かれていれば true"),
    (
        "outcomes",
        "成果: label、value（書かれたとおり）、unit、period（期間・時点）、baseline（導入前）、note（内訳・補足）",
    ),
    ("sources", "出典: title、url、note"),
    ("sections", "本文: kind（区分のslug）、kind_label（区分名）、heading（見出し）、text（書式を除いた文章）"),
    ("image", "メイン画像: url（アップロードされた画像）、alt（画像の説明）。ない事例は null"),
    (
        "documents",
        "資料（仕様書・報告書・調達資料）: title、kind（specification・report・procurement・other）、kind_label、"
        "url、file_type（PDF など）、size_bytes",
    ),
    ("status", "その後の状況: slug、label（継続中・拡大・縮小・終了）、as_of（時点）、note。未記録なら null"),
    ("contact", "問い合わせ先: department、phone、email、url。自治体が公開に同意した場合だけ。ほかは null"),
    ("distance_km", "near を指定したときだけ: 指定した団体の庁舎から最も近い主体・連携団体の庁舎までの距離（km）"),
    ("first_published_at", "初めて公開した日時（ISO 8601）"),
    ("last_published_at", "最後に更新（公開）した日時（ISO 8601）"),
]
CSV_COLUMNS_EXPLAINED = {column.header: column.meaning for column in CASE_COLUMNS}


def fields_context() -> dict:
    required = {name for names in REQUIRED for name in names}

    def on_import(column: CaseColumn) -> str:
        if not column.key:
            return "読まない（出力のみ）"
        return "読む（必須）" if column.header in required else "読む"

    return {
        "licence": LICENCE,
        "json_top": JSON_TOP,
        "json_result": JSON_RESULT,
        "csv_columns": [(column.header, column.meaning, on_import(column)) for column in CASE_COLUMNS],
    }
