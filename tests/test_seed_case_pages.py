"""Every fact of the seed article stands on the rendered case and interview pages."""

from urllib.parse import quote

import pytest

from cases.models import CasePage

from .helpers import assert_all_shown, visible_text

CASE_FACTS = {
    "yamagata-online-procedures": [
        "山形県の行政手続のオンライン化導入事例",
        "山形市",
        "舟形町",
        "南陽市",
        "酒田市",
        "自治体の行政手続のオンライン化",
        "2022年12月末時点",
        "11回",
        "新型コロナウイルス感染症対策の一環として対面手続きを減らすため",
        "働き方改革により職員が自席に不在でも対応できる環境づくりが必要なため",
        "書面、押印、対面規制の見直しといった政府の動向を受けて",
        "児童手当関係届出（新規認定請求など）",
        "危険物取扱者選任届出書",
        "消防訓練通知書",
        "舟形町学生応援特産品給付事業申込フォーム",
        "令和2年度舟形町職員採用試験受験申込",
        "令和2年度舟形町成人式の出欠確認",
        "粗大ごみの収集申込",
        "犬の登録申請、死亡届",
        "水道開栓・閉栓受付票",
        "オンライン申請促進キャンペーン（酒田市電子申請促進奨励金）応募申請",
        "認可保育所・認定子ども園の入所申込書の事前送信",
        "「みんなでつくろう!世界一あたたかいバリアフリーマップ」参加者アンケート",
        "山形県で契約している電子申請サービスを用いる場合は導入費用ゼロ、"
        "ただしマイナンバーカード利用手続に関しては特別機器導入に費用がかかる",
        "新型コロナウイルス感染症の防止を理由に協力を得ることができました",
    ],
    "aizuwakamatsu-audio-ar": [
        "福島県会津若松市",
        "自治体のAI・RPAの利用推進",
        "音声ARを活用した「まちなか周遊事業」",
        "市内3つのエリア",
        "専用アプリとGPS",
        "怪談話や黒電話の音を演出した肝試し体験",
        "夜間交流人口が激減",
        "地方創生推進交付金",
        "内閣府",
        "令和3年度 (2021年度)",
        "1,040万円",
        "約3,000",
        "事業を開始してから2か月間",
        "夜間のにぎわい創出",
    ],
    "fuchu-workation": [
        "広島県府中市",
        "広島県福山市",
        "広島県神石高原町",
        "岡山県井原市",
        "香川県三豊市",
        "テレワークの推進",
        "びんご府中発 自然活用型ワーケーション",
        "キャンプ場",
        "ワーケーションメニューの開発",
        "プロモーション計画の作成",
        "施設予約状況確認システム",
        "トレーラーハウスや府中市主要産業である府中家具の購入",
        "高速Wi-Fiの整備",
        "キャンプ場とワーケーション施設専用の予約システムの設置",
        "地方創生推進交付金",
        "令和3年度 (2021年度)",
        "2,200万円",
        "スノーピークと建築家・隈研吾氏が共同開発",
        "新たな客層の誘客",
    ],
    "nagoya-vdi": [
        "名古屋市",
        "政令指定都市",
        "セキュリティ対策の徹底",
        "NVIDIA vGPU（仮想GPU）/ NVIDIA 仮想PC（vPC）",
        "2022年3月",
        "令和3年度 (2021年度)",
        "2,300",
        "20〜30",
        "数分",
        "2017年",
        "LGWAN接続系とインターネット接続系のネットワークを分離",
        "三層分離",
        "ネットワークプリンター",
        "ハイパーコンバージドインフラ（HCI）",
    ],
    "nankoku-health-portal": [
        "高知県南国市",
        "マイナンバーカードの普及促進",
        "平成28年度 (2016年度)",
        "南国市健康ポータル",
        "健康寿命が全国的にみて短く",
        "崎山",
        "南国市情報政策課長",
        "2015（平成27）年に総務省 地域情報化大賞を受賞した「ポケットカルテ」",
        "南海トラフ地震",
        "ケーブルテレビの代替",
        "電子お薬手帳機能",
        "「南国市健康ポータル」事業に取り組むことになった背景を教えてください。",
        "システム構築・運用にあたって、苦労したことはありましたか?",
        "高齢者層に普及させるための工夫は?",
        "デジタルデバイド層（スマホを持っていない高齢者）",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("slug", CASE_FACTS)
def test_case_page_shows_every_fact_of_the_seed(client, seeded, slug):
    response = client.get(f"/cases/{slug}/")
    assert response.status_code == 200
    assert_all_shown(visible_text(response), CASE_FACTS[slug])


@pytest.mark.django_db
def test_case_page_links_each_facet_to_the_filtered_list(client, seeded):
    html = client.get("/cases/fuchu-workation/").content.decode()
    for href in [
        "/cases/?measure=telework",
        "/cases/?prefecture=34",
        "/cases/?prefecture=33",  # the partner 井原市 is in 岡山県
        "/cases/?grant=chiho-sosei-suishin",
        "/cases/?year=2021",
    ]:
        assert f'href="{href}"' in html, href
    for tag in CasePage.objects.get(slug="fuchu-workation").tags.all():
        assert f'href="/cases/?tag={quote(tag.slug)}"' in html


@pytest.mark.django_db
def test_case_page_links_its_sources(client, seeded):
    html = client.get("/cases/aizuwakamatsu-audio-ar/").content.decode()
    assert 'href="https://www.soumu.go.jp/main_content/000835268.pdf"' in html
    assert "【担当者インタビュー】現場に学ぶ! 自治体DXの取り組み事例5選" in html


@pytest.mark.django_db
def test_the_my_number_card_procedures_are_marked(seeded):
    services = CasePage.objects.get(slug="yamagata-online-procedures").online_services.all()
    assert len(services) == 12
    assert sorted(s.name for s in services if s.uses_my_number_card) == sorted(
        [
            "児童手当関係届出（新規認定請求など）",
            "水道開栓・閉栓受付票",
            "オンライン申請促進キャンペーン（酒田市電子申請促進奨励金）応募申請",
            "認可保育所・認定子ども園の入所申込書の事前送信",
        ]
    )


@pytest.mark.django_db
def test_costs_are_integers_in_yen_with_their_fiscal_year(seeded):
    costs = {c.slug: (c.project_cost_yen, c.cost_fiscal_year) for c in CasePage.objects.all()}
    assert costs["aizuwakamatsu-audio-ar"] == (10_400_000, 2021)
    assert costs["fuchu-workation"] == (22_000_000, 2021)
    assert costs["nagoya-vdi"] == (None, None)


@pytest.mark.django_db
def test_nagoya_fiscal_year_follows_from_its_march_launch(seeded):
    assert CasePage.objects.get(slug="nagoya-vdi").fiscal_year == 2021


@pytest.mark.django_db
def test_a_visited_municipality_is_not_a_partner(seeded):
    case = CasePage.objects.get(slug="fuchu-workation")
    assert "三豊市" not in {m.name for m in case.partner_organizations.all()}
    assert [m.name for m in case.visited_organizations.all()] == ["三豊市"]


@pytest.mark.django_db
def test_the_interview_has_its_own_page_with_every_answer(client, seeded):
    response = client.get("/cases/nankoku-health-portal/interview/")
    assert response.status_code == 200
    assert_all_shown(
        visible_text(response),
        [
            "崎山",
            "南国市情報政策課長",
            "通信事業者の方からありました",
            "30年以内に高い確率で発生するとされている南海トラフ地震",
            "一つ目はマイナンバーカードの普及率が非常に低かったこと",
            "二つ目は利用者のインターネット環境です",
            "お子さん世代の理解も必要",
            "地道に地域で説明会を開いたり、健康イベントなどに出展したり",
            "高知県南国市のマイナンバー普及事例",
        ],
    )


def test_a_loaded_case_shows_no_load_date_and_an_edited_one_shows_when_it_was_edited(client, seeded, staff):
    """The seed's cases are as of their sources, not of the day make run loaded them; an editor's change
    is dated. Feeds date a case by its own start (年月, else its fiscal year), not by the load."""
    import feedparser

    case = CasePage.objects.get(slug="fuchu-workation")
    text = visible_text(client.get(case.url))
    assert "最終更新日" not in text and "内容は出典に書かれた時点のものです" in text
    entries = {entry.title: entry for entry in feedparser.parse(client.get("/cases/feed/").content).entries}
    assert entries[case.title].published.startswith("2021-04-01")  # 令和3年度

    case.summary += "（追記）"
    case.save_revision(user=staff.moderator).publish(user=staff.moderator)
    text = visible_text(client.get(case.url))
    assert "最終更新日" in text and "内容は出典に書かれた時点のものです" not in text


def test_fuchus_partner_towns_are_the_outcomes_breakdown_not_its_period(client, seeded):
    from bs4 import BeautifulSoup

    html = client.get("/cases/fuchu-workation/").content.decode()
    table = BeautifulSoup(html, "html.parser").find(id="outcomes").find_parent("section").find("table")
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    row = table.find("tbody").find("tr")
    cells = dict(zip(headers[1:], [td.get_text(strip=True) for td in row.find_all("td")], strict=True))
    assert row.find("th").get_text(strip=True) == "連携してワーケーションに取り組む市町"
    assert cells["期間・時点"] == "—"
    assert cells["内訳・補足"] == "福山市、府中市、神石高原町、岡山県井原市"
