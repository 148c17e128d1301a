import html
import re

TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def visible_text(response) -> str:
    """What a reader sees: the body without tags, entities decoded, white space folded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", body)))


def assert_all_shown(text: str, facts) -> None:
    missing = [fact for fact in facts if fact not in text]
    assert not missing, f"not on the page: {missing}"
