"""What cases and interviews put in the Japanese search index, and keeping it in step with the
municipalities and grant programs their text names."""

from django.db.models import Q
from django.db.models.signals import post_save
from wagtail.signals import page_published

from casebook.core.visibility import visible
from casebook.search import documents
from casebook.search.documents import Document, stream_text
from casebook.search.index import index_page_safely
from casebook.taxonomy.models import GrantProgram, Municipality
from cases.models import CasePage, InterviewPage
from measures.models import MAX_SUCCESSION, MeasurePage


def organization_text(org) -> str:
    if org is None:
        return ""
    prefecture = org.prefecture
    return " ".join(
        [org.name, org.name_kana, org.name_romaji, prefecture.name, prefecture.name_kana, prefecture.name_romaji]
    )


def case_document(case: CasePage) -> Document:
    orgs = [case.lead_organization, *case.partner_organizations.all()]
    interviews = visible(InterviewPage.objects.child_of(case))
    body = [
        case.summary,
        stream_text(case.body),
        " ".join(f"{o.label} {o.value}{o.unit} {o.period} {o.baseline}" for o in case.outcomes.all()),
        " ".join(s.name for s in case.online_services.all()),
        " ".join(g.name for g in case.grant_programs.all()),
        " ".join(t.name for t in case.tags.all()),
        " ".join(measure_titles(case)),
        *(interview_document(interview).body for interview in interviews),
    ]
    return Document("case", case.title, " ".join(organization_text(o) for o in orgs), " ".join(body))


def measure_titles(case: CasePage) -> list[str]:
    """The case's measures and the measures that took them over in later editions: a search for
    フロントヤード改革 finds a case filed under 行政手続のオンライン化."""
    titles = []
    for measure in case.all_measures():
        for _ in range(MAX_SUCCESSION + 1):
            if measure is None or measure.title in titles:
                break
            titles.append(measure.title)
            measure = measure.successor
    return titles


def measure_changed(sender, instance, **kwargs):
    """A measure's new title or successor changes the search text of its cases and its predecessors' cases."""
    measures = [instance.pk, *MeasurePage.objects.filter(successor=instance).values_list("pk", flat=True)]
    cases = CasePage.objects.filter(Q(primary_measure__in=measures) | Q(other_measures__in=measures))
    for case in cases.live().distinct():
        index_page_safely(case)


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


def organization_changed(sender, instance, **kwargs):
    """A renamed municipality or grant program changes the search text of its cases."""
    if isinstance(instance, Municipality):
        cases = CasePage.objects.filter(Q(lead_organization=instance) | Q(partner_organizations=instance))
    else:
        cases = instance.cases.all()
    for case in cases.live().distinct():
        index_page_safely(case)


def register():
    documents.register(CasePage, case_document)
    documents.register(InterviewPage, interview_document, part_of_parent=True)
    page_published.connect(measure_changed, sender=MeasurePage, dispatch_uid="casebook-search-measure")
    for model in (Municipality, GrantProgram):
        post_save.connect(organization_changed, sender=model, dispatch_uid=f"casebook-search-{model.__name__}")
