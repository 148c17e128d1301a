"""Japanese-aware text normalisation and tokenisation for the search index: the one place for it.

Japanese has no spaces between words, so a word in the middle of a sentence is invisible to a
word-based full-text index. Runs of kana and kanji are indexed as overlapping two-character pieces
(bigrams) instead, so any word of two or more characters is found anywhere; the last character of
each run is also indexed on its own, so a one-character query finds a character at a run's end
with a prefix match. Latin letters and digits are indexed as whole words.
"""

import re
from dataclasses import dataclass

from casebook.base.core.text import normalise

# Variants that NFKC leaves apart but a reader treats as the same character.
EQUIVALENTS = str.maketrans(
    {
        "〜": "~",  # WAVE DASH
        "～": "~",  # FULLWIDTH TILDE (NFKC already maps it; kept for clarity)
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
        "−": "-",
        "ｰ": "ー",
    }
)

# Kana, kanji and the marks that belong inside Japanese words.
CJK = r"\u3005\u3006\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"([{CJK}]+)|([a-z0-9]+)")
DIGIT_GROUPING = re.compile(r"(?<=\d),(?=\d{3})")
MAX_QUERY_TERMS = 16


def fold(text: str) -> str:
    """NFKC, lower case, one form of each tilde and dash, no NUL."""
    return normalise(text.replace("\x00", " ")).translate(EQUIVALENTS).lower()


def normalize(text: str) -> str:
    """fold(), and no thousands separators (2,300 → 2300)."""
    return DIGIT_GROUPING.sub("", fold(text))


def runs(text: str) -> list[tuple[str, bool]]:
    """(run, is_japanese) for each run of kana/kanji or of Latin letters and digits."""
    return [(m.group(0), m.group(1) is not None) for m in RUN.finditer(normalize(text))]


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> list[str]:
    """The tokens stored for a text: bigrams plus the run's last character, and Latin words."""
    tokens: list[str] = []
    for run, japanese in runs(text):
        if japanese:
            tokens.extend(bigrams(run))
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return tokens


def index_text(text: str) -> str:
    return " ".join(index_tokens(text))


def head_tokens(text: str) -> list[str]:
    """The first piece of every run: a query matching here starts a word, not the middle of one."""
    heads = []
    for run, japanese in runs(text):
        heads.append(run[:2] if japanese and len(run) > 1 else run)
    return heads


@dataclass(frozen=True)
class Term:
    """One query piece: tokens that must stand next to each other; with `prefix`, the last token
    only has to begin a stored token."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """Terms that must all match (AND). Empty when the text had nothing searchable."""

    terms: tuple[Term, ...]
    words: tuple[str, ...]  # normalised runs of letters, for highlighting

    def __bool__(self):
        return bool(self.terms)


QUOTED = re.compile(r'"([^"]*)"')


def phrase_term(word: str) -> Term | None:
    """A word or quoted phrase as one phrase term laid out exactly as index_tokens lays out text.

    A word ending in a lone Japanese character ends in a prefix: 市 finds 市 at the end of a run
    and 市役所; VDIへ finds 「VDIへの」.
    """
    word_runs = runs(word)
    if not word_runs:
        return None
    tokens: list[str] = []
    for position, (run, japanese) in enumerate(word_runs):
        is_last = position == len(word_runs) - 1
        if not japanese:
            tokens.append(run)
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(bigrams(run))
            if not is_last:
                tokens.append(run[-1])
    last_run, last_is_japanese = word_runs[-1]
    return Term(tuple(tokens), prefix=last_is_japanese and len(last_run) == 1)


def parse_query(text: str) -> Query:
    """Words separated by spaces AND together; a "quoted phrase" must match as written."""
    phrases = QUOTED.findall(text)
    rest = QUOTED.sub(" ", text).replace('"', " ")
    words = [normalize(p).strip() for p in phrases] + normalize(rest).split()
    terms: list[Term] = []
    highlights: list[str] = []
    for word in words:
        term = phrase_term(word)
        if term is None or term in terms:
            continue
        terms.append(term)
        highlights.extend(run for run, _ in runs(word))
    return Query(tuple(terms[:MAX_QUERY_TERMS]), tuple(highlights))
