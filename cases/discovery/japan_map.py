"""A tile-grid map of Japan: every prefecture the same size, in roughly its place, so that each is
readable and can be a keyboard-focusable link. Positions (row, column) on a 13 × 14 grid."""

from dataclasses import dataclass

TILES = {
    "01": (1, 14),
    "02": (3, 14),
    "05": (4, 13), "03": (4, 14),
    "17": (5, 10), "16": (5, 11), "15": (5, 12), "06": (5, 13), "04": (5, 14),
    "18": (6, 10), "21": (6, 11), "20": (6, 12), "10": (6, 13), "07": (6, 14),
    "32": (7, 5), "31": (7, 6), "28": (7, 7), "26": (7, 8), "25": (7, 9),
    "23": (7, 11), "19": (7, 12), "11": (7, 13), "09": (7, 14),
    "35": (8, 4), "34": (8, 5), "33": (8, 6), "27": (8, 7), "29": (8, 8), "24": (8, 9),
    "22": (8, 11), "14": (8, 12), "13": (8, 13), "08": (8, 14),
    "40": (9, 2), "44": (9, 3), "38": (9, 5), "37": (9, 6), "30": (9, 8), "12": (9, 14),
    "41": (10, 1), "43": (10, 2), "45": (10, 3), "39": (10, 5), "36": (10, 6),
    "42": (11, 1), "46": (11, 2),
    "47": (13, 1),
}  # fmt: skip

# Shades by number of cases: 0, 1, 2–4, 5–19, 20 or more (the legend says so).
LEVELS = [(0, "0件"), (1, "1件"), (2, "2〜4件"), (5, "5〜19件"), (20, "20件以上")]


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    short: str  # 「広島」「京都」「東京」: the name without its last 都・府・県 (北海道 stays whole)
    count: int
    level: int
    row: int
    column: int
    url: str


def level_of(count: int) -> int:
    return max(i for i, (lowest, _) in enumerate(LEVELS) if count >= lowest)


def tiles(prefectures, counts: dict[str, int], url_for) -> list[Tile]:
    """One tile per prefecture: `prefectures` as (code, name), `counts` by code, `url_for(code)` its link."""
    found = []
    for code, name in prefectures:
        if code not in TILES:  # a prefecture code an editor added beyond the 47
            continue
        row, column = TILES[code]
        short = name[:-1] if name != "北海道" and name[-1:] in "都府県" else name  # 京都府 is 京都, not 京
        count = counts.get(code, 0)
        found.append(Tile(code, name, short, count, level_of(count), row, column, url_for(code)))
    return found
