"""What each page type contributes to the search index, in three parts of different weight."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import strip_tags


@dataclass
class Document:
    kind: str
    title: str
    org: str  # organization names, readings and romaji, places
    body: str


# StreamField keys whose values are identifiers, not text a reader sees.
NON_TEXT_KEYS = {"type", "id", "kind"}


def stream_text(value) -> str:
    """All the text of a StreamField's raw data, tags removed."""
    texts: list[str] = []

    def walk(node):
        if isinstance(node, str):
            texts.append(strip_tags(node))
        elif isinstance(node, dict):
            for key, child in node.items():
                if key not in NON_TEXT_KEYS:
                    walk(child)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)

    walk(list(value.raw_data) if value is not None else [])
    return " ".join(t for t in texts if t.strip())


# What each page type puts in the index: apps register their page types (in their AppConfig.ready),
# so this service imports no app.
BUILDERS: dict[type, Callable[[object], Document]] = {}
# Page types whose text is also part of their parent's document (an interview is part of its case).
PART_OF_PARENT: set[type] = set()


def register(model: type, build: Callable[[object], Document], *, part_of_parent: bool = False) -> None:
    BUILDERS[model] = build
    if part_of_parent:
        PART_OF_PARENT.add(model)


def document_for(page) -> Document | None:
    builder = BUILDERS.get(type(page))
    return builder(page) if builder else None


def snippet_source(page) -> str:
    """Text to cut a result snippet from, using only the page's own fields (no further queries)."""
    parts = [getattr(page, "summary", ""), getattr(page, "lead", "")]
    body = getattr(page, "body", None)
    if body is not None:
        parts.append(stream_text(body))
    return " ".join(p for p in parts if p)
