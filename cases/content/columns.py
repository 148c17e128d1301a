"""The columns of a case in a spreadsheet: the one list that the exports write, the importer reads back and
the field reference (/cases/export/fields/) explains, in the exports' order."""

from dataclasses import dataclass

# The parts of an outcome and of a source, in the order a cell writes them: one item per line,
# its parts joined by PART_SEPARATOR (成果の詳細, 出典).
OUTCOME_PARTS = ("label", "value", "unit", "period", "baseline", "note")
# The case's own plain fields that the spreadsheet carries as they are: the export reads them, the import
# writes them back.
SCALAR_FIELDS = (
    "slug",
    "title",
    "summary",
    "fiscal_year",
    "project_cost_yen",
    "cost_fiscal_year",
    "launched_year",
    "launched_month",
    "status",
    "status_as_of",
    "status_note",
    "self_funded",
)
SOURCE_PARTS = ("title", "url", "note")
PART_SEPARATOR = " | "
# Where the lead organization's figures in the exports come from (fixtures/soumu/README.md): credited wherever
# they are explained or shown (the field reference, the exports' terms, the statistics).
POPULATION_SOURCE = "出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数（令和4年1月1日現在）」"
FISCAL_SOURCE = "出典：総務省「地方公共団体の主要財政指標一覧（令和2年度決算）」"


@dataclass(frozen=True)
class CaseColumn:
    header: str
    meaning: str  # what the field reference says of it, in Japanese
    # The value the importer reads it into (a CasePage field, or outcomes, sources, body); "" for export only.
    key: str = ""
    label: str = ""  # how the import's report names a change; the header when empty

    @property
    def change_label(self) -> str:
        return self.label or self.header


CASE_COLUMNS = [
    CaseColumn("スラッグ", "事例のスラッグ（JSON の slug）", key="slug"),
    CaseColumn("URL", "事例のページのURL"),
    CaseColumn("タイトル", "タイトル", key="title"),
    CaseColumn("概要", "概要", key="summary"),
    CaseColumn("主体の団体", "事業を行った団体（都道府県名を含む。例: 広島県府中市）", key="lead_organization"),
    CaseColumn(
        "団体コード", "主体の全国地方公共団体コード（6桁、検査数字を含む）", key="lead_organization", label="主体の団体"
    ),
    CaseColumn("団体の種別", "都道府県・政令指定都市・市・特別区・町・村"),
    CaseColumn("都道府県コード", "主体の都道府県コード（2桁、JIS X 0401）"),
    CaseColumn("都道府県", "主体の都道府県"),
    CaseColumn("連携団体", "連携・参加団体（「 / 」区切り）", key="partner_organizations"),
    CaseColumn(
        "連携団体コード",
        "連携・参加団体のコード（「 / 」区切り、連携団体と同じ順）",
        key="partner_organizations",
        label="連携団体",
    ),
    CaseColumn(
        "重点取組事項", "重点取組事項を「番号. 名称」で。登録時の版で番号が違えば（版 番号）を添えます", key="measures"
    ),
    CaseColumn("重点取組事項スラッグ", "重点取組事項のスラッグ（「 / 」区切り）", key="measures", label="重点取組事項"),
    CaseColumn("重点取組事項の番号の版", "番号が従う計画の版と公表日"),
    CaseColumn("財源制度", "活用した財源制度（「 / 」区切り）", key="grant_programs"),
    CaseColumn("財源制度の所管", "財源制度の所管（財源制度と同じ順）"),
    CaseColumn(
        "財源の種類", "交付金・補助金・地方財政措置・委託・実証事業・単独事業（自主財源）。出典になければ「不明」"
    ),
    CaseColumn("タグ", "タグ（「 / 」区切り）", key="tags"),
    CaseColumn("年度（西暦）", "実施年度（年度の始まる西暦年）", key="fiscal_year", label="年度"),
    CaseColumn("年度（和暦）", "実施年度の和暦表記（例: 令和3年度）"),
    CaseColumn("事業費（円）", "事業費（円、整数）", key="project_cost_yen", label="事業費"),
    # The lead organization's figures (総務省): written by the exports, never read back by the import.
    CaseColumn(
        "人口", f"主体の団体の人口（住民基本台帳に基づく人口、人）。基準日は「人口の基準日」。{POPULATION_SOURCE}"
    ),
    CaseColumn("人口の基準日", "「人口」の基準日（年-月-日）"),
    CaseColumn("財政力指数", f"主体の団体の財政力指数。{FISCAL_SOURCE}"),
    CaseColumn(
        "住民1人あたりの事業費（円）",
        "事業費（円）÷ 主体の団体の人口（円未満を四捨五入）。連携団体のある事業でも主体の団体の人口で割ります。"
        "事業費か人口が分からなければ空欄",
    ),
    CaseColumn("成果", "成果を「項目: 値単位（期間）」で（「 / 」区切り）"),
    CaseColumn("その後の状況", "継続中・拡大・縮小・終了", key="status"),
    CaseColumn("状況の時点", "その後の状況の時点（年-月-日）", key="status_as_of"),
    CaseColumn("状況の補足", "その後の状況の補足", key="status_note"),
    CaseColumn("問い合わせ先", "部署・電話・メール・URL（自治体が公開に同意した場合だけ）"),
    CaseColumn("距離（km）", "near を指定したときだけ: 指定した団体からの距離"),
    CaseColumn("初回公開日時", "初めて公開した日時"),
    CaseColumn("最終公開日時", "最後に更新（公開）した日時"),
    CaseColumn(
        "事業費の年度（西暦）", "事業費がどの年度のものか（例: 2021）", key="cost_fiscal_year", label="事業費の年度"
    ),
    CaseColumn("開始年", "開始・導入の年（西暦）", key="launched_year"),
    CaseColumn("開始月", "開始・導入の月（1〜12）", key="launched_month"),
    CaseColumn("単独事業", "単独事業（自主財源）と出典に書かれていれば「はい」", key="self_funded"),
    CaseColumn(
        "成果の詳細",
        "成果を1行に1件、「指標 | 値 | 単位 | 期間 | 導入前 | 内訳・補足」で（後ろの空欄は省略）",
        key="outcomes",
        label="成果",
    ),
    CaseColumn("出典", "出典を1行に1件、「資料名 | URL | 補足」で", key="sources"),
    CaseColumn(
        "本文",
        "本文。区分ごとに「【経緯・きっかけ】見出し」の行で始め、段落は空行で区切ります（書式は含みません）",
        key="body",
    ),
]
# Where two columns say the same thing, a row must have one of each group: codes or names.
REQUIRED = [("タイトル",), ("概要",), ("団体コード", "主体の団体"), ("重点取組事項スラッグ", "重点取組事項")]
READ_COLUMNS = [column for column in CASE_COLUMNS if column.key]
EXPORT_ONLY = {column.header for column in CASE_COLUMNS if not column.key}
