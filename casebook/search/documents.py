"""What each page type contributes to the search index, in three parts of different weight."""

from dataclasses import dataclass

from django.utils.html import strip_tags

from cases.models import CasePage, InterviewPage
from measures.models import MeasurePage


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


def organization_text(org) -> str:
    if org is None:
        return ""
    prefecture = org.prefecture
    return " ".join(
        [org.name, org.name_kana, org.name_romaji, prefecture.name, prefecture.name_kana, prefecture.name_romaji]
    )


def case_document(case: CasePage) -> Document:
    orgs = [case.lead_organization, *case.partner_organizations.all()]
    interviews = InterviewPage.objects.child_of(case).live()
    body = [
        case.summary,
        stream_text(case.body),
        " ".join(f"{o.label} {o.value}{o.unit} {o.period} {o.baseline}" for o in case.outcomes.all()),
        " ".join(s.name for s in case.online_services.all()),
        " ".join(g.name for g in case.grant_programs.all()),
        " ".join(t.name for t in case.tags.all()),
        " ".join(m.title for m in case.all_measures() if m),
        *(interview_document(interview).body for interview in interviews),
    ]
    return Document("case", case.title, " ".join(organization_text(o) for o in orgs), " ".join(body))


def measure_document(measure: MeasurePage) -> Document:
    body = [
        measure.short_name,
        measure.summary,
        stream_text(measure.body),
        " ".join(f"{t.description} {t.deadline} {t.baseline}" for t in measure.targets.all()),
        " ".join(f"{s.group} {s.label} {s.note} {s.source}" for s in measure.statistics.all()),
        " ".join(f"{s.name} {s.description}" for s in measure.support_measures.all()),
        " ".join(b.name for b in measure.standard_businesses.all()),
    ]
    return Document("measure", measure.title, "", " ".join(body))


def interview_document(interview: InterviewPage) -> Document:
    body = [
        interview.interviewee_name,
        interview.interviewee_role,
        interview.role_at_time,
        interview.lead,
        stream_text(interview.body),
        interview.note,
    ]
    return Document("interview", interview.title, organization_text(interview.interviewee_organization), " ".join(body))


BUILDERS = {CasePage: case_document, MeasurePage: measure_document, InterviewPage: interview_document}


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
