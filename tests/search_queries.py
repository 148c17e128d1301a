"""Queries a member of staff would type, and the seed pages each must find.

Shared by the search tests and bench/search_recall.py (which also measures the stock backend).
Pages are named by slug; an interview by "<case slug>/interview".
"""

AIZU = "aizuwakamatsu-audio-ar"
FUCHU = "fuchu-workation"
NAGOYA = "nagoya-vdi"
NANKOKU = "nankoku-health-portal"
YAMAGATA = "yamagata-online-procedures"
INTERVIEW = "nankoku-health-portal/interview"

EXPECTED = {
    "デジタル音声": {AIZU},
    "まちなか周遊": {AIZU},
    "府中家具": {FUCHU},
    "予約": {FUCHU},
    "仮想PC": {NAGOYA},
    "ネットワークプリンター": {NAGOYA},
    "ポケットカルテ": {NANKOKU, INTERVIEW},
    "水道": {YAMAGATA},
    "犬": {YAMAGATA},
    "保育所": {YAMAGATA},
    "成人式": {YAMAGATA},
    "奨励金": {YAMAGATA},
    "ＨＣＩ": {NAGOYA},
    "hci": {NAGOYA},
    "怪談": {AIZU},
    "黒電話": {AIZU},
    "スノーピーク": {FUCHU},
    "LGWAN": {NAGOYA, "telework"},
    "なんこく": {NANKOKU, INTERVIEW},
    "Nankoku": {NANKOKU, INTERVIEW},
    "ふちゅう": {FUCHU},
    "観光": {AIZU, FUCHU},
    "健康": {NANKOKU, INTERVIEW},
    "交付金": {AIZU, FUCHU},
    "ワーケーション": {FUCHU},
    "崎山": {NANKOKU, INTERVIEW},
    "南海トラフ": {NANKOKU, INTERVIEW},
    "2,300": {NAGOYA},
    "20〜30秒": {NAGOYA},
    "約3,000": {AIZU},
    "井原市": {FUCHU},
    "岡山": {FUCHU},
    "基幹業務": {"standardization"},
    "ｶﾞﾊﾞﾒﾝﾄｸﾗｳﾄﾞ": {"security"},
    "電子お薬手帳": {NANKOKU, INTERVIEW},
    '"NVIDIA vGPU"': {NAGOYA},
    "観光 交付金": {AIZU, FUCHU},
    "マイナンバーカード 健康": {NANKOKU, INTERVIEW},
    "テレワークマネージャー": {"telework"},
    "市": {NANKOKU, FUCHU, NAGOYA, YAMAGATA, AIZU},
    "VDIへ": {NAGOYA},
}

# Queries that must find nothing in the seed.
NOTHING = ["観光 VDI", "京都", "存在しない語句", "background", "activities"]
