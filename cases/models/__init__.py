"""Registers the app's models with Django; code imports them from where they live (cases.content,
cases.routes), never from here."""

from cases.content.pages import (  # noqa: F401
    CaseDocument,
    CaseOutcome,
    CasePage,
    CaseRelatedCase,
    CaseSource,
    CaseTag,
    InterviewPage,
    OnlineService,
)
from cases.content.submissions import CaseSubmission  # noqa: F401
from cases.reuse.prepared import PreparedExport  # noqa: F401
from cases.routes.index import CaseIndexPage  # noqa: F401
