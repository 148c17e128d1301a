"""A case's narrative (its StreamField of sections) as plain text and back, for the exports and the
spreadsheet import. The text marks each section with its kind in brackets, then an optional heading:

    【経緯・きっかけ】行政手続をオンライン化した経緯
    一つ目の段落。

    二つ目の段落。
    ・箇条書きの項目

Text before the first marker is a plain paragraph block. Going to text keeps words, paragraphs and list
items; bold, italics and links are not carried, so an import only rebuilds a body whose text changed."""

import html
import re

from casebook.base.core.blocks import SECTION_KINDS

KIND_LABELS = dict(SECTION_KINDS)
KIND_OF_LABEL = {label: kind for kind, label in SECTION_KINDS}
MARKER = re.compile(r"^【([^】]+)】(.*)$")
BLOCK_END = re.compile(r"</(p|h[1-6]|li|ul|ol)>|<br\s*/?>", re.I)
TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Rich text as paragraphs separated by a blank line; list items as 「・」 lines."""
    markup = re.sub(r"<li[^>]*>", "\n・", markup or "", flags=re.I)
    markup = BLOCK_END.sub(lambda m: "\n" if m.group(0).lower().startswith("</li") else "\n\n", markup)
    text = html.unescape(TAG.sub("", markup))
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_to_html(text: str) -> str:
    """Paragraphs (separated by a blank line) as <p>, runs of 「・」 lines as a list."""
    parts = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        items, plain = [], []
        for line in lines:
            if line.startswith("・"):
                if plain:
                    parts.append(f"<p>{'<br/>'.join(html.escape(p) for p in plain)}</p>")
                    plain = []
                items.append(f"<li>{html.escape(line[1:].strip())}</li>")
            else:
                if items:
                    parts.append(f"<ul>{''.join(items)}</ul>")
                    items = []
                plain.append(line)
        if plain:
            parts.append(f"<p>{'<br/>'.join(html.escape(p) for p in plain)}</p>")
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
    return "".join(parts)


def sections(raw_blocks) -> list[dict]:
    """The blocks of a narrative StreamField's raw data as (kind, kind_label, heading, text)."""
    found = []
    for block in raw_blocks or []:
        value = block.get("value")
        if block.get("type") == "section" and isinstance(value, dict):
            kind = value.get("kind", "")
            found.append(
                {
                    "kind": kind,
                    "kind_label": KIND_LABELS.get(kind, kind),
                    "heading": value.get("heading") or "",
                    "text": html_to_text(value.get("body", "")),
                }
            )
        elif block.get("type") == "paragraph":
            found.append({"kind": "", "kind_label": "", "heading": "", "text": html_to_text(str(value or ""))})
    return found


def body_text(found: list[dict]) -> str:
    """Sections as the one text of the exports' 本文 column."""
    parts = []
    for section in found:
        if section["kind"]:
            parts.append(f"【{section['kind_label']}】{section['heading']}\n{section['text']}".strip())
        else:
            parts.append(section["text"])
    return "\n\n".join(part for part in parts if part)


def read_body_text(text: str) -> list[dict]:
    """The 本文 column back into StreamField raw blocks; ValueError (Japanese) for an unknown kind."""
    blocks, current, lines = [], None, []

    def close():
        body = "\n".join(lines).strip()
        if current is None:
            if body:
                blocks.append({"type": "paragraph", "value": text_to_html(body)})
        else:
            kind, heading = current
            blocks.append({"type": "section", "value": {"kind": kind, "heading": heading, "body": text_to_html(body)}})

    for line in text.replace("\r\n", "\n").split("\n"):
        match = MARKER.match(line.strip())
        if match:
            label = match.group(1).strip()
            if label not in KIND_OF_LABEL:
                known = "、".join(f"【{label}】" for label in KIND_OF_LABEL)
                raise ValueError(f"本文の区分「【{label}】」はありません。使える区分: {known}")
            close()
            current, lines = (KIND_OF_LABEL[label], match.group(2).strip()), []
        else:
            lines.append(line)
    close()
    return blocks
