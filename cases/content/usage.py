"""How cases and interviews use taxonomy items: registered with casebook.base.taxonomy.usage."""

from django.db import models

from casebook.base.taxonomy import usage
from casebook.base.taxonomy.models import GrantProgram, Municipality
from cases.content.pages import CasePage, InterviewPage


def pages_naming_municipality(municipality):
    cases = CasePage.objects.filter(
        models.Q(lead_organization=municipality)
        | models.Q(partner_organizations=municipality)
        | models.Q(visited_organizations=municipality)
        | models.Q(online_services__municipality=municipality)
    )
    interviews = InterviewPage.objects.filter(interviewee_organization=municipality)
    return [*cases.distinct().order_by("title"), *interviews.order_by("title")]


def draft_names_municipality(content: dict, pk: int) -> bool:
    return (
        content.get("lead_organization") == pk
        or pk in (content.get("partner_organizations") or [])
        or pk in (content.get("visited_organizations") or [])
        or any(row.get("municipality") == pk for row in content.get("online_services") or [])
        or content.get("interviewee_organization") == pk
    )


def cases_citing_grant(grant):
    return CasePage.objects.filter(grant_programs=grant).distinct().order_by("title")


def draft_cites_grant(content: dict, pk: int) -> bool:
    return pk in (content.get("grant_programs") or [])


def case_count():
    """Cases (drafts included) that name the municipality as lead or partner."""
    cases = CasePage.objects.filter(
        models.Q(lead_organization=models.OuterRef("pk")) | models.Q(partner_organizations=models.OuterRef("pk"))
    )
    distinct_count = models.Func(models.F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
    return models.Subquery(cases.order_by().annotate(n=distinct_count).values("n")[:1])


def register():
    usage.register(Municipality, pages_naming_municipality, draft_names_municipality)
    usage.register(GrantProgram, cases_citing_grant, draft_cites_grant)
    usage.register_count(Municipality, "事例数", "case_count", case_count)
