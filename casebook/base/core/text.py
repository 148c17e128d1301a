"""The one Japanese text normaliser: what a user types and what is stored compare alike."""

import unicodedata


def normalise(text: str) -> str:
    """NFKC: full-width digits and letters become ASCII, half-width kana become full-width."""
    return unicodedata.normalize("NFKC", text)


def clean_text(value: str) -> str:
    """Drop NUL and other control characters that no database should be asked to store or compare."""
    return "".join(ch for ch in value if ch >= " " or ch == "\t").strip()
