"""A short passage around the first match, with the matched words marked."""

import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from casebook.search.tokenizer import normalize

SNIPPET_CHARS = 120


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """The text normalised, with the original index of each result character."""
    whole = normalize(text)
    if len(whole) == len(text):
        # Nothing changed length (the usual case): positions line up one to one.
        return whole, list(range(len(text)))
    chars, origin = [], []
    for index, char in enumerate(text):
        for out in normalize(char):
            chars.append(out)
            origin.append(index)
    return "".join(chars), origin


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
