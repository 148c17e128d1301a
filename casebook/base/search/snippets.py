"""A short passage around the first match, with the matched words marked."""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from casebook.base.search.tokenizer import DIGIT_GROUPING, fold

SNIPPET_CHARS = 120


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """normalize(text), with the index in `text` of each character of the result."""
    folded = fold(text)
    if len(folded) == len(text):
        origin = list(range(len(text)))  # the usual case: nothing changed length
    else:
        pieces = [(fold(char), index) for index, char in enumerate(text)]
        folded = "".join(piece for piece, _ in pieces)
        origin = [index for piece, index in pieces for _ in piece]
    dropped = {m.start() for m in DIGIT_GROUPING.finditer(folded)}
    if dropped:
        folded = "".join(c for i, c in enumerate(folded) if i not in dropped)
        origin = [o for i, o in enumerate(origin) if i not in dropped]
    return folded, origin


def highlight(text: str, words, width: int = SNIPPET_CHARS) -> str:
    """An HTML-safe passage of about `width` characters around the first match, matches in <mark>."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    normalized, origin = _normalized_with_map(text)
    spans = []
    for word in words:
        start = normalized.find(word)
        while start != -1 and word:
            end = start + len(word) - 1
            spans.append((origin[start], origin[end] + 1))
            start = normalized.find(word, start + len(word))
    spans.sort()
    if spans:
        first = spans[0][0]
        begin = max(0, first - width // 3)
    else:
        begin = 0
    finish = min(len(text), begin + width)
    pieces, cursor = [], begin
    for start, end in spans:
        if start < cursor or start >= finish:
            continue
        pieces.append(escape(text[cursor:start]))
        pieces.append(f"<mark>{escape(text[start : min(end, finish)])}</mark>")
        cursor = min(end, finish)
    pieces.append(escape(text[cursor:finish]))
    prefix = "…" if begin > 0 else ""
    suffix = "…" if finish < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
