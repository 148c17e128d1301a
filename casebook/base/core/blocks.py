"""StreamField blocks shared by the page types; each renders with templates/blocks/."""

from wagtail import blocks

# The narrative sections the seed article uses for every case.
SECTION_KINDS = [
    ("background", "経緯・きっかけ"),
    ("activities", "取り組み内容"),
    ("funding", "支援制度の活用"),
    ("challenges", "課題と解決"),
    ("effects", "導入効果"),
    ("next_steps", "今後の展開"),
    ("references", "視察・参考にした事例"),
]

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class NarrativeSectionBlock(blocks.StructBlock):
    # 取り組み内容 is the section most cases have: chosen unless the editor picks another.
    kind = blocks.ChoiceBlock(choices=SECTION_KINDS, label="区分", default="activities")
    heading = blocks.CharBlock(
        required=False,
        label="見出し",
        help_text="空欄なら区分名を見出しにします。例: 行政手続をオンライン化した経緯・きっかけ",
    )
    # Not required: a section left empty (a new case's first one) is dropped when the case is saved.
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="本文", required=False)

    class Meta:
        icon = "doc-full"
        label = "本文セクション"
        template = "blocks/narrative_section.html"


def without_empty_sections(stream):
    """The blocks of a narrative StreamField, less any section nobody wrote in (a new case starts with
    one to type into); None when there is none to drop."""
    from django.utils.html import strip_tags

    kept = [
        (child.block_type, child.value)
        for child in stream
        if not (child.block_type == "section" and not strip_tags(str(child.value.get("body") or "")).strip())
    ]
    return kept if len(kept) != len(stream) else None


class NarrativeStreamBlock(blocks.StreamBlock):
    section = NarrativeSectionBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label="段落", template="blocks/paragraph.html")


class InterviewTopicBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = "話題の見出し"
        template = "blocks/interview_topic.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.TextBlock(label="質問", help_text="例: 高齢者層に普及させるための工夫は?")
    speaker = blocks.CharBlock(
        label="回答者", required=False, help_text="空欄なら話し手（インタビューの相手）。例: 崎山"
    )
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"], label="回答")

    class Meta:
        icon = "openquote"
        label = "質問と回答"
        template = "blocks/question_answer.html"


class InterviewStreamBlock(blocks.StreamBlock):
    topic = InterviewTopicBlock()
    qa = QuestionAnswerBlock()
