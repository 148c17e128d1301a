"""Every national target and statistic of the seed stands on its measure page."""

import pytest

from measures.models import MeasurePage

from .helpers import assert_all_shown, visible_text

TWENTY_BUSINESSES = [
    "住民基本台帳",
    "印鑑登録",
    "固定資産税",
    "個人住民税",
    "法人住民税",
    "軽自動車税",
    "就学",
    "介護保険",
    "障害者福祉",
    "児童手当",
    "子ども・子育て支援",
    "戸籍の附票",
    "選挙人名簿管理",
    "健康管理",
    "児童扶養手当",
    "生活保護",
    "後期高齢者医療",
    "国民年金",
    "国民健康保険",
    "戸籍",
]

MEASURE_FACTS = {
    "standardization": [
        "自治体の情報システムの標準化・共通化",
        "2025年まで",
        "標準準拠したシステムに移行",
        "2026年まで",
        "2018年度対比",
        "2025年度まで",
        "2020年度比",
        "3割削減",
        *TWENTY_BUSINESSES,
    ],
    "my-number-card": [
        "マイナンバーカードの普及促進",
        "2022年度末まで",
        "約66.3%",
        "2023年1月9日時点",
        "マイナポイントの配布",
        "新型コロナワクチンの接種会場での申請受付",
        "マイナンバーカードの保険証利用",
        "運転免許証や在留カードとの一体化",
        "図書館カードや市町村の施設利用証としての活用",
        "2022年6月7日",
        "総務省 マイナンバーカードの申請状況【2023年1月9日時点】",
        "経済財政運営と改革の基本方針2022【2022年6月7日閣議決定】",
        "デジタル田園都市国家構想基本方針【2022年6月7日閣議決定】",
    ],
    "online-procedures": [
        "自治体の行政手続のオンライン化",
        "2025年度をめど",
        "2023年1月現在",
        "デジタル庁",
        "デジタル・セーフティーネット",
        "31の行政サービス",
        "1.3兆円",
    ],
    "ai-rpa": [
        "自治体のAI・RPAの利用推進",
        "2021年12月31日時点",
        "672/1,788団体",
        "557/1,788団体",
        "100%",
        "35%",
        "91%",
        "95%",
        "29%",
        "431件",
        "1.8倍",
        "429件",
        "1.56倍",
        "会議録作成",
        "AI-OCR",
        "AI導入ガイドブック改訂版を自治体に共有",
        "RPA導入ガイドブックを自治体に共有",
        "「自治体 DX 推進手順書 参考事例集」を充実化する",
        "措置率 0.3",
        "措置率 0.5",
        "20業務は除く",
        "共同調達",
        "取り組むための人材がいない、または不足している",
    ],
    "telework": [
        "テレワークの推進",
        "2022年10月1日時点",
        "政令都市",
        "62.9%",
        "49.3%",
        "2021年度",
        "情報セキュリティの確保に不安がある",
        "LGWAN",
        "地方公共団体情報システム機構",
        "独立行政法人 情報処理推進機構",
        "テレワークマネージャー",
        "厚生労働省",
    ],
    "security": ["セキュリティ対策の徹底", "ガバメントクラウド", "責任分界"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("slug", MEASURE_FACTS)
def test_measure_page_shows_every_fact_of_the_seed(client, seeded, slug):
    response = client.get(f"/measures/{slug}/")
    assert response.status_code == 200
    assert_all_shown(visible_text(response), MEASURE_FACTS[slug])


@pytest.mark.django_db
def test_the_standardisation_measure_lists_twenty_distinct_businesses(seeded):
    names = list(MeasurePage.objects.get(slug="standardization").standard_businesses.values_list("name", flat=True))
    assert names == TWENTY_BUSINESSES
    assert len(set(names)) == 20


@pytest.mark.django_db
def test_measure_page_lists_its_cases_primary_first(client, seeded):
    response = client.get("/measures/telework/")
    text = visible_text(response)
    assert "広島県府中市のテレワーク環境の整備事例" in text
    assert 'href="/cases/?measure=telework"' in response.content.decode()


@pytest.mark.django_db
def test_home_shows_the_six_measures_and_the_newest_cases(client, seeded):
    text = visible_text(client.get("/"))
    assert_all_shown(
        text,
        [
            "自治体の情報システムの標準化・共通化",
            "マイナンバーカードの普及促進",
            "自治体の行政手続のオンライン化",
            "自治体のAI・RPAの利用推進",
            "テレワークの推進",
            "セキュリティ対策の徹底",
            "高知県南国市のマイナンバー普及事例",
            "北川哲也",
        ],
    )
