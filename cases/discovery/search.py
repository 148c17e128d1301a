"""What cases and interviews put in the Japanese search index, and keeping it in step with the
municipalities and grant programs their text names."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save, pre_delete
from wagtail.models import PageLogEntry
from wagtail.signals import page_published, page_unpublished

from casebook.base.core.visibility import visible
from casebook.base.search import documents
from casebook.base.search.documents import Document, stream_text
from casebook.base.search.index import index_page_safely
from casebook.base.taxonomy.models import GrantProgram, Municipality
from cases.content.pages import CasePage, InterviewPage
from measures.models import MeasurePage
from measures.plan import MAX_SUCCESSION


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
    """The case's measures and the public measures that took them over in later editions: a search
    for フロントヤード改革 finds a case filed under 行政手続のオンライン化. Read from the database, not
    the cached plan: a measure's own publish re-indexes its cases before the plan's cache moves on."""
    titles = []
    for measure in case.all_measures():
        for _ in range(MAX_SUCCESSION + 1):
            if measure is None or measure.title in titles:
                break
            titles.append(measure.title)
            successor = measure.successor_id
            measure = visible(MeasurePage.objects.filter(pk=successor)).first() if successor else None
    return titles


def reindex_cases_of(measure_ids) -> None:
    """Cases filed under these measures or under a measure they took over (as far as MAX_SUCCESSION)."""
    measures = set(measure_ids)
    for _ in range(MAX_SUCCESSION):
        measures |= set(MeasurePage.objects.filter(successor__in=measures).values_list("pk", flat=True))
    cases = CasePage.objects.filter(Q(primary_measure__in=measures) | Q(other_measures__in=measures))
    for case in cases.live().distinct():
        index_page_safely(case)


def _previously_published(page, revision):
    """The revision this page was live with before `revision`, from the publish log."""
    entry = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .exclude(revision=revision)
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision if entry else None


def measure_published(sender, instance, revision=None, **kwargs):
    """A measure's new title or successor changes the search text of its cases and of the cases filed
    under its predecessors. Only then are they re-indexed: a typo fixed in its body costs nothing."""
    previous = _previously_published(instance, revision)
    if previous is not None:
        before = previous.content
        if before.get("title") == instance.title and before.get("successor") == instance.successor_id:
            return
    reindex_cases_of([instance.pk])


def measure_unpublished(sender, instance, **kwargs):
    """A successor that is no longer public leaves its predecessors' cases' search text."""
    reindex_cases_of([instance.pk])


def measure_deleted(sender, instance, **kwargs):
    """Deleting a measure unlinks its predecessors (SET_NULL, no signal): re-index after the delete."""
    predecessors = list(MeasurePage.objects.filter(successor=instance).values_list("pk", flat=True))
    if predecessors:
        transaction.on_commit(lambda: reindex_cases_of(predecessors))


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
    page_published.connect(measure_published, sender=MeasurePage, dispatch_uid="casebook-search-measure")
    page_unpublished.connect(measure_unpublished, sender=MeasurePage, dispatch_uid="casebook-search-measure-off")
    pre_delete.connect(measure_deleted, sender=MeasurePage, dispatch_uid="casebook-search-measure-deleted")
    for model in (Municipality, GrantProgram):
        post_save.connect(organization_changed, sender=model, dispatch_uid=f"casebook-search-{model.__name__}")
